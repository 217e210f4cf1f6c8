// GC's instructions as handlers (called from JIT code like runtime_handlers.h's: the instance, the
// first operand's slot, immediates), and the casts' test. Objects and references are gc_heap.h's.
// Every handler that allocates is a call site with a stack map (codegen records its operands too:
// they are the new object's contents, still only in the frame while it is made).
#pragma once
#include <cstdint>

#include "gc_heap.h"

namespace mitey {

/** How a field or element is accessed, computed when compiling: its size in bytes (1, 2, 4, 8, 16)
 * in the low byte, and flags. */
enum : uint64_t {
  kAccessSigned = 1u << 8,    // a packed read that sign-extends (get_s)
  kAccessFuncRef = 1u << 9,   // a stored function's instance must be kept alive
  kAccessExnRef = 1u << 10,   // a stored exception escapes its activation
};
/** The access code of a field of a canonical type (its references by canonical id). */
uint64_t fieldAccess(const FieldType& f, bool signedRead);

/** Whether the non-null reference r, of heap type h's hierarchy, is of heap type h (canonical: a
 * concrete type by its canonical id): what ref.test, ref.cast, br_on_cast and the JS boundary ask. */
bool refIsOfHeap(uint64_t r, uint32_t h);

/** Makes an object (a handler, or a constant expression): null when too large. May collect first
 * (gc_heap.h): site is the JIT code's call in progress (frame_walk.h), null for C++ outside wasm. */
GcObject* newStruct(uint32_t typeId, const Slot* fields, const JitSite* site);
GcObject* newArray(uint32_t typeId, uint32_t length, const Slot* value, const JitSite* site);  // value null: the default
GcObject* newArrayFixed(uint32_t typeId, uint32_t length, const Slot* values, const JitSite* site);

}  // namespace mitey

namespace mitey::rt {

void structNew(Instance* in, Slot* s, uint32_t typeId);
void structNewDefault(Instance* in, Slot* s, uint32_t typeId);
void structGet(Instance* in, Slot* s, uint32_t offset, uint64_t access);
void structSet(Instance* in, Slot* s, uint32_t offset, uint64_t access);
void arrayNew(Instance* in, Slot* s, uint32_t typeId);
void arrayNewDefault(Instance* in, Slot* s, uint32_t typeId);
void arrayNewFixed(Instance* in, Slot* s, uint32_t typeId, uint64_t length);
void arrayNewData(Instance* in, Slot* s, uint32_t typeId, uint64_t data);
void arrayNewElem(Instance* in, Slot* s, uint32_t typeId, uint64_t elem);
void arrayGet(Instance* in, Slot* s, uint32_t, uint64_t access);
void arraySet(Instance* in, Slot* s, uint32_t, uint64_t access);
void arrayLen(Instance* in, Slot* s);
void arrayFill(Instance* in, Slot* s, uint32_t, uint64_t access);
void arrayCopy(Instance* in, Slot* s);
void arrayInitData(Instance* in, Slot* s, uint32_t data);
void arrayInitElem(Instance* in, Slot* s, uint32_t elem, uint64_t access);
void refI31(Instance* in, Slot* s);
void i31GetS(Instance* in, Slot* s);
void i31GetU(Instance* in, Slot* s);
void refEq(Instance* in, Slot* s);
/** ref.test and the casts: 1 when the reference is of the type (heap h canonical, null allowed when `nullable`), else 0. */
int64_t refTest(uint64_t r, uint32_t h, uint32_t nullable);

}  // namespace mitey::rt
