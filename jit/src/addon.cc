// The Node binding: N-API entry points of the native engine.
#include <napi.h>

#include "decoder.h"
#include "error.h"

namespace {

const char* kindName(mitey::ErrorKind k) {
  switch (k) {
    case mitey::ErrorKind::Malformed: return "malformed";
    case mitey::ErrorKind::Invalid: return "invalid";
    case mitey::ErrorKind::Unsupported: return "unsupported";
  }
  return "invalid";
}

Napi::Value ErrorObject(Napi::Env env, const mitey::WasmError& e) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("kind", kindName(e.kind));
  o.Set("message", e.what());
  o.Set("offset", Napi::Number::New(env, static_cast<double>(e.offset)));
  return o;
}

const char* externKindName(mitey::ExternKind k) {
  switch (k) {
    case mitey::ExternKind::Func: return "func";
    case mitey::ExternKind::Table: return "table";
    case mitey::ExternKind::Memory: return "memory";
    case mitey::ExternKind::Global: return "global";
  }
  return "func";
}

/** validate(bytes): null when the module is valid, else { kind, message, offset }. */
Napi::Value Validate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray()) throw Napi::TypeError::New(env, "validate(bytes: Uint8Array)");
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  try {
    mitey::decodeModule(bytes.Data(), bytes.ByteLength());
    return env.Null();
  } catch (const mitey::WasmError& e) {
    return ErrorObject(env, e);
  }
}

/** inspect(bytes): { imports, exports } of a valid module, or { error } as validate reports it. */
Napi::Value Inspect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray()) throw Napi::TypeError::New(env, "inspect(bytes: Uint8Array)");
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  Napi::Object out = Napi::Object::New(env);
  try {
    mitey::Module m = mitey::decodeModule(bytes.Data(), bytes.ByteLength());
    Napi::Array imports = Napi::Array::New(env, m.imports.size());
    for (size_t i = 0; i < m.imports.size(); i++) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("module", Napi::String::New(env, m.imports[i].module));
      o.Set("name", Napi::String::New(env, m.imports[i].name));
      o.Set("kind", externKindName(m.imports[i].kind));
      imports.Set(i, o);
    }
    Napi::Array exports = Napi::Array::New(env, m.exports.size());
    for (size_t i = 0; i < m.exports.size(); i++) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("name", Napi::String::New(env, m.exports[i].name));
      o.Set("kind", externKindName(m.exports[i].kind));
      exports.Set(i, o);
    }
    out.Set("imports", imports);
    out.Set("exports", exports);
  } catch (const mitey::WasmError& e) {
    out.Set("error", ErrorObject(env, e));
  }
  return out;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("validate", Napi::Function::New(env, Validate));
  exports.Set("inspect", Napi::Function::New(env, Inspect));
  return exports;
}

}  // namespace

NODE_API_MODULE(mitey_jit, Init)
