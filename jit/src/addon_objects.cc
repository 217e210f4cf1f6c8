#include "addon_objects.h"

#include <memory>

#include "env_state.h"
#include "guarded_callback.h"
#include "error.h"
#include "exported_function.h"
#include "handles.h"
#include "instantiate.h"
#include "js_memory_buffer.h"
#include "references.h"
#include "runtime_handlers.h"
#include "type_letters.h"

namespace mitey {

namespace {

/** The JS API's limit on a table's length (and this engine's on a table made or grown from JS). */
constexpr uint64_t kMaxTableLength = 10'000'000;

ValType valTypeOfLetter(Napi::Env env, const std::string& s) {
  ValType t;
  if (s.size() != 1 || !letterType(s[0], t)) throw Napi::TypeError::New(env, "unknown value type \"" + s + "\"");
  return t;
}

/**
 * A count from JS: an integer in [0, limit] (a Number, or a BigInt for a 64-bit table or memory), else
 * a TypeError or RangeError (the JS side has applied the JS API's conversions already).
 */
uint64_t countArg(Napi::Env env, Napi::Value v, uint64_t limit, const char* what) {
  if (v.IsBigInt()) {
    bool lossless = false;
    uint64_t n = v.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless || n > limit) throw Napi::RangeError::New(env, std::string(what) + " out of range");
    return n;
  }
  if (!v.IsNumber()) throw Napi::TypeError::New(env, std::string(what) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d > static_cast<double>(limit) || d != static_cast<double>(static_cast<uint64_t>(d)))
    throw Napi::RangeError::New(env, std::string(what) + " out of range");
  return static_cast<uint64_t>(d);
}

std::optional<uint64_t> maximumArg(Napi::Env env, Napi::Value v, uint64_t limit, const char* what) {
  if (v.IsUndefined()) return std::nullopt;
  return countArg(env, v, limit, what);
}

ExternHandle* externArg(Napi::Env env, Napi::Value v, ExternKind kind, const char* what) {
  auto* h = untag<ExternHandle>(env, v, kExternTag, what);
  if (h->kind != kind) throw Napi::TypeError::New(env, std::string("not a ") + what);
  return h;
}

/** A reference of type t from JS; false, with the TypeError thrown, when it is not one (the caller returns at once). */
bool refArg(Napi::Env env, ValType t, Napi::Value v, Slot& out) {
  out = 0;
  return refFromJs(env, t, v, out);
}

/** Stores a reference into a table slot, keeping a stored function's instance alive. */
void storeTableRef(Table& t, uint64_t at, Slot v) {
  t.elems[at] = v;
  if (isFuncRef(t.elem) && v) t.owners.retain(reinterpret_cast<FuncInstance*>(v)->instance);
}

Napi::Value handleOf(Napi::Env env, std::unique_ptr<ExternHandle> h) { return tagged(env, h.release(), kExternTag); }

Napi::Value memoryHandle(Napi::Env env, const std::shared_ptr<LinearMemory>& memory) {
  auto h = std::make_unique<ExternHandle>();
  h->kind = ExternKind::Memory;
  h->memory = memory;
  h->owner = memory;
  return handleOf(env, std::move(h));
}

/** createMemory(initial, maximum?, shared?, is64?): a memory made from JS (a shared one needs a maximum). */
Napi::Value CreateMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool is64 = info.Length() > 3 && info[3].ToBoolean().Value();
  uint64_t initial = countArg(env, info[0], LinearMemory::specMaxPages(is64, 16), "initial");
  auto maximum = maximumArg(env, info[1], LinearMemory::specMaxPages(is64, 16), "maximum");
  bool shared = info.Length() > 2 && info[2].ToBoolean().Value();
  if (maximum && *maximum < initial) throw Napi::RangeError::New(env, "the maximum is below the initial size");
  if (shared && !maximum) throw Napi::TypeError::New(env, "a shared memory needs a maximum");
  std::shared_ptr<LinearMemory> memory;
  try {
    memory = std::make_shared<LinearMemory>(MemoryShape{initial, maximum, is64, shared, 16});
  } catch (const ResourceError& e) {
    throw Napi::RangeError::New(env, e.what());
  }
  return memoryHandle(env, memory);
}

/**
 * sharedMemory(buffer): the shared memory a SharedArrayBuffer of memoryBuffer shows, made on this
 * thread or another (a Worker that was posted the buffer), as a memory handle; a TypeError for any
 * other buffer.
 */
Napi::Value SharedMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<LinearMemory> memory = sharedMemoryOf(info[0]);
  if (!memory) throw Napi::TypeError::New(env, "sharedMemory: not the SharedArrayBuffer of a shared memory");
  return memoryHandle(env, memory);
}

