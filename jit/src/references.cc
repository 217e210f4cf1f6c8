#include "references.h"

#include <memory>

#include "env_state.h"
#include "host_function.h"

namespace mitey {

namespace {

constexpr napi_type_tag kFuncRefTag = {0x6d69746579000004ull, 0x46554e4352454601ull};

/** What a funcref handle holds: the function, and its owner (instance or host function) alive. */
struct FuncRefHandle {
  FuncInstance* func;
  std::shared_ptr<void> owner;
};

std::shared_ptr<void> ownerOf(FuncInstance* f) {
  if (f->instance) return f->instance->self.lock();
  return static_cast<HostFunction*>(f->ctx)->shared_from_this();
}

napi_value funcRefToJs(napi_env env, Slot s) {
  napi_value v;
  if (s == 0) {
    napi_get_null(env, &v);
    return v;
  }
  auto* f = reinterpret_cast<FuncInstance*>(s);
  auto* h = new FuncRefHandle{f, ownerOf(f)};
  // A basic finalizer: it runs inside the collector, so handles of dead instances go at once.
  napi_create_external(env, h, [](node_api_basic_env, void* data, void*) { delete static_cast<FuncRefHandle*>(data); }, nullptr, &v);
  napi_type_tag_object(env, v, &kFuncRefTag);
  return v;
}

bool funcRefFromJs(napi_env env, napi_value v, Slot& out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_null) {
    out = 0;
    return true;
  }
  bool tagged = false;
  if (t == napi_external) napi_check_object_type_tag(env, v, &kFuncRefTag, &tagged);
  if (!tagged) {
    napi_throw_type_error(env, nullptr, "type incompatibility when transforming from/to JS: not a funcref");
    return false;
  }
  void* data;
  napi_get_value_external(env, v, &data);
  out = reinterpret_cast<Slot>(static_cast<FuncRefHandle*>(data)->func);
  return true;
}

}  // namespace

napi_value refToJs(napi_env env, ValType t, Slot s) {
  return t == ValType::FuncRef ? funcRefToJs(env, s) : externToJs(env, s);
}

bool refFromJs(napi_env env, ValType t, napi_value v, Slot& out) {
  if (t == ValType::FuncRef) return funcRefFromJs(env, v, out);
  return externFromJs(env, v, out);
}

}  // namespace mitey
