// The JS API's conversions of values between JS and wasm: ToJSValue and ToWebAssemblyValue, for
// numbers and references (a v128 never crosses: callers refuse it first).
#pragma once
#include <node_api.h>

#include "instance.h"

namespace mitey {

/** ToJSValue: i32 and floats as Numbers, i64 as a BigInt, references as references.h says. */
napi_value toJsValue(napi_env env, ValType t, Slot s);

/** ToWebAssemblyValue (t canonical, as refFromJs takes it): false, with the JS exception pending, when v does not convert. May run JS (valueOf). */
bool fromJsValue(napi_env env, ValType t, napi_value v, Slot& out);

}  // namespace mitey
