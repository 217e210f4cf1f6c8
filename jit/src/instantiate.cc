// Instantiation: imports checked first (unlinkable means no effect), then objects, then element
// and data segments in order (a trap keeps the effects before it), then the start function.
#include "instantiate.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <mutex>
#include <new>

#include "activation.h"
#include "error.h"
#include "exceptions.h"
#include "gc_handlers.h"
#include "host_function.h"
#include "runtime_handlers.h"
#include "type_canon.h"

namespace mitey {

namespace {

/** struct.new(_default), array.new(_default), array.new_fixed in a constant expression: the operands
 * popped from the stack, the new object's reference returned. */
Slot allocateConst(const Instance& in, const Instr& i, std::vector<std::array<Slot, 2>>& stack) {
  const Module& m = in.module->module;
  uint32_t id = in.module->typeIds[i.a];
  size_t pops = 0;
  uint32_t length = 0;
  switch (i.op - kKeyFB) {
    case 0x00: pops = m.types[i.a].fields.size(); break;
    case 0x06: pops = 2; length = static_cast<uint32_t>(stack.back()[0]); break;
    case 0x07: pops = 1; length = static_cast<uint32_t>(stack.back()[0]); break;
    case 0x08: pops = i.b; length = i.b; break;
  }
  std::vector<Slot> units;  // the operands' frame units (a v128 takes two), as the handlers read them
  GcRootScope keepUnits(units);  // a collection before the object is made keeps what they name
  for (size_t k = stack.size() - pops; k < stack.size(); k++) {
    ValType t = i.op == kKeyFB + 0x00 ? m.types[i.a].fields[k - (stack.size() - pops)].type : m.types[i.a].fields[0].type;
    units.push_back(stack[k][0]);
    if (t == ValType::V128) units.push_back(stack[k][1]);
  }
  stack.resize(stack.size() - pops);
  GcObject* o = nullptr;
  switch (i.op - kKeyFB) {
    case 0x00: o = newStruct(id, units.data(), nullptr); break;
    case 0x01: o = newStruct(id, nullptr, nullptr); break;
    case 0x06: o = newArray(id, length, units.data(), nullptr); break;  // the value, then the length: the value's units come first
    case 0x07: o = newArray(id, length, nullptr, nullptr); break;
    case 0x08: o = newArrayFixed(id, length, units.data(), nullptr); break;
  }
  if (!o) throw ResourceError("out of memory: an object of a constant expression is too large");
  return reinterpret_cast<Slot>(o);
}

/** Evaluates a validated constant expression on a small stack (extended constants: add, sub, mul
 * wrap as the instructions do); the value's 16 bytes go to out. */
void evalConst(const Instance& in, const Expr& e, Slot out[2]) {
  std::vector<std::array<Slot, 2>> stack;
  GcRootScope keepStack(stack);  // an allocating constant expression may collect (gc_heap.h)
  auto binary = [&stack](auto f) {
    Slot y = stack.back()[0];
    stack.pop_back();
    stack.back()[0] = f(stack.back()[0], y);
  };
  auto u32 = [](Slot s) { return static_cast<uint32_t>(s); };
  for (const Instr& i : e.code) {
    switch (i.op) {
      case 0x41: stack.push_back({i.a, 0}); break;
      case 0x42: case 0x43: case 0x44: stack.push_back({i.c, 0}); break;
      case 0xd0: stack.push_back({0, 0}); break;
      case 0xd2: stack.push_back({reinterpret_cast<Slot>(in.funcPtrs[i.a]), 0}); break;
      case 0x23: stack.push_back({in.globalPtrs[i.a]->value[0], in.globalPtrs[i.a]->value[1]}); break;
      case kKeyFD + 12: {
        std::array<Slot, 2> v;
        std::memcpy(v.data(), e.v128s[i.c].data(), 16);
        stack.push_back(v);
        break;
      }
      case 0x6a: binary([&](Slot x, Slot y) -> Slot { return u32(u32(x) + u32(y)); }); break;
      case 0x6b: binary([&](Slot x, Slot y) -> Slot { return u32(u32(x) - u32(y)); }); break;
      case 0x6c: binary([&](Slot x, Slot y) -> Slot { return u32(u32(x) * u32(y)); }); break;
      case 0x7c: binary([](Slot x, Slot y) -> Slot { return x + y; }); break;
      case 0x7d: binary([](Slot x, Slot y) -> Slot { return x - y; }); break;
      case 0x7e: binary([](Slot x, Slot y) -> Slot { return x * y; }); break;
      // GC: allocations (gc_handlers.h) and the conversions between any and extern (the same word).
      case kKeyFB + 0x00: case kKeyFB + 0x01: case kKeyFB + 0x06: case kKeyFB + 0x07: case kKeyFB + 0x08:
        stack.push_back({allocateConst(in, i, stack), 0});
        break;
      case kKeyFB + 0x1c: stack.back()[0] = gcref::fromI31(u32(stack.back()[0])); break;
      default: break;
    }
  }
  out[0] = stack.empty() ? 0 : stack.back()[0];
  out[1] = stack.empty() ? 0 : stack.back()[1];
}

bool limitsMatch(uint64_t min, std::optional<uint64_t> max, const Limits& want) {
  if (min < want.min) return false;
  if (!want.max) return true;
  return max && *max <= *want.max;
}

/** Runs the segments; no objects with destructors live here, since a trap longjmps out. */
void initSegments(Instance* in) {
  const Module& m = in->module->module;
  for (uint32_t i = 0; i < m.elems.size(); i++) {
    const ElemSegment& s = m.elems[i];
    if (s.mode == SegmentMode::Active) {
      Slot off[2];
      evalConst(*in, s.offset, off);
      uint64_t d = in->tables[s.table]->is64 ? off[0] : static_cast<uint32_t>(off[0]);
      rt::initTable(in, *in->tables[s.table], d, i, 0, in->elemValues[i].size());
    }
    if (s.mode != SegmentMode::Passive) rt::elemDrop(in, nullptr, i);
  }
  for (uint32_t i = 0; i < m.datas.size(); i++) {
    const DataSegment& d = m.datas[i];
    if (d.mode != SegmentMode::Active) continue;
    Slot off[2];
    evalConst(*in, d.offset, off);
    uint64_t at = m.memories[d.memory].is64 ? off[0] : static_cast<uint32_t>(off[0]);
    rt::initMemory(in, d.memory, at, in->module->bytes.data() + d.start, d.size, 0, d.size);
    in->droppedDatas[i] = true;
  }
  if (m.start) in->funcPtrs[*m.start]->code(in->funcPtrs[*m.start]->ctx, valueStackTop());
}

}  // namespace

Slot* valueStackTop() { return threadState().valueStackTop; }

void setValueStackTop(Slot* top) { threadState().valueStackTop = top; }

int callWasm(ThreadState& ts, const FuncInstance* f, Slot* frame) {
  struct Call {
    const FuncInstance* f;
    Slot* frame;
  } call{f, frame};
  return runActivation(ts, [](void* p) { auto* c = static_cast<Call*>(p); c->f->code(c->f->ctx, c->frame); }, &call);
}

int callWasm(const FuncInstance* f, Slot* frame) { return callWasm(threadState(), f, frame); }

std::shared_ptr<Instance> instantiate(const std::shared_ptr<CompiledModule>& cm, const std::vector<const ExternHandle*>& imports) {
  const Module& m = cm->module;
  installSignalHandlers();
  const ThreadState& thread = threadState();
  // Linking: every import present and of a matching type, before anything else happens.
  for (size_t i = 0; i < m.imports.size(); i++) {
    const Import& imp = m.imports[i];
    const ExternHandle* h = i < imports.size() ? imports[i] : nullptr;
    if (!h) throw LinkError("unknown import \"" + imp.module + "\" \"" + imp.name + "\"");
    if (h->kind != imp.kind) throw LinkError("incompatible import type for \"" + imp.module + "\" \"" + imp.name + "\"");
    bool ok = true;
    switch (imp.kind) {
      case ExternKind::Func: ok = canonicalSubtype(h->func->typeId, cm->typeIds[imp.typeIndex]); break;
      case ExternKind::Global: {
        // Shared cells hold canonical types: a mutable global's type must be the same, an immutable one's a subtype.
        ValType want = canonical(imp.global.type, cm->typeIds);
        ok = h->global->type.mut == imp.global.mut &&
             (imp.global.mut ? h->global->type.type == want : isSubtype({}, h->global->type.type, want));
        break;
      }
      case ExternKind::Table:
        ok = h->table->elem == canonical(imp.table.elem, cm->typeIds) && h->table->is64 == imp.table.limits.is64 &&
             limitsMatch(h->table->elems.size(), h->table->max, imp.table.limits);
        break;
      case ExternKind::Tag: ok = h->tag->typeId == cm->typeIds[imp.typeIndex]; break;
      case ExternKind::Memory:
        ok = h->memory->is64() == imp.memory.is64 && h->memory->shape().pageLog2 == imp.memory.pageLog2 &&
             h->memory->shape().shared == imp.memory.shared && limitsMatch(h->memory->pages(), h->memory->maxPages(), imp.memory);
        break;
    }
    if (!ok) throw LinkError("incompatible import type for \"" + imp.module + "\" \"" + imp.name + "\"");
  }

  auto in = std::make_shared<Instance>();
  in->self = in;
  in->module = cm;
  in->thread = &thread;
  in->stackLimit = thread.nativeStackLimit;
  in->valueStackLimit = thread.valueStackLimit;
  for (size_t i = 0; i < m.imports.size(); i++) {
    const ExternHandle* h = imports[i];
    in->keepAlive.push_back(h->owner);
    switch (h->kind) {
      case ExternKind::Func: in->funcPtrs.push_back(h->func); break;
      case ExternKind::Global: in->globalCells.push_back(h->global); break;
      case ExternKind::Table: in->tables.push_back(h->table); break;
      case ExternKind::Memory: in->memories.push_back(h->memory); break;
      case ExternKind::Tag: in->tags.push_back(h->tag); break;
    }
  }
  for (uint32_t i = m.importedFuncs; i < m.funcs.size(); i++) {
    auto f = std::make_unique<FuncInstance>();
    f->code = reinterpret_cast<EntryFn>(cm->code + cm->funcOffsets[i - m.importedFuncs]);
    f->ctx = in.get();
    f->typeId = cm->typeIds[m.funcs[i]];
    f->type = &cm->funcTypes[m.funcs[i]];
    f->instance = in.get();
    f->index = i;
    in->funcPtrs.push_back(f.get());
    in->ownFuncs.push_back(std::move(f));
  }
  in->funcs = in->funcPtrs.data();
  for (size_t i = m.importedTables; i < m.tables.size(); i++) {
    auto t = std::make_shared<Table>();
    t->elem = canonical(m.tables[i].elem, cm->typeIds);
    t->max = m.tables[i].limits.max;
    t->is64 = m.tables[i].limits.is64;
    if (m.tables[i].limits.min > (1u << 24) * 16ull) throw ResourceError("out of memory: a table of more than 256M entries");  // table.grow's cap too
    t->elems.assign(m.tables[i].limits.min, 0);
    t->owners.home = in.get();
    in->tables.push_back(std::move(t));
  }
  for (size_t i = m.importedMemories; i < m.memories.size(); i++) {
    const Limits& l = m.memories[i];
    in->memories.push_back(std::make_shared<LinearMemory>(MemoryShape{l.min, l.max, l.is64, l.shared, l.pageLog2}));
  }
  for (size_t i = m.importedTags; i < m.tags.size(); i++) {  // a module's tags are new for each instance
    auto t = std::make_shared<TagInstance>();
    t->type = canonical(m.funcType(m.tags[i]), cm->typeIds);  // JS converts payloads by it
    t->typeId = cm->typeIds[m.tags[i]];
    in->tags.push_back(std::move(t));
  }
  in->handlerHead = &threadState().handlers;
  for (const auto& mem : in->memories) in->memViewPtrs.push_back(mem->view());
  in->memViews = in->memViewPtrs.data();
  in->memBase = in->memories.empty() ? nullptr : in->memories[0]->base();
  for (const auto& g : in->globalCells) in->globalPtrs.push_back(g.get());
  for (const Global& g : m.globalInits) {
    auto cell = std::make_shared<GlobalCell>();
    cell->type = {canonical(g.type.type, cm->typeIds), g.type.mut};
    cell->owners.home = in.get();
    evalConst(*in, g.init, cell->value);
    in->globalPtrs.push_back(cell.get());
    in->globalCells.push_back(std::move(cell));
  }
  in->globals = in->globalPtrs.data();
  // Tables with an initializer (typed references), after the globals it may read.
  for (size_t i = m.importedTables; i < m.tables.size(); i++) {
    if (!m.tables[i].init) continue;
    Slot v[2];
    evalConst(*in, *m.tables[i].init, v);
    Table& t = *in->tables[i];
    std::fill(t.elems.begin(), t.elems.end(), v[0]);
    if (isFuncRef(t.elem) && v[0]) t.owners.retain(reinterpret_cast<FuncInstance*>(v[0])->instance);
  }
  for (const ElemSegment& s : m.elems) {
    std::vector<Slot> values;
    GcRootScope keepValues(values);  // each evaluation may collect
    if (s.usesIndices) {
      for (uint32_t f : s.funcIndices) values.push_back(reinterpret_cast<Slot>(in->funcPtrs[f]));
    } else {
      for (const Expr& e : s.inits) {
        Slot v[2];
        evalConst(*in, e, v);
        values.push_back(v[0]);
      }
    }
    in->elemValues.push_back(std::move(values));
  }
  in->droppedDatas.assign(m.datas.size(), false);

  int code = runActivation(threadState(), [](void* p) { initSegments(static_cast<Instance*>(p)); }, in.get());
  if (code) throw InstantiationTrap(static_cast<Trap>(code - 1));
  return in;
}

std::unique_ptr<ExternHandle> exportHandle(const std::shared_ptr<Instance>& in, const std::string& name) {
  const Module& m = in->module->module;
  for (const Export& e : m.exports) {
    if (e.name != name) continue;
    auto h = std::make_unique<ExternHandle>();
    h->kind = e.kind;
    h->owner = in;
    switch (e.kind) {
      case ExternKind::Func: h->func = in->funcPtrs[e.index]; break;
      case ExternKind::Global: h->global = in->globalCells[e.index]; break;
      case ExternKind::Table: h->table = in->tables[e.index]; break;
      case ExternKind::Memory: h->memory = in->memories[e.index]; break;
      case ExternKind::Tag: h->tag = in->tags[e.index]; break;
    }
    return h;
  }
  return nullptr;
}

}  // namespace mitey