/** createTable(elem, initial, maximum?, init, is64?): a table made from JS, every slot init. */
Napi::Value CreateTable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  deletePendingReferences(env);
  ValType elem = valTypeOfLetter(env, info[0].ToString().Utf8Value());
  if (!isReference(elem)) throw Napi::TypeError::New(env, "a table holds references");
  bool is64 = info[4].ToBoolean().Value();
  uint64_t initial = countArg(env, info[1], kMaxTableLength, "initial");
  auto maximum = maximumArg(env, info[2], is64 ? ~0ull : 0xffffffffull, "maximum");
  if (maximum && *maximum < initial) throw Napi::RangeError::New(env, "the maximum is below the initial size");
  Slot init;
  if (!refArg(env, elem, info[3], init)) return Napi::Value();
  auto t = std::make_shared<Table>();
  t->elem = elem;
  t->max = maximum;
  t->is64 = is64;
  t->elems.assign(initial, 0);
  for (uint64_t i = 0; i < initial; i++) storeTableRef(*t, i, init);
  auto h = std::make_unique<ExternHandle>();
  h->kind = ExternKind::Table;
  h->table = t;
  h->owner = t;
  return handleOf(env, std::move(h));
}

/** Writes a global's value: bits [low, high] for a number or v128, ref for a reference. */
/** False, with the TypeError thrown, when a reference is not one of the global's type. */
bool writeGlobal(Napi::Env env, GlobalCell& g, Napi::Value bits, Napi::Value ref) {
  if (isReference(g.type.type)) {
    Slot v;
    if (!refArg(env, g.type.type, ref, v)) return false;
    rt::storeGlobalRef(g, v);
    return true;
  }
  if (!bits.IsTypedArray() || bits.As<Napi::TypedArray>().TypedArrayType() != napi_biguint64_array || bits.As<Napi::BigUint64Array>().ElementLength() != 2)
    throw Napi::TypeError::New(env, "a global's bits are a BigUint64Array of 2");
  auto b = bits.As<Napi::BigUint64Array>();
  g.value[0] = b[0];
  g.value[1] = b[1];
  return true;
}

/** createGlobal(type, mutable, bits, ref): a global made from JS. */
Napi::Value CreateGlobal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  deletePendingReferences(env);
  auto g = std::make_shared<GlobalCell>();
  g->type.type = valTypeOfLetter(env, info[0].ToString().Utf8Value());
  g->type.mut = info[1].ToBoolean().Value();
  if (!writeGlobal(env, *g, info[2], info[3])) return Napi::Value();
  auto h = std::make_unique<ExternHandle>();
  h->kind = ExternKind::Global;
  h->global = g;
  h->owner = g;
  return handleOf(env, std::move(h));
}

/** externType(v): { kind, id, type?, mutable?, min?, max?, shared? } for an extern handle or an Exported Function, else undefined. */
Napi::Value ExternType(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  if (FuncInstance* f = exportedFunctionTarget(env, info[0])) {
    out.Set("kind", "func");
    out.Set("id", Napi::Number::New(env, static_cast<double>(f->id)));
    out.Set("type", signature(*f->type));
    return out;
  }
  auto* h = tryUntag<ExternHandle>(env, info[0], kExternTag);
  if (!h) return env.Undefined();
  switch (h->kind) {
    case ExternKind::Func:
      out.Set("kind", "func");
      out.Set("id", Napi::Number::New(env, static_cast<double>(h->func->id)));
      break;
    case ExternKind::Memory:
      out.Set("kind", "memory");
      out.Set("id", Napi::Number::New(env, static_cast<double>(h->memory->id())));
      out.Set("min", Napi::Number::New(env, static_cast<double>(h->memory->pages())));
      if (h->memory->maxPages()) out.Set("max", Napi::Number::New(env, static_cast<double>(*h->memory->maxPages())));
      if (h->memory->shared()) out.Set("shared", Napi::Boolean::New(env, true));
      out.Set("address", h->memory->is64() ? "i64" : "i32");
      break;
    case ExternKind::Table:
      out.Set("kind", "table");
      out.Set("id", Napi::Number::New(env, static_cast<double>(h->table->id)));
      out.Set("type", std::string(1, typeLetter(h->table->elem)));
      out.Set("min", Napi::Number::New(env, static_cast<double>(h->table->elems.size())));
      if (h->table->max) out.Set("max", Napi::Number::New(env, static_cast<double>(*h->table->max)));
      out.Set("address", h->table->is64 ? "i64" : "i32");
      break;
    case ExternKind::Tag:
      out.Set("kind", "tag");
      out.Set("id", Napi::Number::New(env, static_cast<double>(h->tag->id)));
      out.Set("type", signature(h->tag->type));
      break;
    case ExternKind::Global:
      out.Set("kind", "global");
      out.Set("id", Napi::Number::New(env, static_cast<double>(h->global->id)));
      out.Set("type", std::string(1, typeLetter(h->global->type.type)));
      out.Set("mutable", Napi::Boolean::New(env, h->global->type.mut));
      break;
  }
  return out;
}

