// GC handlers. Checks come in the spec's order (null, then bounds) and before anything is written
// or allocated; a trap leaves by a jump (trap.h), so no object with a destructor lives here then.
#include "gc_handlers.h"

#include <cstring>

#include "exceptions.h"
#include "trap.h"

namespace mitey {

namespace {

uint32_t u32(Slot s) { return static_cast<uint32_t>(s); }
uint32_t accessBytes(uint64_t access) { return static_cast<uint32_t>(access & 0xff); }
/** The frame units of a field's value: two for a v128. */
uint32_t accessUnits(uint64_t access) { return accessBytes(access) == 16 ? 2 : 1; }

/** Reads a field or element into its slot(s): packed ones as an i32, sign- or zero-extended. */
void readField(const uint8_t* p, uint64_t access, Slot* out) {
  switch (accessBytes(access)) {
    case 1: {
      uint8_t b;
      std::memcpy(&b, p, 1);
      out[0] = (access & kAccessSigned) ? static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(b))) : b;
      return;
    }
    case 2: {
      uint16_t h;
      std::memcpy(&h, p, 2);
      out[0] = (access & kAccessSigned) ? static_cast<uint32_t>(static_cast<int32_t>(static_cast<int16_t>(h))) : h;
      return;
    }
    case 4: {
      uint32_t w;
      std::memcpy(&w, p, 4);
      out[0] = w;
      return;
    }
    case 8: std::memcpy(out, p, 8); return;
    default: std::memcpy(out, p, 16); return;
  }
}

/** Writes a value (truncated to a packed field's width) and keeps what a stored reference needs. */
void writeField(uint8_t* p, uint64_t access, const Slot* in) {
  // Little-endian: the low bytes of the slot. One fixed-size copy per width (a copy of a variable
  // size became `rep movs`, whose start-up cost was a fifth of an allocation-heavy run).
  switch (accessBytes(access)) {
    case 1: std::memcpy(p, in, 1); break;
    case 2: std::memcpy(p, in, 2); break;
    case 4: std::memcpy(p, in, 4); break;
    case 8: std::memcpy(p, in, 8); break;
    default: std::memcpy(p, in, 16); break;
  }
  if ((access & kAccessFuncRef) && in[0]) gcHeap().retain(reinterpret_cast<FuncInstance*>(in[0])->instance);
  if ((access & kAccessExnRef) && in[0]) escape(reinterpret_cast<Exception*>(in[0]));
}

uint64_t elementAccess(const CanonicalType& t) { return fieldAccess(t.type.fields[0], false); }

GcObject* allocate(const CanonicalType& t, uint32_t length, uint64_t bytes, const JitSite* site) {
  return gcHeap().allocate(t, length, bytes, site);
}

GcObject* allocateOrTrap(const CanonicalType& t, uint32_t length, uint64_t bytes, const JitSite& site) {
  GcObject* o = allocate(t, length, bytes, &site);
  if (!o) raiseTrap(Trap::ArrayTooLarge);
  return o;
}

/** Whether [at, at + n) lies within size, without overflowing. */
bool within(uint64_t at, uint64_t n, uint64_t size) { return at <= size && n <= size - at; }

GcObject* arrayOrTrap(Slot r) {
  if (r == 0) raiseTrap(Trap::NullArrayReference);
  return gcref::object(r);
}

GcObject* structOrTrap(Slot r) {
  if (r == 0) raiseTrap(Trap::NullStructReference);
  return gcref::object(r);
}

/** Fills elements [from, from + n) with one value. */
void fill(GcObject* o, uint64_t access, uint32_t from, uint32_t n, const Slot* value) {
  uint32_t size = accessBytes(access);
  for (uint32_t i = 0; i < n; i++) writeField(o->data() + static_cast<uint64_t>(from + i) * size, access, value);
}

/** The bytes of a data segment (none once dropped). */
struct Bytes {
  const uint8_t* data;
  uint64_t size;
};
Bytes dataSegment(Instance* in, uint32_t d) {
  const DataSegment& seg = in->module->module.datas[d];
  return {in->module->bytes.data() + seg.start, in->droppedDatas[d] ? 0 : seg.size};
}

}  // namespace

uint64_t fieldAccess(const FieldType& f, bool signedRead) {
  uint64_t a = storageSize(f);
  if (signedRead) a |= kAccessSigned;
  if (isFuncRef(f.type)) a |= kAccessFuncRef;
  if (isExnRef(f.type)) a |= kAccessExnRef;
  return a;
}

