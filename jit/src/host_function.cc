#include "host_function.h"

#include <algorithm>
#include <vector>

#include "activation.h"
#include "exceptions.h"
#include "env_state.h"
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
  Exception* thrown = nullptr;  // a JS exception a try of the activation may catch (thrown on the wasm stack)
};

/** Runs on the JS thread's stack. Cleans up before any trap: a trap leaves this frame without unwinding it. */
void callHost(void* p) {
  HostFunction* h = static_cast<HostCall*>(p)->h;
  Slot* frame = static_cast<HostCall*>(p)->frame;
  napi_env env = h->env;
  const FuncType& t = h->type;
  // The JS API: a v128 cannot cross to JS, so calling such a function throws a TypeError.
  if (frameUnits(t.params) != t.params.size() || frameUnits(t.results) != t.results.size()) {
    throwError(env, JsError::TypeError, "type incompatibility when transforming from/to JS: v128");
    raiseTrap(Trap::HostException);
  }
  ThreadState& ts = threadState();
  Slot* savedTop = ts.valueStackTop;
  ts.valueStackTop = frame + std::max(t.params.size(), t.results.size()) + 1;
  bool ok = true;
  {
    enterHostScope(env, *ts.activation);
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
    ok = napi_call_function(env, undefined, fn, t.params.size(), args, &result) == napi_ok;
    if (ok && t.results.size() == 1) {
      ok = fromJsValue(env, t.results[0], result, frame[0]);
    } else if (ok && t.results.size() > 1) {
      // Multiple results come back as an iterable; arrays are what JS code returns in practice.
      bool isArray = false;
      napi_is_array(env, result, &isArray);
      uint32_t len = 0;
      if (isArray) napi_get_array_length(env, result, &len);
      if (!isArray || len != t.results.size()) {
        throwError(env, JsError::TypeError, "multiple results must be returned as an array of the right length");
        ok = false;
      }
      for (uint32_t i = 0; ok && i < len; i++) {
        napi_value e;
        napi_get_element(env, result, i, &e);
        ok = fromJsValue(env, t.results[i], e, frame[i]);
      }
    }
  }
  ts.valueStackTop = savedTop;
  if (!ok && hasActiveHandler()) {
    // A try of this activation may catch it (catch_all): wrapped, it is thrown on the wasm stack
    // once this call returns there; uncaught, the boundary throws the JS value itself again.
    napi_value value = nullptr;
    if (napi_get_and_clear_last_exception(env, &value) == napi_ok && value) {
      Exception* e = newException(jsExceptionTag(), nullptr, {});
      napi_ref ref;
      napi_create_reference(env, value, 1, &ref);
      e->jsValue = ref;
      e->jsEnv = env;
      static_cast<HostCall*>(p)->thrown = e;
      return;
    }
  }
  if (!ok) throwCaughtException(env);
  if (!ok) raiseTrap(Trap::HostException);  // the JS exception stays pending for the JS caller
}

}  // namespace

/**
 * The host stub's C++ half, on the wasm stack: the activation to give control back to, when a fast
 * entry's wrapper is to call the function in JS; else the call runs here, on the JS thread's stack
 * below the entry, and null.
 */
extern "C" __attribute__((visibility("hidden"))) Activation* mitey_host_call(HostFunction* h, Slot* frame) {
  Activation* a = threadState().activation;
  // (Not in JS when a try could catch what it throws: that must come back here.)
  if (a && a->driver && h->fastSlot >= 0 && !hasActiveHandler() && waitForHostInJs(*a, *h, frame)) return a;
  HostCall call{h, frame};
  runOnMainStack(&callHost, &call);
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
