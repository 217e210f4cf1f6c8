#include "fast_entry.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "env_state.h"
#include "exported_function.h"
#include "instantiate.h"
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
  ExportedFunctionData* data = nullptr;
};

/** Per JS environment: the call area, the entry and the wrapper makers per signature. */
struct FastEntryState {
  napi_env env;
  Slot* area = nullptr;
  napi_ref areaBuffer = nullptr;
  napi_ref entry = nullptr;
  napi_ref bigIntAsIntN = nullptr;
  std::unordered_map<std::string, napi_ref> makers;  // signature → (slot) => Exported Function
  std::vector<FastSlot> slots;                       // what each slot number calls
  std::vector<uint32_t> freeSlots;
  bool live = true;  // false once the environment is torn down

  void releaseReferences() {
    live = false;
    for (napi_ref r : {areaBuffer, entry, bigIntAsIntN})
      if (r) napi_delete_reference(env, r);
    for (auto& [sig, r] : makers) napi_delete_reference(env, r);
    makers.clear();
  }
};

// The environments of this thread (one, unless the addon loads in several contexts), and the one
// that entered last: the entry finds its state there, cheaper than asking N-API for its data.
thread_local std::vector<std::shared_ptr<FastEntryState>> tStates;
__attribute__((tls_model("initial-exec"))) constinit thread_local FastEntryState* tLast = nullptr;

FastEntryState* entryState(napi_env env) {
  if (FastEntryState* s = tLast; s && s->env == env && s->live) [[likely]] return s;
  for (auto& s : tStates)
    if (s->env == env && s->live) return tLast = s.get();
  return nullptr;
}

bool narrow(ValType t) { return t == ValType::I32 || t == ValType::F32; }

/** The native entry: the callee's slot and arguments are in the call area. */
napi_value enter(napi_env env, napi_callback_info info) {
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
  const FuncInstance* f = callee.func;
  bool hasResult = callee.hasResult;
  ThreadState& ts = threadState();
  Slot* frame = ts.valueStackTop;
  // An i32 or f32 is written as four bytes (and read as four: a wider load would wait for the
  // narrower store); the other four are whatever was there.
  for (uint32_t i = 0; i < callee.params; i++) {
    if (callee.narrow & (1u << i)) {
      uint32_t low;
      std::memcpy(&low, &area[i + 1], 4);
      frame[i] = low;
    } else {
      frame[i] = area[i + 1];
    }
  }
  int code = callWasm(ts, f, frame);
  if (code) {
    throwTrap(env, code);
    return nullptr;
  }
  if (hasResult) area[1] = frame[0];
  return nullptr;
}

/**
 * The source of a signature's wrapper maker. Arguments are converted first, all of them, then
 * written: a conversion may run JS that calls wasm through the same area. Unit k is element 2k of
 * the 32-bit views and k of the 64-bit ones.
 */
std::string makerSource(const FuncType& t) {
  std::string params, convert, store;
  for (size_t i = 0; i < t.params.size(); i++) {
    std::string p = "p" + std::to_string(i), v = "v" + std::to_string(i), k = std::to_string(i + 1), k2 = std::to_string(2 * (i + 1));
    params += (i ? ", " : "") + p;
    switch (t.params[i]) {
      case ValType::I32: convert += "const " + v + " = " + p + " | 0; "; store += "i32[" + k2 + "] = " + v + "; "; break;
      case ValType::F32: convert += "const " + v + " = +" + p + "; "; store += "f32[" + k2 + "] = " + v + "; "; break;
      case ValType::F64: convert += "const " + v + " = +" + p + "; "; store += "f64[" + k + "] = " + v + "; "; break;
      default: convert += "const " + v + " = asIntN(64, " + p + "); "; store += "i64[" + k + "] = " + v + "; "; break;
    }
  }
  std::string result;
  if (!t.results.empty()) {
    switch (t.results[0]) {
      case ValType::I32: result = "return i32[2]; "; break;
      case ValType::F32: result = "return f32[2]; "; break;
      case ValType::F64: result = "return f64[1]; "; break;
      default: result = "return i64[1]; "; break;
    }
  }
  return "(function (enter, buffer, asIntN) { 'use strict'; "
         "const i32 = new Int32Array(buffer), f32 = new Float32Array(buffer), f64 = new Float64Array(buffer), i64 = new BigInt64Array(buffer); "
         "return (slot) => (" + params + ") => { " + convert + store + "i32[0] = slot; enter(); " + result + "}; })";
}

