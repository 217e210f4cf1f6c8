// The Node binding: N-API entry points of the native engine. Values cross as raw bits
// (BigUint64Array slots), so nothing is lost on the way.
#include <napi.h>

#include <algorithm>
#include <cstdint>
#include <memory>

#include "addon_objects.h"
#include "codegen.h"
#include "decoder.h"
#include "env_state.h"
#include "guarded_callback.h"
#include "error.h"
#include "exported_function.h"
#include "handles.h"
#include "js_exceptions.h"
#include "js_memory_buffer.h"
#include "host_function.h"
#include "instantiate.h"
#include "references.h"
#include "type_letters.h"
#include "gc_js.h"
#include "runtime_handlers.h"
#include "simd_handlers.h"

namespace {

using namespace mitey;

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
    case ExternKind::Tag: return "tag";
  }
  return "func";
}

/**
 * What an instance that owns a linear memory tells V8's garbage collector it holds: the memory it
 * uses, not its 8 GiB reservation (that would force a full collection per instance). Reservations
 * are freed by release(), or by the finalizer when a collection finds the instance dead; the JS
 * side asks for collections as reservations pile up (liveReservations()).
 */
Napi::External<std::shared_ptr<Instance>> instanceHandle(Napi::Env env, const std::shared_ptr<Instance>& in) {
  int64_t cost = 0;
  for (const auto& mem : in->memories)
    if (mem.use_count() == 1) cost += static_cast<int64_t>(mem->sizeBytes());
  auto ext = Napi::External<std::shared_ptr<Instance>>::New(env, new std::shared_ptr<Instance>(in), [cost](Napi::BasicEnv e, std::shared_ptr<Instance>* q) {
    delete q;
    int64_t ignored;
    if (cost) napi_adjust_external_memory(e, -cost, &ignored);
  });
  napi_type_tag_object(env, ext, &kInstanceTag);
  int64_t ignored;
  if (cost) napi_adjust_external_memory(env, cost, &ignored);
  return ext;
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
      o.Set("index", Napi::Number::New(env, m.exports[i].index));
    }
    o.Set("kind", externKindName(kind));
    if (kind == ExternKind::Func) {
      uint32_t f = imports ? m.imports[i].typeIndex : m.funcs[m.exports[i].index];
      o.Set("type", signature(canonical(m.funcType(f), m.typeIds)));
    } else if (kind == ExternKind::Global) {
      const GlobalType& g = imports ? m.imports[i].global : m.globals[m.exports[i].index];
      o.Set("type", std::string(1, typeLetter(canonical(g.type, m.typeIds))) + (g.mut ? "mut" : ""));
    }
    out.Set(i, o);
  }
  return out;
}

/**
 * The features a compile allows (features.h): argument i, an array of the harness's feature names
 * (core/features.ts) beyond Wasm 2.0; absent or undefined: every feature the JIT has.
 */
Features featuresArg(const Napi::CallbackInfo& info, size_t i) {
  if (info.Length() <= i || info[i].IsUndefined()) return Features::all();
  if (!info[i].IsArray()) throw Napi::TypeError::New(info.Env(), "features: an array of feature names");
  Napi::Array names = info[i].As<Napi::Array>();
  uint32_t bits = 0;
  for (uint32_t k = 0; k < names.Length(); k++) {
    Napi::Value v = names.Get(k);
    if (!v.IsString()) throw Napi::TypeError::New(info.Env(), "features: an array of feature names");
    bits |= Features::named(v.As<Napi::String>().Utf8Value());  // a feature of Wasm 2.0, or one the JIT lacks: no bit
  }
  return Features::fromBits(bits);
}

/**
 * For the harness (invoke): a wasm exception left the call: { exception: message }, or the JS tag's
 * value thrown again (a JS exception that went through wasm keeps its identity).
 */
Napi::Value uncaught(Napi::Env env, Napi::Object out) {
  Exception* e = takePendingException();
  if (e && e->tag == jsExceptionTag()) {
    if (napi_value v = exceptionToJs(env, e)) throwValue(v);
    return Napi::Value();
  }
  if (e) releaseHold(e);
  out.Set("exception", "uncaught wasm exception");
  return out;
}

/** validate(bytes, features?): null when the module is valid, else { kind, message, offset }. */
Napi::Value Validate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray()) throw Napi::TypeError::New(env, "validate(bytes: Uint8Array)");
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  try {
    decodeModule(bytes.Data(), bytes.ByteLength(), featuresArg(info, 1));
    return env.Null();
  } catch (const WasmError& e) {
    return errorObject(env, kindName(e.kind), e.what(), static_cast<double>(e.offset));
  }
}

