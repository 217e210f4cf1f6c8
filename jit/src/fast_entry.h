// The fast way into wasm from JS, for functions whose parameters and result are numbers (i32, i64,
// f32, f64; at most one result). Their Exported Function is a JS function made per signature,
// which converts its arguments as the JS API says (ToInt32, ToNumber, ToBigInt64), writes their
// bits into a call area shared with the addon, and calls one native entry of no arguments, which
// reads the callee and its arguments there, runs wasm and leaves the result there. A native call
// with arguments and a result costs twice one without (N-API's argument and value handling); the
// conversions, inlined by V8 in the caller, cost next to nothing.
#pragma once
#include <node_api.h>

#include "instance.h"

namespace mitey {

/** True when f's Exported Function can take the fast entry. */
bool fastEntryFits(const FuncType& t);

/** The Exported Function of f over the fast entry, tagged and wrapped as every Exported Function is. */
napi_value makeFastExportedFunction(napi_env env, FuncInstance* f, const napi_type_tag& tag);

}  // namespace mitey