FastEntryState* stateFor(napi_env env) {
  if (FastEntryState* known = entryState(env)) return known;
  auto s = std::make_shared<FastEntryState>();
  s->env = env;
  napi_value buffer, entry, global, bigint, asIntN;
  void* bytes = nullptr;
  if (napi_create_arraybuffer(env, kAreaUnits * sizeof(Slot), &bytes, &buffer) != napi_ok) return nullptr;
  s->area = static_cast<Slot*>(bytes);
  if (napi_create_function(env, "enter", NAPI_AUTO_LENGTH, enter, s.get(), &entry) != napi_ok) return nullptr;
  napi_get_global(env, &global);
  napi_get_named_property(env, global, "BigInt", &bigint);
  napi_get_named_property(env, bigint, "asIntN", &asIntN);
  napi_create_reference(env, buffer, 1, &s->areaBuffer);
  napi_create_reference(env, entry, 1, &s->entry);
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

/** The wrapper maker of t's signature in this environment, compiled on first use. */
napi_value makerFor(napi_env env, FastEntryState* s, const FuncType& t) {
  std::string sig = signature(t);
  napi_value maker;
  if (auto it = s->makers.find(sig); it != s->makers.end()) {
    napi_get_reference_value(env, it->second, &maker);
    return maker;
  }
  std::string source = makerSource(t);
  napi_value script, outer, undefined, args[3];
  napi_create_string_utf8(env, source.c_str(), source.size(), &script);
  if (napi_run_script(env, script, &outer) != napi_ok) return nullptr;
  napi_get_undefined(env, &undefined);
  napi_get_reference_value(env, s->entry, &args[0]);
  napi_get_reference_value(env, s->areaBuffer, &args[1]);
  napi_get_reference_value(env, s->bigIntAsIntN, &args[2]);
  if (napi_call_function(env, undefined, outer, 3, args, &maker) != napi_ok) return nullptr;
  napi_ref ref;
  napi_create_reference(env, maker, 1, &ref);
  s->makers.emplace(sig, ref);
  return maker;
}

}  // namespace

bool fastEntryFits(const FuncType& t) {
  auto number = [](ValType v) { return v == ValType::I32 || v == ValType::I64 || v == ValType::F32 || v == ValType::F64; };
  return t.params.size() <= kMaxParams && t.results.size() <= 1 && std::all_of(t.params.begin(), t.params.end(), number) &&
         std::all_of(t.results.begin(), t.results.end(), number);
}

napi_value makeFastExportedFunction(napi_env env, FuncInstance* f, const napi_type_tag& tag) {
  FastEntryState* s = stateFor(env);
  if (!s) return nullptr;
  napi_value maker = makerFor(env, s, *f->type);
  if (!maker) return nullptr;
  std::shared_ptr<FastEntryState> keep;
  for (auto& x : tStates)
    if (x.get() == s) keep = x;
  auto* d = new ExportedFunctionData{f, ownerOf(f), false, keep};
  FastSlot entry{f, f->instance, static_cast<uint32_t>(f->type->params.size()), 0, !f->type->results.empty(), d};
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
  napi_value fn, undefined, slotValue;
  napi_get_undefined(env, &undefined);
  napi_create_uint32(env, slot, &slotValue);
  if (napi_call_function(env, undefined, maker, 1, &slotValue, &fn) != napi_ok ||
      napi_wrap(env, fn, d, finalize, reinterpret_cast<void*>(static_cast<uintptr_t>(slot)), nullptr) != napi_ok) {
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

}  // namespace mitey