/** The data segments' contents, all a module keeps of its bytes (instantiation and memory.init read them). */
void keepDataSegments(CompiledModule& cm, const uint8_t* data) {
  size_t lo = SIZE_MAX, hi = 0;
  for (const DataSegment& d : cm.module.datas) {
    lo = std::min(lo, d.start);
    hi = std::max(hi, d.start + d.size);
  }
  if (lo >= hi) return;
  cm.bytes.assign(data + lo, data + hi);
  for (DataSegment& d : cm.module.datas) d.start -= lo;
}

/** compile(bytes, features?): { module, imports, exports } or { error }. Code is generated here. */
Napi::Value Compile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray()) throw Napi::TypeError::New(env, "compile(bytes: Uint8Array)");
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  Features features = featuresArg(info, 1);
  Napi::Object out = Napi::Object::New(env);
  auto cm = std::make_shared<CompiledModule>();
  const uint8_t* data = bytes.Data();
  size_t size = bytes.ByteLength();
  try {
    // Bodies are decoded and validated by the compiler, a function at a time (codegen.h).
    cm->module = decodeModule(data, size, features, Bodies::Deferred);
  } catch (const WasmError& e) {
    out.Set("error", errorObject(env, kindName(e.kind), e.what(), static_cast<double>(e.offset)));
    return out;
  }
  keepDataSegments(*cm, data);
  cm->typeIds = cm->module.typeIds;
  out.Set("imports", externList(env, cm->module, true));
  out.Set("exports", externList(env, cm->module, false));
  try {
    compileModule(*cm, data, size);
  } catch (const WasmError& first) {
    try {
      decodeModule(data, size, features);  // the whole module: which error comes first
      throw first;
    } catch (const WasmError& e) {
      out.Set("error", errorObject(env, kindName(e.kind), e.what(), static_cast<double>(e.offset)));
      return out;
    }
  } catch (const ResourceError& e) {
    out.Set("error", errorObject(env, "resource", e.what()));
    return out;
  } catch (const std::exception& e) {
    out.Set("error", errorObject(env, "unsupported", std::string("tier 1: ") + e.what()));
    return out;
  }
  out.Set("codeBytes", static_cast<double>(cm->codeBytes));
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
  deletePendingReferences(env);
  auto* cm = untag<std::shared_ptr<CompiledModule>>(env, info[0], kModuleTag, "module");
  if (!*cm) throw Napi::Error::New(env, "the module was released");
  const Module& m = (*cm)->module;
  if (!info[1].IsArray()) throw Napi::TypeError::New(env, "instantiate(module, imports: unknown[])");
  Napi::Array given = info[1].As<Napi::Array>();
  std::vector<std::unique_ptr<ExternHandle>> hostHandles;
  std::vector<const ExternHandle*> imports;
  for (uint32_t i = 0; i < m.imports.size(); i++) {
    Napi::Value v = i < given.Length() ? given.Get(i) : env.Undefined();
    // (For an import of another kind too: linking then says "incompatible import type".)
    FuncInstance* exported = exportedFunctionTarget(env, v);
    if (exported) {
      // An Exported Function is imported as the function it is: calls to it stay in wasm.
      auto h = std::make_unique<ExternHandle>();
      h->kind = ExternKind::Func;
      h->func = exported;
      h->owner = ownerOf(exported);
      imports.push_back(h.get());
      hostHandles.push_back(std::move(h));
    } else if (v.IsFunction() && m.imports[i].kind == ExternKind::Func) {
      // Its type canonical: JS results are checked against concrete references by canonical id.
      auto host = makeHostFunction(env, v, canonical(m.funcType(m.imports[i].typeIndex), (*cm)->typeIds), (*cm)->typeIds[m.imports[i].typeIndex]);
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
    if (e.trap == Trap::Exception) {
      // The start function's exception: the JS tag's value thrown again; another one as
      // { kind: 'exception', exception: its WebAssembly.Exception } for the JS API (when its factory
      // is registered: js_exceptions.h), for the harness a kind.
      Exception* x = takePendingException();
      Napi::Object error = errorObject(env, "exception", "uncaught wasm exception");
      bool jsValue = x && x->tag == jsExceptionTag();
      if (x && (jsValue || exceptionFactory(env))) {
        napi_value v = exceptionToJs(env, x);  // (x may be freed now)
        if (!v) return Napi::Value();
        if (jsValue) {
          throwValue(v);
          return Napi::Value();
        }
        error.Set("exception", Napi::Value(env, v));
      } else {
        if (x) releaseHold(x);
      }
      out.Set("error", error);
      return out;
    }
    out.Set("error", errorObject(env, "trap", e.what()));
  } catch (const ResourceError& e) {
    out.Set("error", errorObject(env, "resource", e.what()));
  } catch (const std::bad_alloc&) {
    out.Set("error", errorObject(env, "resource", "out of memory"));
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
  auto* in = untag<std::shared_ptr<Instance>>(env, info[0], kInstanceTag, "instance");
  if (*in) (*in)->released = true;
  in->reset();
  return env.Undefined();
}

/** releaseModule(module): as release(), for a compiled module (its code is unmapped when no instance uses it). */
Napi::Value ReleaseModule(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  untag<std::shared_ptr<CompiledModule>>(env, info[0], kModuleTag, "module")->reset();
  return env.Undefined();
}

/** getExport(instance, name): a function's Exported Function, another export's handle, or undefined. */
Napi::Value GetExport(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  deletePendingReferences(env);
  auto h = exportHandle(liveInstance(env, info[0]), info[1].As<Napi::String>().Utf8Value());
  if (!h) return env.Undefined();
  if (h->kind == ExternKind::Func) return Napi::Value(env, exportedFunction(env, h->func));
  return tagged(env, h.release(), kExternTag);
}

/**
 * invoke(instance, name, args: BigUint64Array, refs?: unknown[]): { results: BigUint64Array, refs? }
 * or { trap }. Numbers cross as bits, a v128 as two units (low half first). A reference parameter
 * takes its value from refs[its index] (null, a funcref handle from this addon, or for externref any
 * JS value; anything else is a TypeError) and a reference result comes back in refs[its index]:
 * their units carry no bits either way.
 */
Napi::Value Invoke(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  deletePendingReferences(env);
  auto* in = &liveInstance(env, info[0]);
  std::string name = info[1].As<Napi::String>().Utf8Value();
  if (!info[2].IsTypedArray() || info[2].As<Napi::TypedArray>().TypedArrayType() != napi_biguint64_array)
    throw Napi::TypeError::New(env, "invoke: arguments must be a BigUint64Array");
  auto args = info[2].As<Napi::BigUint64Array>();
  const Module& m = (*in)->module->module;
  const FuncInstance* f = nullptr;
  for (const Export& e : m.exports)
    if (e.name == name && e.kind == ExternKind::Func) f = (*in)->funcPtrs[e.index];
  if (!f) throw Napi::Error::New(env, "no exported function \"" + name + "\"");
  const FuncType& t = *f->type;
  if (args.ElementLength() != frameUnits(t.params)) throw Napi::TypeError::New(env, "wrong number of argument units");
  // Converted before anything is written to the value stack: a conversion may run JS, which may
  // call into wasm and use the stack itself.
  std::vector<Slot> units(args.Data(), args.Data() + args.ElementLength());
  Napi::Object refs = info.Length() > 3 && info[3].IsObject() ? info[3].As<Napi::Object>() : Napi::Object();
  for (size_t i = 0, u = 0; i < t.params.size(); u += t.params[i] == ValType::V128 ? 2 : 1, i++) {
    if (!isReference(t.params[i])) continue;
    napi_value v = refs.IsEmpty() ? static_cast<napi_value>(env.Undefined()) : static_cast<napi_value>(refs.Get(static_cast<uint32_t>(i)));
    if (!refFromJs(env, t.params[i], v, units[u])) return Napi::Value();  // the TypeError is pending
  }
  // Held for the call: an imported JS function may release() the instance while its code runs.
  std::shared_ptr<Instance> running = *in;
  Slot* frame = valueStackTop();
  std::copy(units.begin(), units.end(), frame);
  int code = callWasm(f, frame);
  Napi::Object out = Napi::Object::New(env);
  if (code) {
    Trap trap = static_cast<Trap>(code - 1);
    if (trap == Trap::HostException) return Napi::Value();  // the JS exception is pending
    if (trap == Trap::Exception) return uncaught(env, out);
    out.Set("trap", trapMessage(trap));
    return out;
  }
  size_t n = frameUnits(t.results);
  std::vector<Slot> resultUnits(frame, frame + n);  // copied out before any JS runs
  auto results = Napi::BigUint64Array::New(env, n);
  Napi::Array resultRefs;
  for (size_t i = 0, u = 0; i < t.results.size(); u += t.results[i] == ValType::V128 ? 2 : 1, i++) {
    if (!isReference(t.results[i])) continue;
    if (resultRefs.IsEmpty()) resultRefs = Napi::Array::New(env, t.results.size());
    resultRefs.Set(static_cast<uint32_t>(i), Napi::Value(env, refToJs(env, t.results[i], resultUnits[u])));
    resultUnits[u] = 0;
  }
  for (size_t i = 0; i < n; i++) results[i] = resultUnits[i];
  out.Set("results", results);
  if (!resultRefs.IsEmpty()) out.Set("refs", resultRefs);
  return out;
}

/**
 * The module info[0]'s stack maps, for tests and tools: [{ func, offset, slots, base }], func the
 * function index, offset the return address from the function's entry, slots the frame units with
 * references the collector traces, base the unit where the call's arguments start.
 */
Napi::Value StackMapsOf(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto& cm = *untag<std::shared_ptr<CompiledModule>>(env, info[0], kModuleTag, "module");
  if (!cm) throw Napi::Error::New(env, "the module was released");
  const std::vector<uint32_t>& entries = cm->funcOffsets;
  Napi::Array out = Napi::Array::New(env, cm->stackMaps.maps.size());
  uint32_t k = 0;
  for (const StackMap& m : cm->stackMaps.maps) {
    auto f = std::upper_bound(entries.begin(), entries.end(), m.returnOffset) - entries.begin() - 1;
    Napi::Object o = Napi::Object::New(env);
    o.Set("func", cm->module.importedFuncs + static_cast<uint32_t>(f));
    o.Set("offset", m.returnOffset - entries[f]);
    Napi::Array slots = Napi::Array::New(env, m.count);
    for (uint32_t i = 0; i < m.count; i++) slots.Set(i, cm->stackMaps.slots[m.first + i]);
    o.Set("slots", slots);
    o.Set("base", m.operandUnit);
    out.Set(k++, o);
  }
  return out;
}

/**
 * The thread's GC heap, for tests: { objects, bytes, collections } (bytes: the objects'
 * allocations). With info[0] true, collects first (outside wasm: the value stack holds no frames
 * but those of waiting activations, which are roots as ever).
 */
Napi::Value GcStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GcHeap& heap = gcHeap();
  if (info.Length() > 0 && info[0].ToBoolean().Value()) heap.collect(nullptr);
  Napi::Object o = Napi::Object::New(env);
  o.Set("objects", static_cast<double>(heap.objectCount()));
  o.Set("bytes", static_cast<double>(heap.bytes()));
  o.Set("collections", static_cast<double>(heap.collections()));
  return o;
}

