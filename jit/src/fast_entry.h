// The fast way into wasm from JS, for functions whose parameters and result are numbers (i32, i64,
// f32, f64; at most one result). Their Exported Function is a JS function made per signature,
// which converts its arguments as the JS API says (ToInt32, ToNumber, ToBigInt64), writes their
// bits into a call area shared with the addon, and calls one native entry of no arguments, which
// reads the callee and its arguments there, runs wasm and leaves the result there. A native call
// with arguments and a result costs twice one without (N-API's argument and value handling); the
// conversions, inlined by V8 in the caller, cost next to nothing.
// Calls from such an activation to a JS function of numbers come back out the same way: the entry
// returns to the wrapper with wasm's frames left on the wasm stack (activation.h), the wrapper
// calls the function (a JS call, where N-API's napi_call_function costs some 60 ns) and resumes.
#pragma once
#include <node_api.h>

#include "instance.h"

namespace mitey {

/** True when f's Exported Function can take the fast entry. */
bool fastEntryFits(const FuncType& t);

/** The Exported Function of f over the fast entry, tagged and wrapped as every Exported Function is. */
napi_value makeFastExportedFunction(napi_env env, FuncInstance* f, const napi_type_tag& tag);

struct HostFunction;
struct Activation;

/** Gives a JS function of numbers a slot, so that a fast entry's wrapper can call it itself. */
void registerFastHost(napi_env env, HostFunction& h);
/** Frees its slot (C++ only: runs inside the collector). */
void forgetFastHost(HostFunction& h);
/**
 * On the wasm stack, in a host call of a fast entry's activation: puts the call in the call area
 * for the wrapper, true; false when this wrapper cannot make it (another environment's function).
 */
bool waitForHostInJs(Activation& a, HostFunction& h, Slot* frame);

}  // namespace mitey
