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
 * What JS gets when e leaves wasm uncaught: the JS tag's payload value, or e's WebAssembly.Exception
 * object (the same one while it lives; made by the JS side's factory, which then owns e). Null, with a
 * JS exception thrown, when no factory is registered (a RuntimeError) or making the object failed.
 */
napi_value exceptionToJs(napi_env env, Exception* e);

/** The exception that left the last activation uncaught (ThreadState::pendingException), taken. */
Exception* takePendingException();

/** Frees e when nothing owns it any more (no activation, no JS object, not escaped). */
void releaseIfUnowned(Exception* e);

/** The Exception a WebAssembly.Exception object holds, or null for any other value. */
Exception* exceptionOfObject(napi_env env, napi_value v);

/**
 * A JS value thrown into wasm: a WebAssembly.Exception's own exception (escaped: its object may die
 * while wasm holds it), any other value as an exception of the JS tag. Null, with a JS exception
 * pending, when the value cannot be recorded.
 */
Exception* exceptionFromJs(napi_env env, napi_value thrown);

/** createTag, jsTag, setExceptionFactory, exceptionCreate, exceptionIs, exceptionGetArg (jit/addon.ts). */
void registerExceptionApi(Napi::Env env, Napi::Object exports);

}  // namespace mitey
