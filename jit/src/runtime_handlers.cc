// Instance-level handlers. Bounds are checked before anything is written, as the spec requires.
#include "runtime_handlers.h"

#include <cstring>

#include "trap.h"

namespace mitey::rt {

namespace {

uint32_t u32(Slot s) { return static_cast<uint32_t>(s); }

Table& table(Instance* in, uint32_t t) { return *in->tables[t]; }

/** Stores a reference into a table, keeping its function's instance alive. */
void storeRef(Table& t, uint64_t at, Slot v) {
  t.elems[at] = v;
  if (t.elem == ValType::FuncRef && v) t.owners.retain(reinterpret_cast<FuncInstance*>(v)->instance);
}

}  // namespace

void trap(uint32_t kind) { raiseTrap(static_cast<Trap>(kind)); }

void memorySize(Instance* in, Slot* s) { s[0] = in->memory->pages(); }

void memoryGrow(Instance* in, Slot* s) {
  int64_t old = in->memory->grow(u32(s[0]));
  s[0] = static_cast<uint32_t>(static_cast<int32_t>(old));
}

void memoryFill(Instance* in, Slot* s) {
  uint64_t d = u32(s[0]), n = u32(s[2]);
  if (d + n > in->memory->sizeBytes()) raiseTrap(Trap::OutOfBoundsMemory);
  std::memset(in->memBase + d, static_cast<uint8_t>(s[1]), n);
}

void memoryCopy(Instance* in, Slot* s) {
  uint64_t d = u32(s[0]), src = u32(s[1]), n = u32(s[2]);
  uint64_t size = in->memory->sizeBytes();
  if (d + n > size || src + n > size) raiseTrap(Trap::OutOfBoundsMemory);
  std::memmove(in->memBase + d, in->memBase + src, n);
}

void initMemory(Instance* in, uint64_t d, const uint8_t* src, uint64_t srcSize, uint64_t s, uint64_t n) {
  if (s + n > srcSize || d + n > in->memory->sizeBytes()) raiseTrap(Trap::OutOfBoundsMemory);
  if (n) std::memcpy(in->memBase + d, src + s, n);
}

void memoryInit(Instance* in, Slot* s, uint32_t data) {
  const DataSegment& seg = in->module->module.datas[data];
  uint64_t size = in->droppedDatas[data] ? 0 : seg.size;
  initMemory(in, u32(s[0]), in->module->bytes.data() + seg.start, size, u32(s[1]), u32(s[2]));
}

void dataDrop(Instance* in, Slot*, uint32_t data) { in->droppedDatas[data] = true; }

void tableGet(Instance* in, Slot* s, uint32_t t) {
  Table& tab = table(in, t);
  uint64_t i = u32(s[0]);
  if (i >= tab.elems.size()) raiseTrap(Trap::OutOfBoundsTable);
  s[0] = tab.elems[i];
}

void tableSet(Instance* in, Slot* s, uint32_t t) {
  Table& tab = table(in, t);
  uint64_t i = u32(s[0]);
  if (i >= tab.elems.size()) raiseTrap(Trap::OutOfBoundsTable);
  storeRef(tab, i, s[1]);
}

void tableSize(Instance* in, Slot* s, uint32_t t) { s[0] = table(in, t).elems.size(); }

void tableGrow(Instance* in, Slot* s, uint32_t t) {
  Table& tab = table(in, t);
  Slot init = s[0];
  uint64_t delta = u32(s[1]);
  uint64_t old = tab.elems.size();
  uint64_t limit = tab.max.value_or(0xffffffffull);
  if (delta > limit - old || old + delta > (1u << 24) * 16ull) {  // a practical cap: 256M entries
    s[0] = 0xffffffffu;
    return;
  }
  tab.elems.resize(old + delta, 0);
  for (uint64_t i = old; i < old + delta; i++) storeRef(tab, i, init);
  s[0] = old;
}

void tableFill(Instance* in, Slot* s, uint32_t t) {
  Table& tab = table(in, t);
  uint64_t i = u32(s[0]), n = u32(s[2]);
  if (i + n > tab.elems.size()) raiseTrap(Trap::OutOfBoundsTable);
  for (uint64_t k = 0; k < n; k++) storeRef(tab, i + k, s[1]);
}

void tableCopy(Instance* in, Slot* s, uint32_t dst, uint32_t src) {
  Table& d = table(in, dst);
  Table& from = table(in, src);
  uint64_t di = u32(s[0]), si = u32(s[1]), n = u32(s[2]);
  if (di + n > d.elems.size() || si + n > from.elems.size()) raiseTrap(Trap::OutOfBoundsTable);
  std::vector<Slot> tmp(from.elems.begin() + si, from.elems.begin() + si + n);
  for (uint64_t k = 0; k < n; k++) storeRef(d, di + k, tmp[k]);
}

void initTable(Instance* in, Table& t, uint64_t d, uint32_t elem, uint64_t s, uint64_t n) {
  const std::vector<Slot>& values = in->elemValues[elem];
  if (s + n > values.size() || d + n > t.elems.size()) raiseTrap(Trap::OutOfBoundsTable);
  for (uint64_t k = 0; k < n; k++) storeRef(t, d + k, values[s + k]);
}

void tableInit(Instance* in, Slot* s, uint32_t elem, uint32_t t) { initTable(in, table(in, t), u32(s[0]), elem, u32(s[1]), u32(s[2])); }

void elemDrop(Instance* in, Slot*, uint32_t elem) {
  in->elemValues[elem].clear();
  in->elemValues[elem].shrink_to_fit();
}

void storeGlobalRef(GlobalCell& g, Slot v) {
  g.value[0] = v;
  if (g.type.type == ValType::FuncRef && v) g.owners.retain(reinterpret_cast<FuncInstance*>(v)->instance);
}

void globalSetRef(Instance* in, Slot* s, uint32_t global) { storeGlobalRef(*in->globalPtrs[global], s[0]); }

void refFunc(Instance* in, Slot* s, uint32_t func) { s[0] = reinterpret_cast<Slot>(in->funcPtrs[func]); }

FuncInstance* resolveIndirect(Instance* in, Slot* s, uint32_t t, uint32_t typeId) {
  Table& tab = table(in, t);
  uint64_t i = u32(s[0]);
  if (i >= tab.elems.size()) raiseElementTrap(Trap::UndefinedElement, i);
  auto* f = reinterpret_cast<FuncInstance*>(tab.elems[i]);
  if (!f) raiseElementTrap(Trap::UninitializedElement, i);
  if (f->typeId != typeId) raiseTrap(Trap::IndirectCallTypeMismatch);
  return f;
}

}  // namespace mitey::rt
