#include "host_function.h"

#include <algorithm>
#include <vector>

#include "activation.h"
#include "env_state.h"
#include "exceptions.h"
#include "exported_function.h"
#include "js_exceptions.h"
#include "fast_entry.h"
#include "stack_switch.h"
#include "js_values.h"
#include "instantiate.h"
#include "references.h"
#include "trap.h"

namespace mitey {

namespace {

constexpr size_t kInlineArgs = 8;
/** How many calls to JS share one handle scope: each call makes a few handles. */
constexpr uint32_t kCallsPerScope = 64;

/** Handles made by this call die with the activation's shared scope, renewed every kCallsPerScope calls. */
void enterHostScope(napi_env env, Activation& act) {
  if (act.hostScope && act.hostEnv == env && ++act.hostCalls < kCallsPerScope) return;
  if (act.hostScope) napi_close_handle_scope(static_cast<napi_env>(act.hostEnv), static_cast<napi_handle_scope>(act.hostScope));
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  act.hostScope = scope;
  act.hostEnv = env;
  act.hostCalls = 0;
}

struct HostCall {
  HostFunction* h;
  Slot* frame;
  Exception* thrown = nullptr;  // what JS threw, for a try of the activation (thrown on the wasm stack)
};

/** The JS API's "run a host function": the call and its conversions, which may throw (runCatching catches it). */
void runHost(void* p) {
  HostFunction* h = static_cast<HostCall*>(p)->h;
  Slot* frame = static_cast<HostCall*>(p)->frame;
  napi_env env = h->env;
  const FuncType& t = h->type;
  // A v128 or an exnref cannot cross: a TypeError, thrown as if by the function (a try may catch it).
  if (!std::all_of(t.params.begin(), t.params.end(), crossesToJs) || !std::all_of(t.results.begin(), t.results.end(), crossesToJs)) {
    throwError(env, JsError::TypeError, "type incompatibility when transforming from/to JS: v128 or exnref");
    return;
  }
  napi_value fn, undefined, result;
  napi_get_reference_value(env, h->fn, &fn);
  napi_get_undefined(env, &undefined);
  napi_value argsInline[kInlineArgs];
  std::vector<napi_value> argsMore;
  napi_value* args = argsInline;
  if (t.params.size() > kInlineArgs) {
    argsMore.resize(t.params.size());
    args = argsMore.data();
  }
  for (size_t i = 0; i < t.params.size(); i++) args[i] = toJsValue(env, t.params[i], frame[i]);
  // The JS API calls an imported function with undefined as its receiver.
  if (napi_call_function(env, undefined, fn, t.params.size(), args, &result) != napi_ok) return;
  if (t.results.size() == 1) {
    fromJsValue(env, t.results[0], result, frame[0]);
  } else if (t.results.size() > 1) {
    // Multiple results come back as an iterable; arrays are what JS code returns in practice.
    bool isArray = false;
    napi_is_array(env, result, &isArray);
    uint32_t len = 0;
    if (isArray) napi_get_array_length(env, result, &len);
    if (!isArray || len != t.results.size()) {
      throwError(env, JsError::TypeError, "multiple results must be returned as an array of the right length");
      return;
    }
    for (uint32_t i = 0; i < len; i++) {
      napi_value e;
      napi_get_element(env, result, i, &e);
      if (!fromJsValue(env, t.results[i], e, frame[i])) return;
    }
  }
}

/** Runs on the JS thread's stack. Cleans up before any trap: a trap leaves this frame without unwinding it. */
void callHost(void* p) {
  auto* call = static_cast<HostCall*>(p);
  napi_env env = call->h->env;
  const FuncType& t = call->h->type;
  ThreadState& ts = threadState();
  Slot* savedTop = ts.valueStackTop;
  ts.valueStackTop = call->frame + std::max(frameUnits(t.params), frameUnits(t.results)) + 1;
  enterHostScope(env, *ts.activation);
  napi_value thrown;
  bool threw = runCatching(env, &runHost, p, &thrown);
  ts.valueStackTop = savedTop;
  if (!threw) return;
  if (thrown && hasActiveHandler()) {
    // A try of this activation may catch it: thrown on the wasm stack once this call returns there.
    // Uncaught, the boundary throws it to JS again as the same value.
    call->thrown = exceptionFromJs(env, thrown);
    if (call->thrown) return;
    throwCaughtException(env);  // it could not be recorded: that error leaves instead
    raiseTrap(Trap::HostException);
  }
  if (thrown) throwValue(thrown);  // the JS exception goes on to the JS caller
  raiseTrap(Trap::HostException);
}

}  // namespace

/**
 * The host stub's C++ half, on the wasm stack: the activation to give control back to, when a fast
 * entry's wrapper is to call the function in JS; else the call runs here, on the JS thread's stack
 * below the entry, and null.
 */
extern "C" __attribute__((visibility("hidden"))) Activation* mitey_host_call(HostFunction* h, Slot* frame, void* const* returnSlot) {
  Activation* a = threadState().activation;
  // Its frames wait while JS runs, which may collect (frame_walk.h); until wasm continues.
  if (a) {
    a->exitReturnSlot = returnSlot;
    a->exitOperands = frame;
  }
  // (Not in JS when a try could catch what it throws: that must come back here.)
  if (a && a->driver && h->fastSlot >= 0 && !hasActiveHandler() && waitForHostInJs(*a, *h, frame)) return a;
  HostCall call{h, frame};
  runOnMainStack(&callHost, &call);
  if (a) a->exitReturnSlot = nullptr;
  if (call.thrown) throwException(call.thrown);
  return nullptr;
}

void closeHostScope(Activation& act) {
  napi_close_handle_scope(static_cast<napi_env>(act.hostEnv), static_cast<napi_handle_scope>(act.hostScope));
  act.hostScope = nullptr;
}

// A finalizer inside the collector may be what lets go of the last instance using this function.
HostFunction::~HostFunction() {
  if (fastSlot >= 0) forgetFastHost(*this);
  deleteReferenceLater(env, fn);
}

std::shared_ptr<HostFunction> makeHostFunction(napi_env env, napi_value fn, const FuncType& type, uint32_t typeId) {
  auto h = std::make_shared<HostFunction>();
  h->env = env;
  napi_create_reference(env, fn, 1, &h->fn);
  h->type = type;
  h->func.code = reinterpret_cast<EntryFn>(&mitey_host_stub);
  h->func.returnsByJump = 1;
  h->func.ctx = h.get();
  h->func.typeId = typeId;  // the importing module's canonical id of its type (type_canon.h)
  h->func.type = &h->type;
  h->func.instance = nullptr;
  registerFastHost(env, *h);
  return h;
}

}  // namespace mitey
