#include "host_function.h"

#include <cmath>
#include <cstring>

#include "env_state.h"
#include "instantiate.h"
#include "references.h"
#include "trap.h"

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

napi_value toJs(napi_env env, ValType t, Slot s) {
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

/** ToWebAssemblyValue; false when a JS exception is pending. */
bool fromJs(napi_env env, ValType t, napi_value v, Slot& out) {
  switch (t) {
    case ValType::I32: {
      int32_t x;
      if (napi_coerce_to_number(env, v, &v) != napi_ok || napi_get_value_int32(env, v, &x) != napi_ok) return false;
      out = static_cast<uint32_t>(x);
      return true;
    }
    case ValType::I64: {
      int64_t x;
      bool lossless;
      if (napi_get_value_bigint_int64(env, v, &x, &lossless) != napi_ok) {
        napi_throw_type_error(env, nullptr, "an i64 result must be a BigInt");
        return false;
      }
      out = static_cast<uint64_t>(x);
      return true;
    }
    case ValType::F32: case ValType::F64: {
      double d;
      if (napi_coerce_to_number(env, v, &v) != napi_ok || napi_get_value_double(env, v, &d) != napi_ok) return false;
      if (t == ValType::F64) {
        std::memcpy(&out, &d, 8);
      } else {
        float f = static_cast<float>(d);
        uint32_t b;
        std::memcpy(&b, &f, 4);
        out = b;
      }
      return true;
    }
    default: return refFromJs(env, t, v, out);
  }
}

/** Called from JIT code. Cleans up before any trap: the longjmp skips this frame. */
void hostEntry(void* ctx, Slot* frame) {
  auto* h = static_cast<HostFunction*>(ctx);
  napi_env env = h->env;
  const FuncType& t = h->type;
  // The JS API: a v128 cannot cross to JS, so calling such a function throws a TypeError.
  if (frameUnits(t.params) != t.params.size() || frameUnits(t.results) != t.results.size()) {
    napi_throw_type_error(env, nullptr, "type incompatibility when transforming from/to JS: v128");
    raiseTrap(Trap::HostException);
  }
  Slot* savedTop = valueStackTop();
  setValueStackTop(frame + std::max(t.params.size(), t.results.size()) + 1);
  bool ok = true;
  {
    napi_handle_scope scope;
    napi_open_handle_scope(env, &scope);
    napi_value fn, global, result;
    napi_get_reference_value(env, h->fn, &fn);
    napi_get_global(env, &global);
    std::vector<napi_value> args(t.params.size());
    for (size_t i = 0; i < t.params.size(); i++) args[i] = toJs(env, t.params[i], frame[i]);
    ok = napi_call_function(env, global, fn, args.size(), args.data(), &result) == napi_ok;
    if (ok && t.results.size() == 1) {
      ok = fromJs(env, t.results[0], result, frame[0]);
    } else if (ok && t.results.size() > 1) {
      // Multiple results come back as an iterable; arrays are what JS code returns in practice.
      bool isArray = false;
      napi_is_array(env, result, &isArray);
      uint32_t len = 0;
      if (isArray) napi_get_array_length(env, result, &len);
      if (!isArray || len != t.results.size()) {
        napi_throw_type_error(env, nullptr, "multiple results must be returned as an array of the right length");
        ok = false;
      }
      for (uint32_t i = 0; ok && i < len; i++) {
        napi_value e;
        napi_get_element(env, result, i, &e);
        ok = fromJs(env, t.results[i], e, frame[i]);
      }
    }
    napi_close_handle_scope(env, scope);
  }
  setValueStackTop(savedTop);
  if (!ok) raiseTrap(Trap::HostException);  // the JS exception stays pending for the JS caller
}

}  // namespace

// A finalizer inside the collector may be what lets go of the last instance using this function.
HostFunction::~HostFunction() { deleteReferenceLater(env, fn); }

std::shared_ptr<HostFunction> makeHostFunction(napi_env env, napi_value fn, const FuncType& type) {
  auto h = std::make_shared<HostFunction>();
  h->env = env;
  napi_create_reference(env, fn, 1, &h->fn);
  h->type = type;
  h->func.code = &hostEntry;
  h->func.ctx = h.get();
  h->func.typeId = canonicalTypeId(type);
  h->func.type = &h->type;
  h->func.instance = nullptr;
  return h;
}

}  // namespace mitey
