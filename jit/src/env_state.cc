#include "env_state.h"

#include <v8.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

namespace mitey {

namespace {

/**
 * Externrefs: a JS Array of the values, indexed by ref - 1, and a Map from value to ref so that a
 * value crossing many times takes one entry. The values live on the JS heap, where the collector
 * sees them. Minus zero has an entry of its own: a Map key -0 is +0.
 */
struct EnvState {
  napi_ref values = nullptr;
  napi_ref ids = nullptr;
  napi_ref get = nullptr;  // Map.prototype.get and set as they were at load: later patches are not called
  napi_ref set = nullptr;
  uint32_t count = 0;
  uint64_t minusZero = 0;
  // Intrinsics as they were at load (before any program replaces globalThis.WebAssembly).
  napi_ref asIntN = nullptr;        // BigInt.asIntN: exactly ToBigInt64 with 64
  napi_ref runtimeError = nullptr;  // WebAssembly.RuntimeError
  napi_ref exceptionFactory = nullptr;  // makes a WebAssembly.Exception object (js_exceptions.h)
  napi_ref gcFace = nullptr;            // target => the Proxy that is a GC object's JS face
};

// Proxy, TypeError and Object.freeze as they are when the addon loads, closed over.
constexpr const char* kGcFaceSource = R"((() => {
  const P = Proxy, E = TypeError, freeze = Object.freeze;
  const refuse = () => { throw new E('a WebAssembly GC object cannot be changed from JavaScript'); };
  const handler = freeze({ __proto__: null, set: refuse, deleteProperty: refuse, defineProperty: refuse, preventExtensions: refuse, setPrototypeOf: refuse });
  return (target) => new P(target, handler);
})())";

// The references finalizers leave for later, per thread (an environment lives on one thread).
thread_local std::vector<std::pair<napi_env, napi_ref>> tPending;


EnvState* state(napi_env env) {
  void* data = nullptr;
  napi_get_instance_data(env, &data);
  return static_cast<EnvState*>(data);
}

bool callMethod(napi_env env, napi_value object, napi_ref method, size_t argc, const napi_value* argv, napi_value* result) {
  napi_value fn;
  if (napi_get_reference_value(env, method, &fn) != napi_ok) return false;
  return napi_call_function(env, object, fn, argc, argv, result) == napi_ok;
}

/** Throws in V8 itself, outside N-API's keeping (see throwError in env_state.h). */
void throwDirect(napi_value error) {
  v8::Local<v8::Value> e;
  static_assert(sizeof(e) == sizeof(error));  // a napi_value is a v8::Local by value in every Node
  std::memcpy(static_cast<void*>(&e), &error, sizeof error);
  v8::Isolate::GetCurrent()->ThrowException(e);
}

bool isMinusZero(napi_env env, napi_value v) {
  napi_valuetype t;
  double d;
  return napi_typeof(env, v, &t) == napi_ok && t == napi_number && napi_get_value_double(env, v, &d) == napi_ok && d == 0 && std::signbit(d);
}

}  // namespace

void initEnvState(napi_env env) {
  auto* s = new EnvState();
  napi_value array, global, mapCtor, map;
  napi_create_array(env, &array);
  napi_get_global(env, &global);
  napi_get_named_property(env, global, "Map", &mapCtor);
  napi_new_instance(env, mapCtor, 0, nullptr, &map);
  napi_create_reference(env, array, 1, &s->values);
  napi_create_reference(env, map, 1, &s->ids);
  napi_value get, set;
  napi_get_named_property(env, map, "get", &get);
  napi_get_named_property(env, map, "set", &set);
  napi_create_reference(env, get, 1, &s->get);
  napi_create_reference(env, set, 1, &s->set);
  napi_value bigint, asIntN, wasm, runtimeError;
  napi_get_named_property(env, global, "BigInt", &bigint);
  napi_get_named_property(env, bigint, "asIntN", &asIntN);
  napi_create_reference(env, asIntN, 1, &s->asIntN);
  napi_get_named_property(env, global, "WebAssembly", &wasm);
  napi_get_named_property(env, wasm, "RuntimeError", &runtimeError);
  napi_create_reference(env, runtimeError, 1, &s->runtimeError);
  napi_value source, gcFace;
  napi_create_string_utf8(env, kGcFaceSource, NAPI_AUTO_LENGTH, &source);
  if (napi_run_script(env, source, &gcFace) == napi_ok) napi_create_reference(env, gcFace, 1, &s->gcFace);
  napi_set_instance_data(
      env, s,
      [](napi_env e, void* data, void*) {
        auto* st = static_cast<EnvState*>(data);
        napi_delete_reference(e, st->values);
        napi_delete_reference(e, st->ids);
        napi_delete_reference(e, st->get);
        napi_delete_reference(e, st->set);
        napi_delete_reference(e, st->asIntN);
        napi_delete_reference(e, st->runtimeError);
        if (st->exceptionFactory) napi_delete_reference(e, st->exceptionFactory);
        if (st->gcFace) napi_delete_reference(e, st->gcFace);
        delete st;
        // This environment's pending references go with it: a later one may reuse its address.
        gPendingReferences.fetch_sub(std::erase_if(tPending, [e](const auto& p) { return p.first == e; }), std::memory_order_relaxed);
      },
      nullptr);
}

