#include "exported_function.h"

#include "exceptions.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "env_state.h"
#include "fast_entry.h"
#include "host_function.h"
#include "js_exceptions.h"
#include "instantiate.h"
#include "js_values.h"
#include "references.h"
#include "thread_state.h"
#include "type_canon.h"

namespace mitey {

namespace {

constexpr napi_type_tag kExportedFunctionTag = {0x6d69746579000005ull, 0x4558504f52544601ull};

/** A weak reference from a FuncInstance to its Exported Function, let go of with the function. */
struct WeakFunction {
  napi_env env;
  napi_ref ref;
  ~WeakFunction() { deleteReferenceLater(env, ref); }
};

bool allCross(const std::vector<ValType>& types) {
  for (ValType t : types)
    if (!crossesToJs(t)) return false;
  return true;
}

/** Arguments that fit on the native stack; more take the slower path (callExportedMany). */
constexpr size_t kInlineArgs = 8;

/** ToWebAssemblyValue of each argument (undefined for a missing one) into units: false with an exception pending. */
__attribute__((always_inline)) inline bool convertArguments(napi_env env, const FuncType& t, const napi_value* argv, size_t argc, Slot* units) {
  napi_value undefined = nullptr;
  if (argc < t.params.size()) napi_get_undefined(env, &undefined);
  for (size_t i = 0; i < t.params.size(); i++) {
    napi_value v = i < argc ? argv[i] : undefined;
    // The common cases inline: a Number for an i32 or f64 (a failed fast read has no effect).
    ValType pt = t.params[i];
    if (pt == ValType::I32) {
      int32_t x;
      if (napi_get_value_int32(env, v, &x) == napi_ok) {
        units[i] = static_cast<uint32_t>(x);
        continue;
      }
    } else if (pt == ValType::F64) {
      double d;
      if (napi_get_value_double(env, v, &d) == napi_ok) {
        std::memcpy(&units[i], &d, 8);
        continue;
      }
    }
    if (!fromJsValue(env, pt, v, units[i])) {
      throwCaughtException(env);
      return false;
    }
  }
  return true;
}

/**
 * Calls f as a new activation with its arguments already converted (conversions may run JS, which
 * may use the value stack, so nothing is written there before): the result or, with an exception
 * pending, null.
 */
napi_value enterWasm(napi_env env, const FuncInstance* f, const Slot* units) {
  const FuncType& t = *f->type;
  ThreadState& ts = threadState();
  Slot* frame = ts.valueStackTop;
  for (size_t i = 0; i < t.params.size(); i++) frame[i] = units[i];
  int code = callWasm(ts, f, frame);
  if (code) {
    throwTrap(env, code);
    return nullptr;
  }
  size_t nr = t.results.size();
  if (nr == 0) return nullptr;  // undefined
  if (nr == 1) {
    napi_value r;
    if (t.results[0] == ValType::I32) {
      napi_create_int32(env, static_cast<int32_t>(static_cast<uint32_t>(frame[0])), &r);
      return r;
    }
    return toJsValue(env, t.results[0], frame[0]);
  }
  // Copied out first: making a JS value may run a finalizer, never wasm, but keep the frame ours.
  std::vector<Slot> results(frame, frame + nr);
  napi_value array;
  napi_create_array_with_length(env, nr, &array);
  for (size_t i = 0; i < nr; i++) napi_set_element(env, array, static_cast<uint32_t>(i), toJsValue(env, t.results[i], results[i]));
  return array;
}
/** What every call checks first: not `new`, a live instance, no v128 in the signature. False with an exception pending. */
__attribute__((always_inline)) inline bool callable(napi_env env, napi_callback_info info, const ExportedFunctionData* d) {
  napi_value newTarget;
  napi_get_new_target(env, info, &newTarget);
  if (newTarget) {
    throwError(env, JsError::TypeError, "an exported WebAssembly function is not a constructor");
    return false;
  }
  if (d->func->instance && d->func->instance->released) {
    throwError(env, JsError::Error, "the instance was released");
    return false;
  }
  deletePendingReferences(env);
  // The JS API: a v128 in the signature cannot cross to JS, so calling the function throws.
  if (d->cannotCross) {
    throwError(env, JsError::TypeError, "type incompatibility when transforming from/to JS: v128 or exnref");
    return false;
  }
  return true;
}

/** A function of more than kInlineArgs parameters. */
napi_value callExportedMany(napi_env env, napi_callback_info info) {
  void* data;
  size_t argc = 0;
  napi_get_cb_info(env, info, &argc, nullptr, nullptr, &data);
  auto* d = static_cast<ExportedFunctionData*>(data);
  if (!callable(env, info, d)) return nullptr;
  const FuncType& t = d->type;
  std::vector<napi_value> argv(std::max(argc, t.params.size()));
  argc = argv.size();
  napi_get_cb_info(env, info, &argc, argv.data(), nullptr, nullptr);
  std::vector<Slot> units(t.params.size());
  if (!convertArguments(env, t, argv.data(), argc, units.data())) return nullptr;
  return enterWasm(env, d->func, units.data());
}

/** A function of at most kInlineArgs parameters: nothing allocated. */
napi_value callExported(napi_env env, napi_callback_info info) {
  napi_value argv[kInlineArgs];
  size_t argc = kInlineArgs;
  void* data;
  napi_get_cb_info(env, info, &argc, argv, nullptr, &data);
  auto* d = static_cast<ExportedFunctionData*>(data);
  if (!callable(env, info, d)) return nullptr;
  Slot units[kInlineArgs];
  if (!convertArguments(env, d->type, argv, argc, units)) return nullptr;
  return enterWasm(env, d->func, units);
}

napi_value makeExportedFunction(napi_env env, FuncInstance* f) {
  if (fastEntryFits(*f->type)) return makeFastExportedFunction(env, f, kExportedFunctionTag);
  auto* d = new ExportedFunctionData{f, ownerOf(f), !allCross(f->type->params) || !allCross(f->type->results), nullptr, canonicalType(f)};
  // The JS API names an exported function by its index in its instance's function space.
  std::string name = f->instance ? std::to_string(f->index) : std::string();
  napi_value fn;
  if (napi_create_function(env, name.c_str(), name.size(), f->type->params.size() <= kInlineArgs ? callExported : callExportedMany, d, &fn) != napi_ok) {
    delete d;
    return nullptr;
  }
  // A basic finalizer (it runs inside the collector): a dead function lets go of its instance at once.
  if (napi_wrap(env, fn, d, [](node_api_basic_env, void* p, void*) { delete static_cast<ExportedFunctionData*>(p); }, nullptr, nullptr) != napi_ok) {
    delete d;
    return nullptr;
  }
  napi_type_tag_object(env, fn, &kExportedFunctionTag);
  napi_value length;
  napi_create_uint32(env, static_cast<uint32_t>(f->type->params.size()), &length);
  napi_property_descriptor desc = {"length", nullptr, nullptr, nullptr, nullptr, length, napi_configurable, nullptr};
  napi_define_properties(env, fn, 1, &desc);
  return fn;
}

}  // namespace

bool crossesToJs(ValType t) { return t != ValType::V128 && !isExnRef(t); }

FuncType canonicalType(const FuncInstance* f) {
  return *f->type;  // canonical already (a wasm function's: CompiledModule::funcTypes; a host function's: makeHostFunction)
}

void throwTrap(napi_env env, int code) {
  Trap trap = static_cast<Trap>(code - 1);
  if (trap == Trap::HostException) return;  // the JS exception is pending
  if (trap == Trap::Exception) {
    // An uncaught exception: thrown as the JS API says (its WebAssembly.Exception, or the JS tag's value).
    if (Exception* e = takePendingException()) {
      if (napi_value v = exceptionToJs(env, e)) throwValue(v);
      return;
    }
  }
  if (trap == Trap::CallStackExhausted) {
    throwError(env, JsError::RangeError, "Maximum call stack size exceeded");
  } else {
    throwRuntimeError(env, trapMessage(trap).c_str());
  }
}

std::shared_ptr<void> ownerOf(FuncInstance* f) {
  if (f->instance) return f->instance->self.lock();
  return static_cast<HostFunction*>(f->ctx)->shared_from_this();
}

napi_value exportedFunction(napi_env env, FuncInstance* f) {
  auto* cached = static_cast<WeakFunction*>(f->jsFunction.get());
  if (cached && cached->env == env) {
    napi_value fn = nullptr;
    if (napi_get_reference_value(env, cached->ref, &fn) == napi_ok && fn) return fn;
  }
  napi_value fn = makeExportedFunction(env, f);
  if (!fn) return nullptr;
  napi_ref ref;
  if (napi_create_reference(env, fn, 0, &ref) == napi_ok) f->jsFunction = std::shared_ptr<WeakFunction>(new WeakFunction{env, ref});
  return fn;
}

FuncInstance* exportedFunctionTarget(napi_env env, napi_value v) {
  napi_valuetype type;
  if (napi_typeof(env, v, &type) != napi_ok || type != napi_function) return nullptr;
  bool ours = false;
  napi_check_object_type_tag(env, v, &kExportedFunctionTag, &ours);
  if (!ours) return nullptr;
  void* data = nullptr;
  if (napi_unwrap(env, v, &data) == napi_ok && data) return static_cast<ExportedFunctionData*>(data)->func;
  return nullptr;
}

}  // namespace mitey