bool refIsOfHeap(uint64_t r, uint32_t h) {
  if (h & ValType::kConcrete) {
    uint32_t id = h & ~ValType::kConcrete;
    const CanonicalType& t = canonicalType(id);
    if (t.type.kind == Composite::Func) return canonicalSubtype(reinterpret_cast<const FuncInstance*>(r)->typeId, id);
    if (!gcref::isObject(r)) return false;
    const CanonicalType& ot = *gcref::object(r)->type;
    return ot.depth >= t.depth && ot.supers[t.depth] == id;  // the display: one look
  }
  switch (h) {
    case heap::Eq: return gcref::isI31(r) || gcref::isObject(r);
    case heap::I31: return gcref::isI31(r);
    case heap::Struct: return gcref::isObject(r) && gcref::object(r)->type->type.kind == Composite::Struct;
    case heap::Array: return gcref::isObject(r) && gcref::object(r)->type->type.kind == Composite::Array;
    case heap::None: case heap::NoFunc: case heap::NoExtern: case heap::NoExn: return false;
    default: return true;  // any, func, extern, exn: every non-null value of the hierarchy
  }
}

GcObject* newStruct(uint32_t typeId, const Slot* fields, const JitSite* site) {
  const CanonicalType& t = canonicalType(typeId);
  GcObject* o = allocate(t, 0, t.fieldsSize, site);
  if (!o || !fields) return o;
  uint32_t u = 0;
  for (size_t k = 0; k < t.type.fields.size(); k++) {
    uint64_t access = fieldAccess(t.type.fields[k], false);
    writeField(o->data() + t.fieldOffsets[k], access, fields + u);
    u += accessUnits(access);
  }
  return o;
}

GcObject* newArray(uint32_t typeId, uint32_t length, const Slot* value, const JitSite* site) {
  const CanonicalType& t = canonicalType(typeId);
  GcObject* o = allocate(t, length, static_cast<uint64_t>(length) * t.elementSize, site);
  if (o && value) fill(o, elementAccess(t), 0, length, value);
  return o;
}

GcObject* newArrayFixed(uint32_t typeId, uint32_t length, const Slot* values, const JitSite* site) {
  const CanonicalType& t = canonicalType(typeId);
  GcObject* o = allocate(t, length, static_cast<uint64_t>(length) * t.elementSize, site);
  if (!o) return o;
  uint64_t access = elementAccess(t);
  for (uint32_t i = 0; i < length; i++) writeField(o->data() + static_cast<uint64_t>(i) * t.elementSize, access, values + i * accessUnits(access));
  return o;
}

}  // namespace mitey

