// References at the JS boundary. JS never sees an address and cannot make a reference: a funcref
// is its function's Exported Function (which keeps the function's instance alive), an externref or
// anyref what gc_js.h makes of it (the JS value it was made from, a Number for an i31, a GC
// object's wrapper), and anything else offered for a reference is a TypeError, as in the JS API.
#pragma once
#include <node_api.h>

#include "instance.h"

namespace mitey {

inline bool isReference(ValType t) { return t.isRef(); }

/** A reference value of type t as JS: null, an Exported Function, or an externref's JS value. */
napi_value refToJs(napi_env env, ValType t, Slot s);

/**
 * ToWebAssemblyValue for a reference type, canonical (type_canon.h: a concrete type by its canonical
 * id, which a function must have): false, with a TypeError pending, when v is not one.
 */
bool refFromJs(napi_env env, ValType t, napi_value v, Slot& out);

}  // namespace mitey
