#include "references.h"

#include "env_state.h"
#include "exceptions.h"
#include "exported_function.h"
#include "gc_handlers.h"
#include "gc_js.h"
#include "handles.h"
#include "js_exceptions.h"
#include "type_canon.h"

namespace mitey {

namespace {

napi_value funcRefToJs(napi_env env, Slot s) {
  napi_value v;
  if (s == 0) {
    napi_get_null(env, &v);
    return v;
  }
  return exportedFunction(env, reinterpret_cast<FuncInstance*>(s));
}

constexpr uint32_t kHeapNoFunc = 0x73, kHeapNoExtern = 0x72;

bool isNull(napi_env env, napi_value v) {
  napi_valuetype t;
  return napi_typeof(env, v, &t) == napi_ok && t == napi_null;
}

/** t is canonical (type_canon.h): a concrete heap type is a canonical id. */
bool funcRefFromJs(napi_env env, ValType t, napi_value v, Slot& out) {
  if (isNull(env, v)) {
    out = 0;
    return true;
  }
  FuncInstance* f = exportedFunctionTarget(env, v);
  if (!f) {
    throwError(env, JsError::TypeError, "type incompatibility when transforming from/to JS: not a funcref");
    return false;
  }
  // A function type holds functions of it and of its declared subtypes, and nofunc holds null
  // alone: anything else would let call_ref run a function of another signature.
  uint32_t h = t.heap();
  if (h == kHeapNoFunc || ((h & ValType::kConcrete) && !canonicalSubtype(f->typeId, h & ~ValType::kConcrete))) {
    throwError(env, JsError::TypeError, "type incompatibility when transforming from/to JS: a function of another type");
    return false;
  }
  out = reinterpret_cast<Slot>(f);
  return true;
}

/** An exnref in JS: an opaque handle (the exception escapes: JS may keep it). */
napi_value exnRefToJs(napi_env env, Slot s) {
  napi_value v;
  if (s == 0) {
    napi_get_null(env, &v);
    return v;
  }
  auto* e = reinterpret_cast<Exception*>(s);
  escape(e);
  napi_create_external(env, e, nullptr, nullptr, &v);
  napi_type_tag_object(env, v, &kExnTag);
  return v;
}

/** For the harness (the JS API refuses exnref values from JS before): its handle, or a WebAssembly.Exception. */
bool exnRefFromJs(napi_env env, napi_value v, Slot& out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_null) {
    out = 0;
    return true;
  }
  bool ok = false;
  if (t == napi_external) napi_check_object_type_tag(env, v, &kExnTag, &ok);
  void* p = nullptr;
  if (ok) napi_get_value_external(env, v, &p);
  if (!p && (p = exceptionOfObject(env, v))) escape(static_cast<Exception*>(p));  // wasm may keep it
  if (!p) {
    throwError(env, JsError::TypeError, "type incompatibility when transforming from/to JS: not an exnref");
    return false;
  }
  out = reinterpret_cast<Slot>(p);
  return true;
}

}  // namespace

napi_value refToJs(napi_env env, ValType t, Slot s) {
  if (isExnRef(t)) return exnRefToJs(env, s);
  return isFuncRef(t) ? funcRefToJs(env, s) : gcRefToJs(env, s);
}

bool refFromJs(napi_env env, ValType t, napi_value v, Slot& out) {
  if (isExnRef(t)) {
    if (!exnRefFromJs(env, v, out)) return false;
  } else if (isFuncRef(t)) {
    if (!funcRefFromJs(env, t, v, out)) return false;
  } else if (t.heap() == kHeapNoExtern && !isNull(env, v)) {
    throwError(env, JsError::TypeError, "type incompatibility when transforming from/to JS: noextern holds null only");
    return false;
  } else if (!gcRefFromJs(env, v, out)) {
    return false;
  } else if (out != 0 && isAnyRef(t) && !refIsOfHeap(out, t.heap())) {  // a host value, an i31 or an object of another type
    throwError(env, JsError::TypeError, "type incompatibility when transforming from/to JS: a value of another type");
    return false;
  }
  if (out == 0 && !t.nullable()) {  // typed references: null where the type has none
    throwError(env, JsError::TypeError, "type incompatibility when transforming from/to JS: null for a non-nullable reference");
    return false;
  }
  return true;
}

}  // namespace mitey