namespace mitey::rt {

void structNew(Instance*, Slot* s, uint32_t typeId) {
  JitSite site = MITEY_JIT_SITE(s);
  GcObject* o = newStruct(typeId, s, &site);
  if (!o) raiseTrap(Trap::ArrayTooLarge);
  s[0] = reinterpret_cast<Slot>(o);
}

void structNewDefault(Instance*, Slot* s, uint32_t typeId) {
  JitSite site = MITEY_JIT_SITE(s);
  GcObject* o = newStruct(typeId, nullptr, &site);
  if (!o) raiseTrap(Trap::ArrayTooLarge);
  s[0] = reinterpret_cast<Slot>(o);
}

void structGet(Instance*, Slot* s, uint32_t offset, uint64_t access) { readField(structOrTrap(s[0])->data() + offset, access, s); }

void structSet(Instance*, Slot* s, uint32_t offset, uint64_t access) { writeField(structOrTrap(s[0])->data() + offset, access, s + 1); }

void arrayNew(Instance*, Slot* s, uint32_t typeId) {
  const CanonicalType& t = canonicalType(typeId);
  uint64_t access = elementAccess(t);
  uint32_t n = u32(s[accessUnits(access)]);
  GcObject* o = allocateOrTrap(t, n, static_cast<uint64_t>(n) * t.elementSize, MITEY_JIT_SITE(s));
  fill(o, access, 0, n, s);
  s[0] = reinterpret_cast<Slot>(o);
}

void arrayNewDefault(Instance*, Slot* s, uint32_t typeId) {
  const CanonicalType& t = canonicalType(typeId);
  uint32_t n = u32(s[0]);
  s[0] = reinterpret_cast<Slot>(allocateOrTrap(t, n, static_cast<uint64_t>(n) * t.elementSize, MITEY_JIT_SITE(s)));
}

void arrayNewFixed(Instance*, Slot* s, uint32_t typeId, uint64_t length) {
  JitSite site = MITEY_JIT_SITE(s);
  GcObject* o = newArrayFixed(typeId, static_cast<uint32_t>(length), s, &site);
  if (!o) raiseTrap(Trap::ArrayTooLarge);
  s[0] = reinterpret_cast<Slot>(o);
}

void arrayNewData(Instance* in, Slot* s, uint32_t typeId, uint64_t data) {
  const CanonicalType& t = canonicalType(typeId);
  uint32_t from = u32(s[0]), n = u32(s[1]);
  uint64_t bytes = static_cast<uint64_t>(n) * t.elementSize;
  Bytes seg = dataSegment(in, static_cast<uint32_t>(data));
  if (!within(from, bytes, seg.size)) raiseTrap(Trap::OutOfBoundsMemory);
  GcObject* o = allocateOrTrap(t, n, bytes, MITEY_JIT_SITE(s));
  if (bytes) std::memcpy(o->data(), seg.data + from, bytes);
  s[0] = reinterpret_cast<Slot>(o);
}

void arrayNewElem(Instance* in, Slot* s, uint32_t typeId, uint64_t elem) {
  const CanonicalType& t = canonicalType(typeId);
  uint32_t from = u32(s[0]), n = u32(s[1]);
  const std::vector<Slot>& values = in->elemValues[elem];
  if (!within(from, n, values.size())) raiseTrap(Trap::OutOfBoundsTable);
  GcObject* o = allocateOrTrap(t, n, static_cast<uint64_t>(n) * t.elementSize, MITEY_JIT_SITE(s));
  uint64_t access = elementAccess(t);
  for (uint32_t i = 0; i < n; i++) writeField(o->data() + static_cast<uint64_t>(i) * 8, access, &values[from + i]);
  s[0] = reinterpret_cast<Slot>(o);
}

void arrayGet(Instance*, Slot* s, uint32_t, uint64_t access) {
  GcObject* o = arrayOrTrap(s[0]);
  uint32_t i = u32(s[1]);
  if (i >= o->length) raiseTrap(Trap::OutOfBoundsArray);
  readField(o->data() + static_cast<uint64_t>(i) * accessBytes(access), access, s);
}

void arraySet(Instance*, Slot* s, uint32_t, uint64_t access) {
  GcObject* o = arrayOrTrap(s[0]);
  uint32_t i = u32(s[1]);
  if (i >= o->length) raiseTrap(Trap::OutOfBoundsArray);
  writeField(o->data() + static_cast<uint64_t>(i) * accessBytes(access), access, s + 2);
}

void arrayLen(Instance*, Slot* s) { s[0] = arrayOrTrap(s[0])->length; }

void arrayFill(Instance*, Slot* s, uint32_t, uint64_t access) {
  GcObject* o = arrayOrTrap(s[0]);
  uint32_t from = u32(s[1]), n = u32(s[2 + accessUnits(access)]);
  if (!within(from, n, o->length)) raiseTrap(Trap::OutOfBoundsArray);
  fill(o, access, from, n, s + 2);
}

void arrayCopy(Instance*, Slot* s) {
  GcObject* d = arrayOrTrap(s[0]);
  GcObject* from = arrayOrTrap(s[2]);
  uint32_t di = u32(s[1]), si = u32(s[3]), n = u32(s[4]);
  if (!within(di, n, d->length) || !within(si, n, from->length)) raiseTrap(Trap::OutOfBoundsArray);
  // The elements are stored already: their functions are kept and their exceptions escaped.
  uint64_t size = d->type->elementSize;
  if (n) std::memmove(d->data() + di * size, from->data() + si * size, n * size);
}

void arrayInitData(Instance* in, Slot* s, uint32_t data) {
  GcObject* o = arrayOrTrap(s[0]);
  uint32_t d = u32(s[1]), from = u32(s[2]), n = u32(s[3]);
  if (!within(d, n, o->length)) raiseTrap(Trap::OutOfBoundsArray);
  uint64_t size = o->type->elementSize, bytes = n * size;
  Bytes seg = dataSegment(in, data);
  if (!within(from, bytes, seg.size)) raiseTrap(Trap::OutOfBoundsMemory);
  if (bytes) std::memcpy(o->data() + d * size, seg.data + from, bytes);
}

void arrayInitElem(Instance* in, Slot* s, uint32_t elem, uint64_t access) {
  GcObject* o = arrayOrTrap(s[0]);
  uint32_t d = u32(s[1]), from = u32(s[2]), n = u32(s[3]);
  if (!within(d, n, o->length)) raiseTrap(Trap::OutOfBoundsArray);
  const std::vector<Slot>& values = in->elemValues[elem];
  if (!within(from, n, values.size())) raiseTrap(Trap::OutOfBoundsTable);
  for (uint32_t i = 0; i < n; i++) writeField(o->data() + static_cast<uint64_t>(d + i) * 8, access, &values[from + i]);
}

void refI31(Instance*, Slot* s) { s[0] = gcref::fromI31(u32(s[0])); }

void i31GetS(Instance*, Slot* s) {
  if (s[0] == 0) raiseTrap(Trap::NullI31Reference);
  s[0] = gcref::i31Signed(s[0]);
}

void i31GetU(Instance*, Slot* s) {
  if (s[0] == 0) raiseTrap(Trap::NullI31Reference);
  s[0] = gcref::i31Unsigned(s[0]);
}

void refEq(Instance*, Slot* s) { s[0] = s[0] == s[1] ? 1 : 0; }

int64_t refTest(uint64_t r, uint32_t h, uint32_t nullable) {
  if (r == 0) return nullable ? 1 : 0;
  return refIsOfHeap(r, h) ? 1 : 0;
}

}  // namespace mitey::rt