/** The exported global `name` (info[1]) of the instance info[0], or null. */
GlobalCell* exportedGlobal(const Napi::CallbackInfo& info) {
  auto& in = liveInstance(info.Env(), info[0]);
  std::string name = info[1].As<Napi::String>().Utf8Value();
  for (const Export& e : in->module->module.exports)
    if (e.name == name && e.kind == ExternKind::Global) return in->globalPtrs[e.index];
  return nullptr;
}

/** getGlobal(instance, name): { bits: BigUint64Array [low, high] } for a number or v128, { ref } for a reference; undefined when there is none. */
Napi::Value GetGlobal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const GlobalCell* g = exportedGlobal(info);
  if (!g) return env.Undefined();
  Napi::Object out = Napi::Object::New(env);
  if (isReference(g->type.type)) {
    out.Set("ref", Napi::Value(env, refToJs(env, g->type.type, g->value[0])));
    return out;
  }
  auto bits = Napi::BigUint64Array::New(env, 2);
  bits[0] = g->value[0];
  bits[1] = g->value[1];
  out.Set("bits", bits);
  return out;
}

/** The memory behind an export handle of a memory, or a TypeError. */
const std::shared_ptr<LinearMemory>& exportedMemory(Napi::Env env, Napi::Value v) {
  auto* h = untag<ExternHandle>(env, v, kExternTag, "export");
  if (h->kind != ExternKind::Memory || !h->memory) throw Napi::TypeError::New(env, "not a memory");
  return h->memory;
}

