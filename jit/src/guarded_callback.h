// How the addon's functions are registered: through a guard that hands every exception to V8
// directly (env_state.h: N-API keeps the exceptions it throws until the callback returns, and a
// collection in between runs our finalizers with one recorded — a fatal error in Node). A
// node-addon-api error (misuse: a wrong argument), a C++ exception, or an exception a N-API call
// left pending: each becomes a JS throw here.
#pragma once
#include <napi.h>

#include <exception>

#include "env_state.h"

namespace mitey {

template <Napi::Value (*F)(const Napi::CallbackInfo&)>
napi_value guarded(napi_env env, napi_callback_info cbinfo) {
  try {
    Napi::CallbackInfo info(env, cbinfo);
    Napi::Value result = F(info);
    throwCaughtException(env);
    return result;
  } catch (const Napi::Error& e) {
    throwValue(e.Value());
  } catch (const std::exception& e) {
    throwError(env, JsError::Error, e.what());
  }
  return nullptr;
}

/** exports[name] = a JS function calling cb. */
inline void exportFunction(Napi::Env env, Napi::Object exports, const char* name, napi_callback cb) {
  napi_value fn;
  if (napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, nullptr, &fn) == napi_ok) exports.Set(name, Napi::Value(env, fn));
}

}  // namespace mitey
