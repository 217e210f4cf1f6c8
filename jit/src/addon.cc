// The Node binding: N-API entry points of the native engine. Values cross as raw bits
// (BigUint64Array slots), so nothing is lost on the way.
#include <napi.h>

#include <memory>

#include "codegen.h"
#include "decoder.h"
#include "error.h"
#include "host_function.h"
#include "instantiate.h"
#include "simd_handlers.h"

namespace {

using namespace mitey;

// Tags that mark our externals, so that foreign objects are never taken for them.
constexpr napi_type_tag kModuleTag = {0x6d69746579000001ull, 0x4d4f44554c450001ull};
constexpr napi_type_tag kInstanceTag = {0x6d69746579000002ull, 0x494e5354414e4345ull};
constexpr napi_type_tag kExternTag = {0x6d69746579000003ull, 0x45585445524e0001ull};

const char* kindName(ErrorKind k) {
  switch (k) {
    case ErrorKind::Malformed: return "malformed";
    case ErrorKind::Invalid: return "invalid";
    case ErrorKind::Unsupported: return "unsupported";
  }
  return "invalid";
}

Napi::Object errorObject(Napi::Env env, const char* kind, const std::string& message, double offset = -1) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("kind", kind);
  o.Set("message", message);
  if (offset >= 0) o.Set("offset", Napi::Number::New(env, offset));
  return o;
}

const char* externKindName(ExternKind k) {
  switch (k) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
  }
  return "func";
}

char typeLetter(ValType t) {
  switch (t) {
    case ValType::I32: return 'i';
    case ValType::I64: return 'I';
    case ValType::F32: return 'f';
    case ValType::F64: return 'F';
    case ValType::V128: return 'V';
    case ValType::FuncRef: return 'r';
    case ValType::ExternRef: return 'e';
    default: return '?';
  }
}

std::string signature(const FuncType& t) {
  std::string s;
  for (ValType v : t.params) s.push_back(typeLetter(v));
  s.push_back(':');
  for (ValType v : t.results) s.push_back(typeLetter(v));
  return s;
}

template <typename T>
Napi::External<T> tagged(Napi::Env env, T* p, const napi_type_tag& tag) {
  auto ext = Napi::External<T>::New(env, p, [](Napi::Env, T* q) { delete q; });
  napi_type_tag_object(env, ext, &tag);
  return ext;
}

/**
 * What an instance that owns a linear memory tells V8's garbage collector it holds: the memory it
 * uses, not its 8 GiB reservation (that would force a full collection per instance). Reservations
 * are freed by release(), or by the finalizer once the event loop runs.
 */
Napi::External<std::shared_ptr<Instance>> instanceHandle(Napi::Env env, const std::shared_ptr<Instance>& in) {
  bool ownsMemory = in->memory && in->memory.use_count() == 1;
  int64_t cost = ownsMemory ? static_cast<int64_t>(in->memory->sizeBytes()) : 0;
  auto ext = Napi::External<std::shared_ptr<Instance>>::New(env, new std::shared_ptr<Instance>(in), [cost](Napi::Env e, std::shared_ptr<Instance>* q) {
    delete q;
    int64_t ignored;
    if (cost) napi_adjust_external_memory(e, -cost, &ignored);
  });
  napi_type_tag_object(env, ext, &kInstanceTag);
  int64_t ignored;
  if (cost) napi_adjust_external_memory(env, cost, &ignored);
  return ext;
}

template <typename T>
T* untag(Napi::Env env, Napi::Value v, const napi_type_tag& tag, const char* what) {
  bool ok = false;
  if (v.IsExternal()) napi_check_object_type_tag(env, v, &tag, &ok);
  if (!ok) throw Napi::TypeError::New(env, std::string("expected a ") + what + " handle");
  return v.As<Napi::External<T>>().Data();
}