bool externFromJs(napi_env env, napi_value v, uint64_t& out) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return false;
  if (t == napi_null) {
    out = 0;
    return true;
  }
  EnvState* s = state(env);
  napi_value values, ids, found;
  napi_get_reference_value(env, s->values, &values);
  napi_get_reference_value(env, s->ids, &ids);
  bool minusZero = isMinusZero(env, v);
  if (minusZero && s->minusZero) {
    out = s->minusZero;
    return true;
  }
  if (!minusZero) {
    if (!callMethod(env, ids, s->get, 1, &v, &found)) return false;
    napi_valuetype ft;
    napi_typeof(env, found, &ft);
    if (ft == napi_number) {
      uint32_t ref;
      napi_get_value_uint32(env, found, &ref);
      out = ref;
      return true;
    }
  }
  if (s->count == UINT32_MAX - 1) {
    throwError(env, JsError::RangeError, "too many distinct externref values");
    return false;
  }
  uint32_t ref = ++s->count;
  if (napi_set_element(env, values, ref - 1, v) != napi_ok) return false;
  if (minusZero) {
    s->minusZero = ref;
  } else {
    napi_value key[2] = {v, nullptr};
    napi_create_uint32(env, ref, &key[1]);
    napi_value ignored;
    if (!callMethod(env, ids, s->set, 2, key, &ignored)) return false;
  }
  out = ref;
  return true;
}

napi_value externToJs(napi_env env, uint64_t ref) {
  napi_value v;
  if (ref == 0) {
    napi_get_null(env, &v);
    return v;
  }
  napi_value values;
  napi_get_reference_value(env, state(env)->values, &values);
  napi_get_element(env, values, static_cast<uint32_t>(ref - 1), &v);
  return v;
}

void setExceptionFactory(napi_env env, napi_value fn) {
  EnvState* s = state(env);
  if (s->exceptionFactory) napi_delete_reference(env, s->exceptionFactory);
  napi_create_reference(env, fn, 1, &s->exceptionFactory);
}

napi_value exceptionFactory(napi_env env) {
  EnvState* s = state(env);
  napi_value fn = nullptr;
  if (s->exceptionFactory) napi_get_reference_value(env, s->exceptionFactory, &fn);
  return fn;
}

napi_value bigIntAsIntN(napi_env env) {
  napi_value v;
  napi_get_reference_value(env, state(env)->asIntN, &v);
  return v;
}

void throwError(napi_env env, JsError kind, const char* message) {
  napi_value msg, error;
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
  napi_status st = kind == JsError::TypeError    ? napi_create_type_error(env, nullptr, msg, &error)
                   : kind == JsError::RangeError ? napi_create_range_error(env, nullptr, msg, &error)
                                                 : napi_create_error(env, nullptr, msg, &error);
  if (st == napi_ok) throwDirect(error);
}

napi_value gcFaceMaker(napi_env env) {
  EnvState* s = state(env);
  napi_value fn = nullptr;
  if (s && s->gcFace) napi_get_reference_value(env, s->gcFace, &fn);
  return fn;
}

void throwRuntimeError(napi_env env, const char* message) {
  napi_value ctor, msg, error;
  napi_get_reference_value(env, state(env)->runtimeError, &ctor);
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
  if (napi_new_instance(env, ctor, 1, &msg, &error) == napi_ok) throwDirect(error);
}

void throwValue(napi_value error) { throwDirect(error); }

bool runCatching(napi_env env, void (*fn)(void*), void* arg, napi_value* thrown) {
  *thrown = nullptr;
  v8::TryCatch caught(v8::Isolate::GetCurrent());
  fn(arg);
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) return napi_get_and_clear_last_exception(env, thrown) == napi_ok;
  if (!caught.HasCaught()) return false;
  if (!caught.CanContinue()) {
    caught.ReThrow();
    return true;
  }
  v8::Local<v8::Value> e = caught.Exception();  // a handle of the caller's scope: it outlives the TryCatch
  static_assert(sizeof(e) == sizeof(*thrown));
  std::memcpy(static_cast<void*>(thrown), &e, sizeof e);
  return true;
}

void throwCaughtException(napi_env env) {
  napi_value e = nullptr;
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) != napi_ok || !pending) return;
  if (napi_get_and_clear_last_exception(env, &e) == napi_ok && e) throwDirect(e);
}

void deleteReferenceLater(napi_env env, napi_ref ref) {
  tPending.emplace_back(env, ref);
  gPendingReferences.fetch_add(1, std::memory_order_relaxed);
}

// How many wait on any thread: the common case (none) costs every call from JS one load, no TLS.
std::atomic<size_t> gPendingReferences{0};

void deletePendingReferencesNow(napi_env env) {
  if (tPending.empty()) return;
  std::vector<std::pair<napi_env, napi_ref>> mine;
  std::erase_if(tPending, [&](const auto& p) {
    if (p.first != env) return false;
    mine.push_back(p);
    return true;
  });
  gPendingReferences.fetch_sub(mine.size(), std::memory_order_relaxed);
  for (const auto& p : mine) napi_delete_reference(env, p.second);
}

}  // namespace mitey
