// Instance-level handlers. Bounds are checked before anything is written, as the spec requires.
#include "runtime_handlers.h"

#include <cstring>

#include "trap.h"
#include "type_canon.h"

namespace mitey::rt {

namespace {

uint32_t u32(Slot s) { return static_cast<uint32_t>(s); }

Table& table(Instance* in, uint32_t t) { return *in->tables[t]; }

/** Stores a reference into a table, keeping its function's instance alive. */
void storeRef(Table& t, uint64_t at, Slot v) {
  t.elems[at] = v;
  if (isExnRef(t.elem)) escape(reinterpret_cast<Exception*>(v));
  if (isFuncRef(t.elem) && v) t.owners.retain(reinterpret_cast<FuncInstance*>(v)->instance);
}

LinearMemory& memory(Instance* in, uint32_t m) { return *in->memories[m]; }

/** An address or length operand of memory m (or table t): 64 bits for memory64, else 32. */
uint64_t addr(const LinearMemory& mem, Slot s) { return mem.is64() ? s : u32(s); }
uint64_t index(const Table& t, Slot s) { return t.is64 ? s : u32(s); }

/** Whether [at, at + n) lies within size, without overflowing. */
bool within(uint64_t at, uint64_t n, uint64_t size) { return at <= size && n <= size - at; }

}  // namespace

void trap(uint32_t kind) { raiseTrap(static_cast<Trap>(kind)); }

void memorySize(Instance* in, Slot* s, uint32_t m) { s[0] = memory(in, m).pages(); }

void memoryGrow(Instance* in, Slot* s, uint32_t m) {
  LinearMemory& mem = memory(in, m);
  int64_t old = mem.grow(addr(mem, s[0]));
  s[0] = mem.is64() ? static_cast<uint64_t>(old) : static_cast<uint32_t>(static_cast<int32_t>(old));
}

void memoryFill(Instance* in, Slot* s, uint32_t m) {
  LinearMemory& mem = memory(in, m);
  uint64_t d = addr(mem, s[0]), n = addr(mem, s[2]);
  if (!within(d, n, mem.sizeBytes())) raiseTrap(Trap::OutOfBoundsMemory);
  std::memset(mem.base() + d, static_cast<uint8_t>(s[1]), n);
}

void memoryCopy(Instance* in, Slot* s, uint32_t dst, uint32_t src) {
  LinearMemory& to = memory(in, dst);
  LinearMemory& from = memory(in, src);
  uint64_t d = addr(to, s[0]), f = addr(from, s[1]), n = to.is64() && from.is64() ? s[2] : u32(s[2]);
  if (!within(d, n, to.sizeBytes()) || !within(f, n, from.sizeBytes())) raiseTrap(Trap::OutOfBoundsMemory);
  std::memmove(to.base() + d, from.base() + f, n);
}

void initMemory(Instance* in, uint32_t m, uint64_t d, const uint8_t* src, uint64_t srcSize, uint64_t s, uint64_t n) {
  LinearMemory& mem = memory(in, m);
  if (!within(s, n, srcSize) || !within(d, n, mem.sizeBytes())) raiseTrap(Trap::OutOfBoundsMemory);
  if (n) std::memcpy(mem.base() + d, src + s, n);
}

void memoryInit(Instance* in, Slot* s, uint32_t data, uint32_t m) {
  const DataSegment& seg = in->module->module.datas[data];
  uint64_t size = in->droppedDatas[data] ? 0 : seg.size;
  initMemory(in, m, addr(memory(in, m), s[0]), in->module->bytes.data() + seg.start, size, u32(s[1]), u32(s[2]));
}

void dataDrop(Instance* in, Slot*, uint32_t data) { in->droppedDatas[data] = true; }

void tableGet(Instance* in, Slot* s, uint32_t t) {
  Table& tab = table(in, t);
  uint64_t i = index(tab, s[0]);
  if (i >= tab.elems.size()) raiseTrap(Trap::OutOfBoundsTable);
  s[0] = tab.elems[i];
}

void tableSet(Instance* in, Slot* s, uint32_t t) {
  Table& tab = table(in, t);
  uint64_t i = index(tab, s[0]);
  if (i >= tab.elems.size()) raiseTrap(Trap::OutOfBoundsTable);
  storeRef(tab, i, s[1]);
}

void tableSize(Instance* in, Slot* s, uint32_t t) { s[0] = table(in, t).elems.size(); }

void tableGrow(Instance* in, Slot* s, uint32_t t) {
  Table& tab = table(in, t);
  Slot init = s[0];
  uint64_t delta = index(tab, s[1]);
  uint64_t old = tab.elems.size();
  uint64_t limit = tab.max.value_or(tab.is64 ? ~0ull : 0xffffffffull);
  if (delta > limit - old || old + delta > (1u << 24) * 16ull) {  // a practical cap: 256M entries
    s[0] = tab.is64 ? ~0ull : 0xffffffffu;
    return;
  }
  tab.elems.resize(old + delta, 0);
  for (uint64_t i = old; i < old + delta; i++) storeRef(tab, i, init);
  s[0] = old;
}

void tableFill(Instance* in, Slot* s, uint32_t t) {
  Table& tab = table(in, t);
  uint64_t i = index(tab, s[0]), n = index(tab, s[2]);
  if (!within(i, n, tab.elems.size())) raiseTrap(Trap::OutOfBoundsTable);
  for (uint64_t k = 0; k < n; k++) storeRef(tab, i + k, s[1]);
}

void tableCopy(Instance* in, Slot* s, uint32_t dst, uint32_t src) {
  Table& d = table(in, dst);
  Table& from = table(in, src);
  uint64_t di = index(d, s[0]), si = index(from, s[1]), n = d.is64 && from.is64 ? s[2] : u32(s[2]);
  if (!within(di, n, d.elems.size()) || !within(si, n, from.elems.size())) raiseTrap(Trap::OutOfBoundsTable);
  std::vector<Slot> tmp(from.elems.begin() + si, from.elems.begin() + si + n);
  for (uint64_t k = 0; k < n; k++) storeRef(d, di + k, tmp[k]);
}

void initTable(Instance* in, Table& t, uint64_t d, uint32_t elem, uint64_t s, uint64_t n) {
  const std::vector<Slot>& values = in->elemValues[elem];
  if (!within(s, n, values.size()) || !within(d, n, t.elems.size())) raiseTrap(Trap::OutOfBoundsTable);
  for (uint64_t k = 0; k < n; k++) storeRef(t, d + k, values[s + k]);
}

void tableInit(Instance* in, Slot* s, uint32_t elem, uint32_t t) {
  Table& tab = table(in, t);
  initTable(in, tab, index(tab, s[0]), elem, u32(s[1]), u32(s[2]));
}

void elemDrop(Instance* in, Slot*, uint32_t elem) {
  in->elemValues[elem].clear();
  in->elemValues[elem].shrink_to_fit();
}

void storeGlobalRef(GlobalCell& g, Slot v) {
  g.value[0] = v;
  if (isExnRef(g.type.type)) escape(reinterpret_cast<Exception*>(v));
  if (isFuncRef(g.type.type) && v) g.owners.retain(reinterpret_cast<FuncInstance*>(v)->instance);
}

void globalSetRef(Instance* in, Slot* s, uint32_t global) { storeGlobalRef(*in->globalPtrs[global], s[0]); }

void refFunc(Instance* in, Slot* s, uint32_t func) { s[0] = reinterpret_cast<Slot>(in->funcPtrs[func]); }

void throwTag(Instance* in, Slot* s, uint32_t tag) {
  TagInstance* t = in->tags[tag].get();
  Exception* e = newException(t, s, t->type.params);
  e->keepTag = in->tags[tag];
  throwException(e);
}

void throwRef(Instance*, Slot* s) {
  auto* e = reinterpret_cast<Exception*>(s[0]);
  if (!e) raiseTrap(Trap::NullExceptionReference);
  throwException(e);
}

void rethrow(Exception* e) { throwException(e); }

namespace {
/** The payload at s, then (withRef) the exception itself. */
void unpack(Slot* s, Exception* e, bool withRef) {
  if (e->jsValue) materializeJsPayload(e);
  size_t n = e->payload.size();
  for (size_t i = 0; i < n; i++) s[i] = e->payload[i];
  if (withRef) s[n] = reinterpret_cast<Slot>(e);
}
}  // namespace

int64_t catchClause(Instance* in, Slot* s, Exception* e, const std::vector<CatchClause>* clauses) {
  for (size_t k = 0; k < clauses->size(); k++) {
    const CatchClause& c = (*clauses)[k];
    if (c.kind < 2) {
      if (e->tag != in->tags[c.tag].get()) continue;
      unpack(s, e, c.kind == 1);
    } else if (c.kind == 3) {
      s[0] = reinterpret_cast<Slot>(e);
    }
    return static_cast<int64_t>(k);
  }
  return -1;
}

int64_t catchTag(Instance* in, Slot* s, Exception* e, uint32_t tag) {
  if (e->tag != in->tags[tag].get()) return 0;
  unpack(s, e, false);
  return 1;
}

namespace {
template <bool kIs64>
FuncInstance* resolveIndirectIn(Instance* in, Slot* s, uint32_t t, uint32_t typeId) {
  Table& tab = table(in, t);
  uint64_t i = kIs64 ? s[0] : u32(s[0]);
  if (i >= tab.elems.size()) raiseElementTrap(Trap::UndefinedElement, i);
  auto* f = reinterpret_cast<FuncInstance*>(tab.elems[i]);
  if (!f) raiseElementTrap(Trap::UninitializedElement, i);
  // The same type, or (GC) a declared subtype of it: one look into the callee type's display.
  if (f->typeId != typeId && !canonicalSubtype(f->typeId, typeId)) raiseTrap(Trap::IndirectCallTypeMismatch);
  return f;
}
}  // namespace

FuncInstance* resolveIndirect(Instance* in, Slot* s, uint32_t t, uint32_t typeId) { return resolveIndirectIn<false>(in, s, t, typeId); }
FuncInstance* resolveIndirect64(Instance* in, Slot* s, uint32_t t, uint32_t typeId) { return resolveIndirectIn<true>(in, s, t, typeId); }

}  // namespace mitey::rt
