#include "fast_entry.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "activation.h"
#include "env_state.h"
#include "exported_function.h"
#include "host_function.h"
#include "stack_switch.h"
#include "trap.h"
#include "type_letters.h"

namespace mitey {

namespace {

constexpr size_t kMaxParams = 16;
/** Units of 8 bytes: unit 0 the callee's slot, units 1.. its arguments, unit 1 its result. */
constexpr size_t kAreaUnits = kMaxParams + 1;

/**
 * What the entry needs of a callee, in one place: each load that depends on another costs the
 * entry a few cycles, and a call of a trivial function is little else.
 */
struct FastSlot {
  const FuncInstance* func = nullptr;  // null: a free slot
  const Instance* instance = nullptr;  // its owner, for the released check (null for host functions)
  uint32_t params = 0;
  uint32_t narrow = 0;  // bit i: parameter i is an i32 or f32, written as four bytes
  bool hasResult = false;
};

/** Per JS environment: the call area, the entries, the makers per signature, the slots. */
struct FastEntryState {
  napi_env env;
  Slot* area = nullptr;
  napi_ref areaBuffer = nullptr;
  napi_ref entry = nullptr;
  napi_ref callHosts = nullptr;
  napi_ref hosts = nullptr;  // a JS Array: host slot → the function that calls it from the area
  napi_ref bigIntAsIntN = nullptr;
  std::unordered_map<std::string, napi_ref> makers;      // signature → (slot) => Exported Function
  std::unordered_map<std::string, napi_ref> hostMakers;  // signature → (fn) => caller from the area
  std::vector<FastSlot> slots;
  std::vector<uint32_t> freeSlots;
  uint32_t hostSlotCount = 0;  // host slots handed out, freed ones included
  std::vector<uint32_t> freeHostSlots;
  Activation* spareActivations = nullptr;  // ended activations, linked through prev, for the next entries
  uint32_t tokens = 0;  // the last token given to an activation (its wrapper names it to resume it)
  bool live = true;  // false once the environment is torn down

  ~FastEntryState() {
    while (Activation* a = spareActivations) {
      spareActivations = a->prev;
      delete a;
    }
  }