Napi::Array externList(Napi::Env env, const Module& m, bool imports) {
  size_t n = imports ? m.imports.size() : m.exports.size();
  Napi::Array out = Napi::Array::New(env, n);
  for (size_t i = 0; i < n; i++) {
    Napi::Object o = Napi::Object::New(env);
    ExternKind kind = imports ? m.imports[i].kind : m.exports[i].kind;
    if (imports) {
      o.Set("module", Napi::String::New(env, m.imports[i].module));
      o.Set("name", Napi::String::New(env, m.imports[i].name));
    } else {
      o.Set("name", Napi::String::New(env, m.exports[i].name));
    }
    o.Set("kind", externKindName(kind));
    if (kind == ExternKind::Func) {
      uint32_t f = imports ? m.imports[i].typeIndex : m.funcs[m.exports[i].index];
      o.Set("type", signature(m.types[f]));
    } else if (kind == ExternKind::Global) {
      const GlobalType& g = imports ? m.imports[i].global : m.globals[m.exports[i].index];
      o.Set("type", std::string(1, typeLetter(g.type)) + (g.mut ? "mut" : ""));
    }
    out.Set(i, o);
  }
  return out;
}

/** validate(bytes): null when the module is valid, else { kind, message, offset }. */
Napi::Value Validate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray()) throw Napi::TypeError::New(env, "validate(bytes: Uint8Array)");
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  try {
    decodeModule(bytes.Data(), bytes.ByteLength());
    return env.Null();
  } catch (const WasmError& e) {
    return errorObject(env, kindName(e.kind), e.what(), static_cast<double>(e.offset));
  }
}

/** compile(bytes): { module, imports, exports } or { error }. Code is generated here. */
Napi::Value Compile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray()) throw Napi::TypeError::New(env, "compile(bytes: Uint8Array)");
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  Napi::Object out = Napi::Object::New(env);
  auto cm = std::make_shared<CompiledModule>();
  try {
    cm->module = decodeModule(bytes.Data(), bytes.ByteLength());
  } catch (const WasmError& e) {
    out.Set("error", errorObject(env, kindName(e.kind), e.what(), static_cast<double>(e.offset)));
    return out;
  }
  cm->bytes.assign(bytes.Data(), bytes.Data() + bytes.ByteLength());
  for (const FuncType& t : cm->module.types) cm->typeIds.push_back(canonicalTypeId(t));
  out.Set("imports", externList(env, cm->module, true));
  out.Set("exports", externList(env, cm->module, false));
  try {
    compileModule(*cm);
  } catch (const std::exception& e) {
    out.Set("error", errorObject(env, "unsupported", std::string("tier 1: ") + e.what()));
    return out;
  }
  out.Set("module", tagged(env, new std::shared_ptr<CompiledModule>(cm), kModuleTag));
  return out;
}

/**
 * instantiate(module, imports): { instance } or { error: { kind: 'unlinkable' | 'trap', message } }.
 * imports: one entry per import, in order: an export handle, a JS function (for function imports),
 * or undefined. A JS exception thrown by an imported function during start propagates.
 */
Napi::Value Instantiate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* cm = untag<std::shared_ptr<CompiledModule>>(env, info[0], kModuleTag, "module");
  if (!*cm) throw Napi::Error::New(env, "the module was released");
  const Module& m = (*cm)->module;
  Napi::Array given = info[1].As<Napi::Array>();
  std::vector<std::unique_ptr<ExternHandle>> hostHandles;
  std::vector<const ExternHandle*> imports;
  for (uint32_t i = 0; i < m.imports.size(); i++) {
    Napi::Value v = i < given.Length() ? given.Get(i) : env.Undefined();
    if (v.IsFunction() && m.imports[i].kind == ExternKind::Func) {
      auto host = makeHostFunction(env, v, m.types[m.imports[i].typeIndex]);
      auto h = std::make_unique<ExternHandle>();
      h->kind = ExternKind::Func;
      h->func = &host->func;
      h->owner = host;
      imports.push_back(h.get());
      hostHandles.push_back(std::move(h));
    } else if (v.IsExternal()) {
      imports.push_back(untag<ExternHandle>(env, v, kExternTag, "export"));
    } else {
      imports.push_back(nullptr);
    }
  }
  Napi::Object out = Napi::Object::New(env);
  try {
    auto in = instantiate(*cm, imports);
    out.Set("instance", instanceHandle(env, in));
  } catch (const LinkError& e) {
    out.Set("error", errorObject(env, "unlinkable", e.what()));
  } catch (const InstantiationTrap& e) {
    if (e.trap == Trap::HostException) return Napi::Value();  // the JS exception is pending
    out.Set("error", errorObject(env, "trap", e.what()));
  } catch (const std::bad_alloc&) {
    out.Set("error", errorObject(env, "trap", "out of memory: cannot reserve a linear memory"));
  }
  return out;
}

