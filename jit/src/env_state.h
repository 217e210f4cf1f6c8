// What the addon keeps per JS environment (the main thread's and each Worker's): the JS values
// that externrefs stand for, and JS references to let go of once a finalizer may no longer do it.
#pragma once
#include <node_api.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace mitey {

/** Made when the addon loads in an environment; freed with it. */
void initEnvState(napi_env env);

/**
 * The externref for a JS value (any value, as in the JS API; the same value gives the same
 * reference): false with a JS exception pending when it cannot be recorded.
 */
bool externFromJs(napi_env env, napi_value v, uint64_t& out);
/** The JS value an externref stands for (null for the null reference). */
napi_value externToJs(napi_env env, uint64_t ref);

/** The JS side's maker of WebAssembly.Exception objects (js_exceptions.h), or null before it registers one. */
void setExceptionFactory(napi_env env, napi_value fn);
napi_value exceptionFactory(napi_env env);

/**
 * Makes the JS face of a GC object (gc_js.h) from its target, made at load: a Proxy whose handler
 * throws a TypeError for every change (set, delete, defineProperty, preventExtensions,
 * setPrototypeOf), as the JS API's exotic GC objects do in strict and sloppy code alike.
 */
napi_value gcFaceMaker(napi_env env);
/** BigInt.asIntN as it was at load: called with 64, it is the JS API's ToBigInt64. */
napi_value bigIntAsIntN(napi_env env);
/** Throws a WebAssembly.RuntimeError (the class as it was at load) with this message. */
void throwRuntimeError(napi_env env, const char* message);

/**
 * Throwing from our callbacks. N-API keeps every exception it throws or catches aside (its own
 * napi_throw* included) and throws it when the callback returns; a garbage collection during that
 * throw runs our basic finalizers with the exception still recorded, and Node takes it for theirs:
 * a fatal error ("AllowJavascriptExecution"), seen in CI. So our errors go to V8 directly
 * (Isolate::ThrowException, one stable entry point), and N-API never holds one when we return.
 */
enum class JsError { Error, TypeError, RangeError };
void throwError(napi_env env, JsError kind, const char* message);
/** Throws this value in V8 directly. */
void throwValue(napi_value error);
/**
 * Runs fn(arg) and catches what it throws, N-API's kept exception or one thrown in V8 directly: true
 * with the value in *thrown. A termination (a Worker's) is not caught: true with *thrown null.
 */
bool runCatching(napi_env env, void (*fn)(void*), void* arg, napi_value* thrown);
/** Hands an exception a napi call caught (N-API's keeping) to V8 directly. Call before returning with one pending. */
void throwCaughtException(napi_env env);

/**
 * Lets go of a JS reference later, at the addon's next call from JS: finalizers run inside the
 * garbage collector, where no JS reference may be touched.
 */
void deleteReferenceLater(napi_env env, napi_ref ref);
/** How many references wait to be deleted, on any thread. */
extern std::atomic<size_t> gPendingReferences;
void deletePendingReferencesNow(napi_env env);

/** Deletes the references left by finalizers; called on entry to the addon (one load when there are none). */
inline void deletePendingReferences(napi_env env) {
  if (gPendingReferences.load(std::memory_order_relaxed) != 0) deletePendingReferencesNow(env);
}

}  // namespace mitey