/**
 * memoryBuffer(memory): the ArrayBuffer over the memory's current pages, the same object until the
 * memory grows, from wasm or JS, which detaches it. It holds the memory (its reservation) alive as
 * long as it lives. A shared memory's: a new SharedArrayBuffer each call, never detached.
 */
Napi::Value MemoryBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  deletePendingReferences(env);
  napi_value buffer = memoryArrayBuffer(env, exportedMemory(env, info[0]));
  if (!buffer) throw Napi::Error::New(env, "cannot make an ArrayBuffer over the memory");
  return Napi::Value(env, buffer);
}

/** memorySize(memory): its size in pages. */
Napi::Value MemorySize(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(exportedMemory(info.Env(), info[0])->pages()));
}

/** memoryGrow(memory, delta): the old size in pages, or -1 when it cannot grow. */
Napi::Value MemoryGrow(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto& m = exportedMemory(env, info[0]);
  double delta = info[1].ToNumber().DoubleValue();
  if (!(delta >= 0) || delta > 4294967295.0) throw Napi::TypeError::New(env, "memoryGrow: delta must be a page count");
  return Napi::Number::New(env, static_cast<double>(m->grow(static_cast<uint64_t>(delta))));
}

/** detachBuffer(buffer): detaches an ArrayBuffer made by memoryBuffer (after a grow, as the JS API says). */
Napi::Value DetachBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArrayBuffer()) throw Napi::TypeError::New(env, "detachBuffer(buffer: ArrayBuffer)");
  if (napi_detach_arraybuffer(env, info[0]) != napi_ok) throw Napi::Error::New(env, "cannot detach the buffer");
  return env.Undefined();
}