  void releaseReferences() {
    live = false;
    for (napi_ref r : {areaBuffer, entry, callHosts, hosts, bigIntAsIntN})
      if (r) napi_delete_reference(env, r);
    for (auto* m : {&makers, &hostMakers}) {
      for (auto& [sig, r] : *m) napi_delete_reference(env, r);
      m->clear();
    }
  }
};

// The environments of this thread (one, unless the addon loads in several contexts), and the one
// that entered last: the entry finds its state there, cheaper than asking N-API for its data.
thread_local std::vector<std::shared_ptr<FastEntryState>> tStates;
__attribute__((tls_model("initial-exec"))) constinit thread_local FastEntryState* tLast = nullptr;

__attribute__((noinline)) FastEntryState* findEntryState(napi_env env) {
  for (auto& s : tStates)
    if (s->env == env && s->live) return tLast = s.get();
  return nullptr;
}

inline FastEntryState* entryState(napi_env env) {
  if (FastEntryState* s = tLast; s && s->env == env && s->live) [[likely]] return s;
  return findEntryState(env);
}

bool narrow(ValType t) { return t == ValType::I32 || t == ValType::F32; }

/** An i32 or f32 is written as four bytes (and read as four: a wider load would wait for the narrower store). */
Slot readUnit(const Slot* area, size_t k, bool isNarrow) {
  if (!isNarrow) return area[k];
  uint32_t low;
  std::memcpy(&low, &area[k], 4);
  return low;
}

void runFunction(void* p) {
  auto* a = static_cast<Activation*>(p);
  a->func->code(a->func->ctx, a->frame);
}

/** The activation ends (wasm returned, trapped or was abandoned): its spare goes back to the state. */
void endActivation(FastEntryState* s, ThreadState& ts, Activation* a, bool framesLeft) {
  leaveActivation(ts, *a, framesLeft);
  a->prev = s->spareActivations;
  s->spareActivations = a;
}

/** After wasm gave control back: true (to JS) while a host call waits, else the result in the area. */
napi_value afterWasm(napi_env env, FastEntryState* s, ThreadState& ts, Activation* a, uintptr_t r) {
  if (r == kWasmCallsHost) {
    napi_value t;
    napi_create_uint32(env, a->token, &t);
    return t;
  }
  bool hasResult = !a->func->type->results.empty();
  Slot result = a->frame[0];
  endActivation(s, ts, a, r != kWasmReturned);
  if (r != kWasmReturned) {
    throwTrap(env, static_cast<int>(r - kWasmTrapped) + 1);
    return nullptr;
  }
  if (hasResult) s->area[1] = result;
  return nullptr;
}

/** The native entry: the callee's slot and arguments are in the call area. */
napi_value enter(napi_env env, napi_callback_info) {
  FastEntryState* s = entryState(env);
  Slot* area = s->area;
  uint32_t slot;
  std::memcpy(&slot, area, 4);
  if (slot >= s->slots.size() || !s->slots[slot].func) [[unlikely]] {
    throwError(env, JsError::TypeError, "not an exported WebAssembly function");
    return nullptr;
  }
  const FastSlot& callee = s->slots[slot];
  if (callee.instance && callee.instance->released) {
    throwError(env, JsError::Error, "the instance was released");
    return nullptr;
  }
  deletePendingReferences(env);
  ThreadState& ts = threadState();
  uintptr_t top = wasmStackTopFor(ts, ts.activation);
  if (!top) {
    throwError(env, JsError::RangeError, "Maximum call stack size exceeded");
    return nullptr;
  }
  Activation* a = s->spareActivations;
  if (!a) {
    a = new Activation();
  } else {
    // Field by field: a whole new Activation assigned went through the stack, a store then a
    // wider load of it (a store-forwarding stall, the costliest part of this entry).
    s->spareActivations = a->prev;
    a->waitingHost = nullptr;
    a->exitReturnSlot = nullptr;
    a->hostScope = nullptr;
    a->hostEnv = nullptr;
    a->hostCalls = 0;
  }
  a->prev = ts.activation;
  a->wasmTop = top;
  a->driver = s;
  a->token = ++s->tokens;
  a->func = callee.func;
  a->frame = ts.valueStackTop;
  for (uint32_t i = 0; i < callee.params; i++) a->frame[i] = readUnit(area, i + 1, callee.narrow & (1u << i));
  enterActivation(ts, *a);
  ts.activation = a;
  a->onMainStack = false;
  uintptr_t r = mitey_run_wasm(a, reinterpret_cast<void*>(top), &runFunction, a);
  return afterWasm(env, s, ts, a, r);
}

/**
 * The activation whose token the wrapper wrote in unit 0, waiting for its host call, or null (with
 * a JS exception pending). Its wrapper runs, so any fast entry's activation above it is dead: its
 * wrapper left without resuming or abandoning it (a stack overflow or a termination in JS); those
 * end here. A C++ entry (runActivation) always ends itself: met on the way, it is live, and the
 * wrapper cannot be running.
 */
Activation* waitingActivation(napi_env env, FastEntryState* s, ThreadState& ts) {
  uint32_t token;
  std::memcpy(&token, s->area, 4);
  Activation* a = ts.activation;
  while (a && a->driver && !(a->driver == s && a->token == token)) a = a->prev;
  if (!a || a->driver != s || !a->waitingHost) {
    throwError(env, JsError::Error, "no WebAssembly call waits for a host function");
    return nullptr;
  }
  while (ts.activation != a) {
    Activation* dead = ts.activation;
    if (dead->waitingHost) ts.valueStackTop = dead->valueStackTopBefore;
    endActivation(static_cast<FastEntryState*>(dead->driver), ts, dead, true);
  }
  return a;
}

/** Continues wasm after the wrapper called its host function: the result, if any, is in the area. */
napi_value resume(napi_env env, napi_callback_info) {
  FastEntryState* s = entryState(env);
  ThreadState& ts = threadState();
  Activation* a = waitingActivation(env, s, ts);
  if (!a) return nullptr;
  const FuncType& t = a->waitingHost->type;
  if (!t.results.empty()) a->hostFrame[0] = readUnit(s->area, 1, narrow(t.results[0]));
  ts.valueStackTop = a->valueStackTopBefore;
  a->waitingHost = nullptr;
  a->exitReturnSlot = nullptr;
  a->onMainStack = false;
  uintptr_t r = mitey_resume_wasm(a);
  return afterWasm(env, s, ts, a, r);
}

/** The host function threw: wasm's frames of this activation are dropped, and the wrapper rethrows. */
napi_value abandon(napi_env env, napi_callback_info) {
  FastEntryState* s = entryState(env);
  ThreadState& ts = threadState();
  Activation* a = waitingActivation(env, s, ts);
  if (!a) return nullptr;
  ts.valueStackTop = a->valueStackTopBefore;
  endActivation(s, ts, a, true);
  return nullptr;
}

std::string unitName(ValType t, size_t k) {
  switch (t) {
    case ValType::I32: return "i32[" + std::to_string(2 * k) + "]";
    case ValType::F32: return "f32[" + std::to_string(2 * k) + "]";
    case ValType::F64: return "f64[" + std::to_string(k) + "]";
    default: return "i64[" + std::to_string(k) + "]";
  }
}

/** ToWebAssemblyValue of a JS value to a number type, as JS source. */
std::string toWasm(ValType t, const std::string& v) {
  switch (t) {
    case ValType::I32: return v + " | 0";
    case ValType::F32: case ValType::F64: return "+" + v;
    default: return "asIntN(64, " + v + ")";
  }
}

const char* kViews =
    "const i32 = new Int32Array(buffer), f32 = new Float32Array(buffer), f64 = new Float64Array(buffer), i64 = new BigInt64Array(buffer); ";

/**
 * The source of a signature's Exported Function maker. Arguments are converted first, all of them,
 * then written: a conversion may run JS that calls wasm through the same area.
 */
std::string makerSource(const FuncType& t) {
  std::string params, convert, store;
  for (size_t i = 0; i < t.params.size(); i++) {
    std::string p = "p" + std::to_string(i), v = "v" + std::to_string(i);
    params += (i ? ", " : "") + p;
    convert += "const " + v + " = " + toWasm(t.params[i], p) + "; ";
    store += unitName(t.params[i], i + 1) + " = " + v + "; ";
  }
  std::string result = t.results.empty() ? "" : "return " + unitName(t.results[0], 1) + "; ";
  return std::string("(function (enter, buffer, asIntN, callHosts) { 'use strict'; ") + kViews + "return (slot) => (" + params + ") => { " +
         convert + store + "i32[0] = slot; const token = enter(); if (token !== undefined) callHosts(token); " + result + "}; })";
}

/** The source of a host signature's caller maker: reads the arguments, calls, converts the result, writes it. */
std::string hostMakerSource(const FuncType& t) {
  std::string args;
  for (size_t i = 0; i < t.params.size(); i++) args += (i ? ", " : "") + unitName(t.params[i], i + 1);
  std::string body = t.results.empty() ? "fn(" + args + "); "
                                       : "const v = " + toWasm(t.results[0], "fn(" + args + ")") + "; " + unitName(t.results[0], 1) + " = v; ";
  return std::string("(function (buffer, asIntN) { 'use strict'; ") + kViews + "return (fn) => () => { " + body + "}; })";
}

/**
 * Host calls while wasm waits on them, each resumed by the activation's token; a throw drops the
 * activation's frames and passes on unchanged.
 */
const char* kCallHostsSource =
    "(function (hosts, resume, abandon, buffer) { 'use strict'; const i32 = new Int32Array(buffer); "
    "return (token) => { do { const h = hosts[i32[0]]; try { h(); } catch (e) { i32[0] = token; abandon(); throw e; } i32[0] = token; } while (resume() !== undefined); }; })";

napi_value runSource(napi_env env, const std::string& source) {
  napi_value script, fn;
  napi_create_string_utf8(env, source.c_str(), source.size(), &script);
  if (napi_run_script(env, script, &fn) != napi_ok) return nullptr;
  return fn;
}

napi_value callWith(napi_env env, napi_value fn, std::initializer_list<napi_value> args) {
  napi_value undefined, result;
  napi_get_undefined(env, &undefined);
  std::vector<napi_value> argv(args);
  if (napi_call_function(env, undefined, fn, argv.size(), argv.data(), &result) != napi_ok) return nullptr;
  return result;
}

napi_value value(napi_env env, napi_ref r) {
  napi_value v;
  napi_get_reference_value(env, r, &v);
  return v;
}

FastEntryState* stateFor(napi_env env) {
  if (FastEntryState* known = entryState(env)) return known;
  auto s = std::make_shared<FastEntryState>();
  s->env = env;
  napi_value buffer, entryFn, resumeFn, abandonFn, hosts, global, bigint, asIntN;
  void* bytes = nullptr;
  if (napi_create_arraybuffer(env, kAreaUnits * sizeof(Slot), &bytes, &buffer) != napi_ok) return nullptr;
  s->area = static_cast<Slot*>(bytes);
  napi_create_function(env, "enter", NAPI_AUTO_LENGTH, enter, nullptr, &entryFn);
  napi_create_function(env, "resume", NAPI_AUTO_LENGTH, resume, nullptr, &resumeFn);
  napi_create_function(env, "abandon", NAPI_AUTO_LENGTH, abandon, nullptr, &abandonFn);
  napi_create_array(env, &hosts);
  napi_value makeCallHosts = runSource(env, kCallHostsSource);
  napi_value callHosts = makeCallHosts ? callWith(env, makeCallHosts, {hosts, resumeFn, abandonFn, buffer}) : nullptr;
  if (!callHosts) return nullptr;
  napi_get_global(env, &global);
  napi_get_named_property(env, global, "BigInt", &bigint);
  napi_get_named_property(env, bigint, "asIntN", &asIntN);
  napi_create_reference(env, buffer, 1, &s->areaBuffer);
  napi_create_reference(env, entryFn, 1, &s->entry);
  napi_create_reference(env, callHosts, 1, &s->callHosts);
  napi_create_reference(env, hosts, 1, &s->hosts);
  napi_create_reference(env, asIntN, 1, &s->bigIntAsIntN);
  napi_add_env_cleanup_hook(
      env,
      [](void* p) {
        auto* st = static_cast<FastEntryState*>(p);
        st->releaseReferences();
        if (tLast == st) tLast = nullptr;
        std::erase_if(tStates, [st](const auto& x) { return x.get() == st; });
      },
      s.get());
  tStates.push_back(s);
  return s.get();
}

std::shared_ptr<FastEntryState> shared(FastEntryState* s) {
  for (auto& x : tStates)
    if (x.get() == s) return x;
  return nullptr;
}

/** A signature's maker in this environment, compiled on first use. */
napi_value makerFor(napi_env env, FastEntryState* s, std::unordered_map<std::string, napi_ref>& cache, const FuncType& t, bool host) {
  std::string sig = signature(t);
  if (auto it = cache.find(sig); it != cache.end()) return value(env, it->second);
  napi_value outer = runSource(env, host ? hostMakerSource(t) : makerSource(t));
  if (!outer) return nullptr;
  napi_value maker = host ? callWith(env, outer, {value(env, s->areaBuffer), value(env, s->bigIntAsIntN)})
                          : callWith(env, outer, {value(env, s->entry), value(env, s->areaBuffer), value(env, s->bigIntAsIntN), value(env, s->callHosts)});
  if (!maker) return nullptr;
  napi_ref ref;
  napi_create_reference(env, maker, 1, &ref);
  cache.emplace(sig, ref);
  return maker;
}

}  // namespace

bool fastEntryFits(const FuncType& t) {
  return t.params.size() <= kMaxParams && t.results.size() <= 1 && std::all_of(t.params.begin(), t.params.end(), isNum) &&
         std::all_of(t.results.begin(), t.results.end(), isNum);
}

napi_value makeFastExportedFunction(napi_env env, FuncInstance* f, const napi_type_tag& tag) {
  FastEntryState* s = stateFor(env);
  if (!s) return nullptr;
  napi_value maker = makerFor(env, s, s->makers, *f->type, false);
  if (!maker) return nullptr;
  auto* d = new ExportedFunctionData{f, ownerOf(f), false, shared(s), {}};  // numbers only: no type to check against
  FastSlot entry{f, f->instance, static_cast<uint32_t>(f->type->params.size()), 0, !f->type->results.empty()};
  for (size_t i = 0; i < f->type->params.size(); i++)
    if (narrow(f->type->params[i])) entry.narrow |= 1u << i;
  uint32_t slot;
  if (!s->freeSlots.empty()) {
    slot = s->freeSlots.back();
    s->freeSlots.pop_back();
    s->slots[slot] = entry;
  } else {
    slot = static_cast<uint32_t>(s->slots.size());
    s->slots.push_back(entry);
  }
  // Frees the slot and the data: a basic finalizer (inside the collector), C++ only.
  auto finalize = [](node_api_basic_env, void* p, void* hint) {
    auto* data = static_cast<ExportedFunctionData*>(p);
    auto* st = static_cast<FastEntryState*>(data->entryState.get());
    uint32_t k = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(hint));
    st->slots[k] = FastSlot{};
    st->freeSlots.push_back(k);
    delete data;
  };
  napi_value slotValue, fn = nullptr;
  napi_create_uint32(env, slot, &slotValue);
  fn = callWith(env, maker, {slotValue});
  if (!fn || napi_wrap(env, fn, d, finalize, reinterpret_cast<void*>(static_cast<uintptr_t>(slot)), nullptr) != napi_ok) {
    s->slots[slot] = FastSlot{};
    s->freeSlots.push_back(slot);
    delete d;
    return nullptr;
  }
  napi_type_tag_object(env, fn, &tag);
  // The JS API names an exported function by its index in its instance's function space.
  std::string name = f->instance ? std::to_string(f->index) : std::string();
  napi_value nameValue;
  napi_create_string_utf8(env, name.c_str(), name.size(), &nameValue);
  napi_property_descriptor desc = {"name", nullptr, nullptr, nullptr, nullptr, nameValue, napi_configurable, nullptr};
  napi_define_properties(env, fn, 1, &desc);
  return fn;
}

