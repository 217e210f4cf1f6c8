// The JS API's Exported Functions: how a wasm function (or a host function re-exported) appears to
// JS. A JS function per function, made once and cached weakly on the FuncInstance: for functions
// of numbers a JS wrapper over the fast entry (fast_entry.h), for the rest a native function that
// converts its arguments, enters wasm and converts the results back. No allocation and no string
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

/** What an Exported Function holds: the function, and its owner alive. */
struct ExportedFunctionData {
  FuncInstance* func;
  std::shared_ptr<void> owner;
  bool cannotCross;  // a v128 or an exnref in the signature: the JS API refuses every call
  std::shared_ptr<void> entryState;  // the fast entry's per-environment state, for functions it calls (fast_entry.h)
  FuncType type;     // func's type with concrete references by canonical id, as arguments are checked
};

/** Whether a value of this type can cross between JS and wasm (the JS API refuses v128 and exnref). */
bool crossesToJs(ValType t);
/** f's type, canonical (type_canon.h). */
FuncType canonicalType(const FuncInstance* f);

/** Throws what callWasm's nonzero code stands for, unless it is a JS exception already pending. */
void throwTrap(napi_env env, int code);

}  // namespace mitey