/**
 * setGlobal(instance, name, bits: BigUint64Array [low, high] | undefined, ref?): sets an exported mutable
 * global; a reference global takes `ref` (checked as a reference of its type). An immutable one is a TypeError.
 */
Napi::Value SetGlobal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GlobalCell* g = exportedGlobal(info);
  if (!g) throw Napi::Error::New(env, "no exported global \"" + info[1].As<Napi::String>().Utf8Value() + "\"");
  if (!g->type.mut) throw Napi::TypeError::New(env, "the global is immutable");
  if (isReference(g->type.type)) {
    Slot v;
    napi_value given = info.Length() > 3 ? static_cast<napi_value>(info[3]) : static_cast<napi_value>(env.Undefined());
    if (!refFromJs(env, g->type.type, given, v)) return Napi::Value();  // the TypeError is pending
    rt::storeGlobalRef(*g, v);
    return env.Undefined();
  }
  if (!info[2].IsTypedArray() || info[2].As<Napi::TypedArray>().TypedArrayType() != napi_biguint64_array || info[2].As<Napi::BigUint64Array>().ElementLength() != 2)
    throw Napi::TypeError::New(env, "setGlobal: bits must be a BigUint64Array of 2");
  auto bits = info[2].As<Napi::BigUint64Array>();
  g->value[0] = bits[0];
  g->value[1] = bits[1];
  return env.Undefined();
}

/** liveReservations(): how many linear memories hold their address space now (the whole process). */
Napi::Value LiveReservations(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(LinearMemory::liveReservations()));
}

/** simdIsa(): the build of the SIMD handlers this CPU gets. */
Napi::Value SimdIsa(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), simdAvailable() ? simdTable().isa : "none");
}

/** gcObjectKind(v): "struct" or "array" for a GC object's wrapper (gc_js.h), else undefined. */
Napi::Value GcObjectKind(const Napi::CallbackInfo& info) {
  GcObject* o = gcObjectOfJs(info.Env(), info[0]);
  if (!o) return info.Env().Undefined();
  return Napi::String::New(info.Env(), o->type->type.kind == Composite::Struct ? "struct" : "array");
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  initEnvState(env);
  installMemoryGrowHook();
  exportFunction(env, exports, "validate", guarded<Validate>);
  exportFunction(env, exports, "compile", guarded<Compile>);
  exportFunction(env, exports, "instantiate", guarded<Instantiate>);
  exportFunction(env, exports, "getExport", guarded<GetExport>);
  exportFunction(env, exports, "invoke", guarded<Invoke>);
  exportFunction(env, exports, "getGlobal", guarded<GetGlobal>);
  exportFunction(env, exports, "release", guarded<Release>);
  exportFunction(env, exports, "releaseModule", guarded<ReleaseModule>);
  exportFunction(env, exports, "simdIsa", guarded<SimdIsa>);
  exportFunction(env, exports, "liveReservations", guarded<LiveReservations>);
  exportFunction(env, exports, "setGlobal", guarded<SetGlobal>);
  exportFunction(env, exports, "memoryBuffer", guarded<MemoryBuffer>);
  exportFunction(env, exports, "memorySize", guarded<MemorySize>);
  exportFunction(env, exports, "memoryGrow", guarded<MemoryGrow>);
  exportFunction(env, exports, "detachBuffer", guarded<DetachBuffer>);
  exportFunction(env, exports, "stackMaps", guarded<StackMapsOf>);
  exportFunction(env, exports, "gcObjectKind", guarded<GcObjectKind>);
  exportFunction(env, exports, "gcStats", guarded<GcStats>);
  registerObjectApi(env, exports);
  registerExceptionApi(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(mitey_jit, Init)
