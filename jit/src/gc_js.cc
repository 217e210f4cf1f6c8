#include "gc_js.h"

#include <cmath>
#include <unordered_map>

#include "env_state.h"

namespace mitey {

namespace {

constexpr napi_type_tag kGcObjectTag = {0x6d69746579000005ull, 0x47434f424a450001ull};

/** A wrapper's data: its object, and the weak reference the object's entry holds to it. */
struct Wrapper {
  GcObject* object;
  napi_env env;
  napi_ref ref = nullptr;
};

// Each object's wrapper while it lives, per thread (an object and its wrapper stay on their thread).
thread_local std::unordered_map<GcObject*, Wrapper*> tWrappers;

void finalizeWrapper(node_api_basic_env, void* data, void*) {
  auto* w = static_cast<Wrapper*>(data);
  auto it = tWrappers.find(w->object);
  if (it != tWrappers.end() && it->second == w) tWrappers.erase(it);
  if (w->ref) deleteReferenceLater(w->env, w->ref);  // finalizers run inside the collector
  delete w;
}

/**
 * The wrapper: an external (its target, frozen, null prototype, whose finalizer ends the entry) behind
 * a Proxy that refuses every change (env_state.h gcFaceMaker); the Proxy is tagged and wrapped with the
 * entry, so that it alone is recognized coming back.
 */
napi_value wrapperOf(napi_env env, GcObject* o) {
  napi_value v = nullptr;
  auto it = tWrappers.find(o);
  if (it != tWrappers.end() && napi_get_reference_value(env, it->second->ref, &v) == napi_ok && v) return v;
  napi_value maker = gcFaceMaker(env);
  if (!maker) return nullptr;
  auto* w = new Wrapper{o, env};
  napi_value target;
  if (napi_create_external(env, w, finalizeWrapper, nullptr, &target) != napi_ok) {
    delete w;
    return nullptr;
  }
  napi_object_freeze(env, target);
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  if (napi_call_function(env, undefined, maker, 1, &target, &v) != napi_ok || napi_type_tag_object(env, v, &kGcObjectTag) != napi_ok ||
      napi_wrap(env, v, w, nullptr, nullptr, nullptr) != napi_ok)
    return nullptr;  // the target's finalizer frees w
  napi_create_reference(env, v, 0, &w->ref);
  tWrappers[o] = w;  // a collected wrapper's entry is replaced (its finalizer then leaves this one)
  return v;
}

/** An integral Number in [-2^30, 2^30), not -0: what the JS API makes an i31. */
bool i31Of(napi_env env, napi_value v, uint64_t& out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) return false;
  if (!(d >= -1073741824.0 && d < 1073741824.0) || d != std::trunc(d) || (d == 0 && std::signbit(d))) return false;
  out = gcref::fromI31(static_cast<uint32_t>(static_cast<int32_t>(d)));
  return true;
}

}  // namespace

void visitWrappedObjects(GcWordVisitor& v) {
  for (const auto& [o, w] : tWrappers) {
    Slot word = reinterpret_cast<Slot>(o);
    v.references(&word, 1);
  }
}

GcObject* gcObjectOfJs(napi_env env, napi_value v) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_object) return nullptr;
  bool ours = false;
  napi_check_object_type_tag(env, v, &kGcObjectTag, &ours);
  void* data = nullptr;
  if (!ours || napi_unwrap(env, v, &data) != napi_ok || !data) return nullptr;
  return static_cast<Wrapper*>(data)->object;
}

napi_value gcRefToJs(napi_env env, uint64_t r) {
  napi_value v = nullptr;
  if (r == 0) {
    napi_get_null(env, &v);
  } else if (gcref::isI31(r)) {
    napi_create_int32(env, static_cast<int32_t>(gcref::i31Signed(r)), &v);
  } else if (gcref::isHost(r)) {
    v = externToJs(env, gcref::hostId(r));
  } else {
    v = wrapperOf(env, gcref::object(r));
    bool pending = false;
    // No face could be made (out of memory, or JS's own limits): the caller gets null and JS an error, never a half-made value.
    if (!v && napi_is_exception_pending(env, &pending) == napi_ok && !pending)
      napi_throw_error(env, nullptr, "cannot make the JS object of a WebAssembly GC reference");
  }
  return v;
}

bool gcRefFromJs(napi_env env, napi_value v, uint64_t& out) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return false;
  if (t == napi_null) {
    out = 0;
    return true;
  }
  if (t == napi_number && i31Of(env, v, out)) return true;
  if (GcObject* o = gcObjectOfJs(env, v)) {
    out = reinterpret_cast<uint64_t>(o);
    return true;
  }
  uint64_t id;
  if (!externFromJs(env, v, id)) return false;
  out = gcref::fromHost(id);
  return true;
}

}  // namespace mitey
