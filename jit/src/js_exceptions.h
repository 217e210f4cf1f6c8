// Exceptions at the JS boundary, as the JS API has them. A WebAssembly.Exception object is made by the
// JS side's class (jit/js-api/exception.ts) and wrapped here around an Exception, type-tagged, so that
// C++ knows one when JS throws it into wasm: wasm catches it by its tag, and it reaches JS again as the
// same object. Any other JS value thrown into wasm is an exception of the JS tag (jsExceptionTag) with
// the value as its payload, and is thrown to JS as that value when it leaves.
#pragma once
#include <napi.h>

#include "exceptions.h"

namespace mitey {

/**
 * What JS gets when e, the pending exception taken, leaves wasm uncaught: the JS tag's payload value,
 * or e's WebAssembly.Exception object (the same one while it lives; else made by the JS side's factory).
 * Lets go of the pending slot's hold. Null, with a JS exception thrown, when no factory is registered
 * (a RuntimeError) or making the object failed.
 */
napi_value exceptionToJs(napi_env env, Exception* e);

/** The exception that left the last activation uncaught (ThreadState::pendingException), taken with the slot's hold. */
Exception* takePendingException();

/** The Exception a WebAssembly.Exception object holds, or null for any other value. */
Exception* exceptionOfObject(napi_env env, napi_value v);

/**
 * A JS value thrown into wasm, held by the current activation: a WebAssembly.Exception's own exception,
 * any other value as an exception of the JS tag (the value held, its externref made only if a catch by
 * the tag needs it). Null, with an error thrown, when it cannot be held.
 */
Exception* exceptionFromJs(napi_env env, napi_value thrown);

/** createTag, jsTag, setExceptionFactory, exceptionCreate, exceptionIs, exceptionGetArg (jit/addon.ts). */
void registerExceptionApi(Napi::Env env, Napi::Object exports);

}  // namespace mitey
