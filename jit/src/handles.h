// Native objects as JS holds them: type-tagged externals, so that a foreign object is never taken
// for one of ours (a wrong one is a TypeError, never a pointer).
#pragma once
#include <napi.h>

#include <string>

namespace mitey {

inline constexpr napi_type_tag kModuleTag = {0x6d69746579000001ull, 0x4d4f44554c450001ull};
inline constexpr napi_type_tag kInstanceTag = {0x6d69746579000002ull, 0x494e5354414e4345ull};
inline constexpr napi_type_tag kExternTag = {0x6d69746579000003ull, 0x45585445524e0001ull};
inline constexpr napi_type_tag kExnTag = {0x6d69746579000004ull, 0x45584e5245460001ull};

// Every finalizer here is basic (it takes a BasicEnv), so it runs inside the collector: a dead
// instance's reservation is returned by the collection that finds it, not on a later turn of the
// event loop that a synchronous loop never reaches.
template <typename T>
Napi::External<T> tagged(Napi::Env env, T* p, const napi_type_tag& tag) {
  auto ext = Napi::External<T>::New(env, p, [](Napi::BasicEnv, T* q) { delete q; });
  napi_type_tag_object(env, ext, &tag);
  return ext;
}

/** The object behind a tagged external, or null. */
template <typename T>
T* tryUntag(Napi::Env env, Napi::Value v, const napi_type_tag& tag) {
  bool ok = false;
  if (v.IsExternal()) napi_check_object_type_tag(env, v, &tag, &ok);
  return ok ? v.As<Napi::External<T>>().Data() : nullptr;
}

template <typename T>
T* untag(Napi::Env env, Napi::Value v, const napi_type_tag& tag, const char* what) {
  T* p = tryUntag<T>(env, v, tag);
  if (!p) throw Napi::TypeError::New(env, std::string("expected a ") + what + " handle");
  return p;
}

}  // namespace mitey
