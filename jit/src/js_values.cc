#include "js_values.h"

#include <cstring>

#include "env_state.h"
#include "references.h"

namespace mitey {

namespace {

float f32(Slot s) {
  float f;
  uint32_t b = static_cast<uint32_t>(s);
  std::memcpy(&f, &b, 4);
  return f;
}

double f64(Slot s) {
  double d;
  std::memcpy(&d, &s, 8);
  return d;
}

/** ToNumber, with the common case (already a Number) first. */
bool toNumber(napi_env env, napi_value v, double& out) {
  if (napi_get_value_double(env, v, &out) == napi_ok) return true;
  return napi_coerce_to_number(env, v, &v) == napi_ok && napi_get_value_double(env, v, &out) == napi_ok;
}

}  // namespace

napi_value toJsValue(napi_env env, ValType t, Slot s) {
  napi_value v = nullptr;
  switch (t) {
    case ValType::I32: napi_create_int32(env, static_cast<int32_t>(static_cast<uint32_t>(s)), &v); break;
    case ValType::I64: napi_create_bigint_int64(env, static_cast<int64_t>(s), &v); break;
    case ValType::F32: napi_create_double(env, f32(s), &v); break;
    case ValType::F64: napi_create_double(env, f64(s), &v); break;
    default: v = refToJs(env, t, s);
  }
  return v;
}

bool fromJsValue(napi_env env, ValType t, napi_value v, Slot& out) {
  switch (t) {
    case ValType::I32: {
      // ToInt32: napi_get_value_int32 of a Number is exactly that (NaN and infinities give 0).
      int32_t x;
      if (napi_get_value_int32(env, v, &x) != napi_ok) {
        if (napi_coerce_to_number(env, v, &v) != napi_ok || napi_get_value_int32(env, v, &x) != napi_ok) return false;
      }
      out = static_cast<uint32_t>(x);
      return true;
    }
    case ValType::I64: {
      int64_t x;
      bool lossless;
      if (napi_get_value_bigint_int64(env, v, &x, &lossless) != napi_ok) {
        // Not a BigInt: ToBigInt64 is BigInt.asIntN(64, v) (strings and booleans convert, Numbers are a TypeError).
        napi_value args[2], undefined, result;
        napi_create_int32(env, 64, &args[0]);
        args[1] = v;
        napi_get_undefined(env, &undefined);
        if (napi_call_function(env, undefined, bigIntAsIntN(env), 2, args, &result) != napi_ok) return false;
        if (napi_get_value_bigint_int64(env, result, &x, &lossless) != napi_ok) return false;
      }
      out = static_cast<uint64_t>(x);
      return true;
    }
    case ValType::F32: {
      double d;
      if (!toNumber(env, v, d)) return false;
      float f = static_cast<float>(d);
      uint32_t b;
      std::memcpy(&b, &f, 4);
      out = b;
      return true;
    }
    case ValType::F64: {
      double d;
      if (!toNumber(env, v, d)) return false;
      std::memcpy(&out, &d, 8);
      return true;
    }
    default: return refFromJs(env, t, v, out);
  }
}

}  // namespace mitey