/** The instance behind a handle, which release() may have emptied. */
std::shared_ptr<Instance>& liveInstance(Napi::Env env, Napi::Value v) {
  auto* in = untag<std::shared_ptr<Instance>>(env, v, kInstanceTag, "instance");
  if (!*in) throw Napi::Error::New(env, "the instance was released");
  return *in;
}

/**
 * release(instance): drops the handle's hold on the instance now, not when the garbage collector
 * gets to it: a run that makes thousands of instances in one go would otherwise exhaust the
 * address space (each linear memory reserves 8 GiB) before any finalizer runs.
 */
Napi::Value Release(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  untag<std::shared_ptr<Instance>>(env, info[0], kInstanceTag, "instance")->reset();
  return env.Undefined();
}

/** releaseModule(module): as release(), for a compiled module (its code is unmapped when no instance uses it). */
Napi::Value ReleaseModule(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  untag<std::shared_ptr<CompiledModule>>(env, info[0], kModuleTag, "module")->reset();
  return env.Undefined();
}

/** getExport(instance, name): an export handle, or undefined. */
Napi::Value GetExport(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto h = exportHandle(liveInstance(env, info[0]), info[1].As<Napi::String>().Utf8Value());
  if (!h) return env.Undefined();
  return tagged(env, h.release(), kExternTag);
}

/** invoke(instance, name, args: BigUint64Array): { results: BigUint64Array } or { trap }; a v128 is two elements. */
Napi::Value Invoke(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* in = &liveInstance(env, info[0]);
  std::string name = info[1].As<Napi::String>().Utf8Value();
  auto args = info[2].As<Napi::BigUint64Array>();
  const Module& m = (*in)->module->module;
  const FuncInstance* f = nullptr;
  for (const Export& e : m.exports)
    if (e.name == name && e.kind == ExternKind::Func) f = (*in)->funcPtrs[e.index];
  if (!f) throw Napi::Error::New(env, "no exported function \"" + name + "\"");
  const FuncType& t = *f->type;
  // Values as frame units: a v128 takes two (low half first), anything else one.
  if (args.ElementLength() != frameUnits(t.params)) throw Napi::TypeError::New(env, "wrong number of argument units");
  Slot* frame = valueStackTop();
  for (size_t i = 0; i < args.ElementLength(); i++) frame[i] = args[i];
  int code = callWasm(f, frame);
  Napi::Object out = Napi::Object::New(env);
  if (code) {
    Trap trap = static_cast<Trap>(code - 1);
    if (trap == Trap::HostException) return Napi::Value();  // the JS exception is pending
    out.Set("trap", trapMessage(trap));
    return out;
  }
  size_t n = frameUnits(t.results);
  auto results = Napi::BigUint64Array::New(env, n);
  for (size_t i = 0; i < n; i++) results[i] = frame[i];
  out.Set("results", results);
  return out;
}

/** getGlobal(instance, name): BigUint64Array [low, high] of the global's bits, or undefined. */
Napi::Value GetGlobal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* in = &liveInstance(env, info[0]);
  std::string name = info[1].As<Napi::String>().Utf8Value();
  for (const Export& e : (*in)->module->module.exports) {
    if (e.name != name || e.kind != ExternKind::Global) continue;
    const GlobalCell* g = (*in)->globalPtrs[e.index];
    auto out = Napi::BigUint64Array::New(env, 2);
    out[0] = g->value[0];
    out[1] = g->value[1];
    return out;
  }
  return env.Undefined();
}

/** simdIsa(): the build of the SIMD handlers this CPU gets. */
Napi::Value SimdIsa(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), simdAvailable() ? simdTable().isa : "none");
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("validate", Napi::Function::New(env, Validate));
  exports.Set("compile", Napi::Function::New(env, Compile));
  exports.Set("instantiate", Napi::Function::New(env, Instantiate));
  exports.Set("getExport", Napi::Function::New(env, GetExport));
  exports.Set("invoke", Napi::Function::New(env, Invoke));
  exports.Set("getGlobal", Napi::Function::New(env, GetGlobal));
  exports.Set("release", Napi::Function::New(env, Release));
  exports.Set("releaseModule", Napi::Function::New(env, ReleaseModule));
  exports.Set("simdIsa", Napi::Function::New(env, SimdIsa));
  return exports;
}

}  // namespace

NODE_API_MODULE(mitey_jit, Init)