void registerFastHost(napi_env env, HostFunction& h) {
  if (!fastEntryFits(h.type)) return;
  FastEntryState* s = stateFor(env);
  if (!s) return;
  napi_value maker = makerFor(env, s, s->hostMakers, h.type, true);
  napi_value fn;
  if (!maker || napi_get_reference_value(env, h.fn, &fn) != napi_ok) return;
  napi_value caller = callWith(env, maker, {fn});
  if (!caller) return;
  uint32_t slot;
  if (!s->freeHostSlots.empty()) {
    slot = s->freeHostSlots.back();
    s->freeHostSlots.pop_back();
  } else {
    slot = s->hostSlotCount++;
  }
  // A freed slot's caller stays in the array (finalizers cannot touch JS) until the slot is reused.
  if (napi_set_element(env, value(env, s->hosts), slot, caller) != napi_ok) {
    s->freeHostSlots.push_back(slot);
    return;
  }
  h.fastSlot = static_cast<int32_t>(slot);
  h.fastState = shared(s);
}

void forgetFastHost(HostFunction& h) {
  auto* s = static_cast<FastEntryState*>(h.fastState.get());
  s->freeHostSlots.push_back(static_cast<uint32_t>(h.fastSlot));
  h.fastSlot = -1;
}

bool waitForHostInJs(Activation& a, HostFunction& h, Slot* frame) {
  auto* s = static_cast<FastEntryState*>(a.driver);
  if (h.fastState.get() != s) return false;
  Slot* area = s->area;
  uint64_t slot = static_cast<uint32_t>(h.fastSlot);
  std::memcpy(area, &slot, 8);
  const FuncType& t = h.type;
  for (size_t i = 0; i < t.params.size(); i++) area[i + 1] = frame[i];
  ThreadState& ts = threadState();
  a.waitingHost = &h;
  a.hostFrame = frame;
  a.valueStackTopBefore = ts.valueStackTop;
  // A nested entry's frames on the value stack go above this call's.
  ts.valueStackTop = frame + std::max(t.params.size(), t.results.size()) + 1;
  a.onMainStack = true;
  return true;
}

}  // namespace mitey
