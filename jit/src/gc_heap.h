// GC's references and heap: one 64-bit word for every reference of the any and extern hierarchies,
// and the per-thread heap of structs and arrays it points at.
//
// The word (gcref below), the same for anyref and externref, so that any.convert_extern and
// extern.convert_any are the identity (they round-trip and keep identity for free):
//   0                  null
//   v << 1 | 1         an i31 (its 31 bits)
//   id << 2 | 2        a host value: a JS value recorded in its environment (env_state.h), as
//                      externrefs always were
//   else (8-aligned)   a GcObject*: a struct or an array
// A JS value becomes a reference the way the JS API internalizes it: an integral Number in i31's
// range an i31, one of our GC objects' wrappers its object, anything else a host value (gc_js.h).
// funcref and exnref keep their own words (FuncInstance*, Exception*): their hierarchies never mix.
//
// Objects never move (handlers and JS wrappers hold raw pointers) and each thread has its own heap
// (an isolate's objects are used by its thread only; compiled code is shared by threads, so nothing
// is per module). Every object is in its heap's list, so a sweep can enumerate them; the header has
// the canonical type (casts read its display) and room for the collector's mark. There is no
// collector yet: objects live until their thread ends (the next slice traces roots from the stack
// maps that every allocating call records, globals, tables and JS wrappers, and sweeps this list).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "instance.h"
#include "type_canon.h"

namespace mitey {

/** A struct or array: this header, then its fields or elements (struct: at the type's fieldOffsets). */
struct GcObject {
  const CanonicalType* type;  // never moves (type_canon.h): kind, fields, display
  uint32_t length;            // arrays: how many elements
  uint32_t gcBits;            // the collector's mark bits (next slice)
  uint8_t* data() { return reinterpret_cast<uint8_t*>(this) + sizeof(GcObject); }
  /** Its own canonical id (the last entry of its display). */
  uint32_t typeId() const { return type->supers[type->depth]; }
};
static_assert(sizeof(GcObject) == 16, "fields start 16-byte aligned (v128 fields)");

namespace gcref {
constexpr bool isI31(uint64_t r) { return (r & 1) != 0; }
constexpr bool isHost(uint64_t r) { return (r & 3) == 2; }
constexpr bool isObject(uint64_t r) { return r != 0 && (r & 3) == 0; }
constexpr uint64_t fromI31(uint32_t v) { return (static_cast<uint64_t>(v & 0x7fffffffu) << 1) | 1; }
constexpr uint32_t i31Unsigned(uint64_t r) { return static_cast<uint32_t>(r >> 1) & 0x7fffffffu; }
/** Sign-extended from bit 30, written with unsigned arithmetic. */
constexpr uint32_t i31Signed(uint64_t r) {
  uint32_t u = i31Unsigned(r);
  return (u & 0x40000000u) ? (u | 0x80000000u) : u;
}
constexpr uint64_t fromHost(uint64_t id) { return id << 2 | 2; }
constexpr uint64_t hostId(uint64_t r) { return r >> 2; }
inline GcObject* object(uint64_t r) { return reinterpret_cast<GcObject*>(r); }
}  // namespace gcref

/** The largest object (header included): an array.new beyond it traps ("array too large"), as V8 caps arrays too. */
constexpr uint64_t kMaxGcObjectBytes = uint64_t{1} << 30;

/** One thread's objects. */
class GcHeap {
 public:
  /** A zeroed object of `type` with `dataBytes` after its header, or null when too large or out of memory. */
  GcObject* allocate(const CanonicalType& type, uint32_t length, uint64_t dataBytes);
  /** Keeps the instance of a function stored in an object alive as long as the heap (the collector will trace it instead). */
  void retain(Instance* owner) { owners_.retain(owner); }
  size_t objectCount() const { return objects_.size(); }

 private:
  std::vector<GcObject*> objects_;  // every object: what a sweep enumerates
  FuncOwners owners_;
};

/** This thread's heap, made on first use. */
GcHeap& gcHeap();

}  // namespace mitey
