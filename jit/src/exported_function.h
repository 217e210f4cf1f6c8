// The JS API's Exported Functions: how a wasm function (or a host function re-exported) appears to
// JS. A native JS function per function, made once and cached weakly on the FuncInstance, that
// converts its arguments, enters wasm and converts the results back: no allocation and no string
// work per call. It holds the function's owner alive, and it is the only JS value a funcref accepts.
#pragma once
#include <node_api.h>

#include "instance.h"

namespace mitey {

/** The Exported Function of f: the same JS object as long as it lives. */
napi_value exportedFunction(napi_env env, FuncInstance* f);

/** The function behind an Exported Function, or null when v is not one (of this addon). */
FuncInstance* exportedFunctionTarget(napi_env env, napi_value v);

/** The instance or host function that keeps f alive. */
std::shared_ptr<void> ownerOf(FuncInstance* f);

}  // namespace mitey