Napi::Value TableSize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Napi::Number::New(env, static_cast<double>(externArg(env, info[0], ExternKind::Table, "table")->table->elems.size()));
}

uint64_t tableIndex(Napi::Env env, const Table& t, Napi::Value v) {
  if (!v.IsNumber()) throw Napi::TypeError::New(env, "a table index is a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d >= static_cast<double>(t.elems.size()) || d != static_cast<double>(static_cast<uint64_t>(d)))
    throw Napi::RangeError::New(env, "table index out of bounds");
  return static_cast<uint64_t>(d);
}

/** tableGet(table, index): the reference there as JS (RangeError out of bounds). */
Napi::Value TableGet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  deletePendingReferences(env);
  const Table& t = *externArg(env, info[0], ExternKind::Table, "table")->table;
  uint64_t i = tableIndex(env, t, info[1]);
  return Napi::Value(env, refToJs(env, t.elem, t.elems[i]));
}

/** tableSet(table, index, value): RangeError out of bounds, TypeError for a value of another type. */
Napi::Value TableSet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  deletePendingReferences(env);
  Table& t = *externArg(env, info[0], ExternKind::Table, "table")->table;
  uint64_t i = tableIndex(env, t, info[1]);
  Slot v;
  if (!refArg(env, t.elem, info[2], v)) return Napi::Value();
  storeTableRef(t, i, v);
  return env.Undefined();
}

/** tableGrow(table, delta, init): the old length, or -1 when it cannot grow that far. */
Napi::Value TableGrow(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  deletePendingReferences(env);
  Table& t = *externArg(env, info[0], ExternKind::Table, "table")->table;
  uint64_t delta = countArg(env, info[1], 0xffffffffull, "delta");
  Slot init;
  if (!refArg(env, t.elem, info[2], init)) return Napi::Value();
  uint64_t old = t.elems.size();
  uint64_t limit = std::min<uint64_t>(t.max.value_or(kMaxTableLength), kMaxTableLength);
  if (old > limit || delta > limit - old) return Napi::Number::New(env, -1);
  t.elems.resize(old + delta, 0);
  for (uint64_t i = old; i < old + delta; i++) storeTableRef(t, i, init);
  return Napi::Number::New(env, static_cast<double>(old));
}

/** globalGet(global): { bits: [low, high] } for a number or v128, { ref } for a reference. */
Napi::Value GlobalGet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  deletePendingReferences(env);
  const GlobalCell& g = *externArg(env, info[0], ExternKind::Global, "global")->global;
  Napi::Object out = Napi::Object::New(env);
  if (isReference(g.type.type)) {
    out.Set("ref", Napi::Value(env, refToJs(env, g.type.type, g.value[0])));
    return out;
  }
  auto bits = Napi::BigUint64Array::New(env, 2);
  bits[0] = g.value[0];
  bits[1] = g.value[1];
  out.Set("bits", bits);
  return out;
}

/** globalSet(global, bits, ref): the JS side checks mutability (the JS API's error comes first). */
Napi::Value GlobalSet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  deletePendingReferences(env);
  GlobalCell& g = *externArg(env, info[0], ExternKind::Global, "global")->global;
  if (!writeGlobal(env, g, info[1], info[2])) return Napi::Value();
  return env.Undefined();
}

}  // namespace

void registerObjectApi(Napi::Env env, Napi::Object exports) {
  exportFunction(env, exports, "createMemory", guarded<CreateMemory>);
  exportFunction(env, exports, "sharedMemory", guarded<SharedMemory>);
  exportFunction(env, exports, "createTable", guarded<CreateTable>);
  exportFunction(env, exports, "createGlobal", guarded<CreateGlobal>);
  exportFunction(env, exports, "externType", guarded<ExternType>);
  exportFunction(env, exports, "tableSize", guarded<TableSize>);
  exportFunction(env, exports, "tableGet", guarded<TableGet>);
  exportFunction(env, exports, "tableSet", guarded<TableSet>);
  exportFunction(env, exports, "tableGrow", guarded<TableGrow>);
  exportFunction(env, exports, "globalGet", guarded<GlobalGet>);
  exportFunction(env, exports, "globalSet", guarded<GlobalSet>);
}

}  // namespace mitey
