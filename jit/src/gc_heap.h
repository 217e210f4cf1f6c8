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
// is per module). They live in the heap's space (gc_space.h: cells of one size per chunk), which a
// sweep walks; the header has the canonical type (casts read its display) and the collector's mark.
//
// The collector: mark-sweep, non-moving, per thread, run at an allocation (before the new object
// exists) when the bytes allocated since the last collection exceed max(8 MiB, the live bytes after
// it), or at every allocation under MITEY_JIT_GC_STRESS=1 (read once, when the heap is made; stress
// mode also checks every precise root: a word that should be a reference and names no object of the
// heap aborts the process with a message instead of corrupting it later). Why mark-sweep and not
// copying: handlers, JS wrappers and C++ holders keep raw object pointers, and a tier-1 frame holds
// references in registers nowhere described; objects that never move need no pointer updating and
// allow the conservative reads below. Roots, all exact but one:
// - every JIT frame of every activation on the thread, by the stack map of the call it is in
//   (frame_walk.h): its reference parameters and locals and the references on its operand stack,
//   which validation typed and tier 1 laid out; an allocation's own operands are in its map;
// - what C++ holds (gc_roots.h): every live table, global cell, instance's element segments and
//   exception payload of the thread, by their types; instantiation's constant-expression stacks
//   (GcRootScope, values of mixed types, alive only while a module is instantiated) conservatively:
//   a word there is a root when it is exactly the address of a live object;
// - every object whose JS face is alive (gc_js.h: its wrapper entry goes with the face's finalizer).
// Tracing follows the fields and elements of the any and extern hierarchies by canonical type (i31
// and host words skipped: host values are JS values the environment keeps). Functions stored in
// objects keep their instances alive for good (FuncOwners, as before), and exceptions stored in
// objects are escaped (kept for good, their payloads roots): neither is traced yet.
#pragma once
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "frame_walk.h"
#include "gc_space.h"
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
  GcHeap();
  /**
   * A zeroed object of `type` with `dataBytes` after its header, or null when too large or out of
   * memory. May collect first: every reference the caller holds must be in a root, its JIT frame's
   * (site: the allocating handler's call, frame_walk.h; null for C++ callers outside wasm) or
   * gc_roots.h's.
   */
  GcObject* allocate(const CanonicalType& type, uint32_t length, uint64_t dataBytes, const JitSite* site);
  /** Marks from the roots (the JIT frames from `site` when given) and frees what they do not reach. */
  void collect(const JitSite* site);
  /** Frees every object: the thread ends. */
  void freeAll();
  /** Keeps the instance of a function stored in an object alive as long as the heap (the collector does not trace functions yet). */
  void retain(Instance* owner) { owners_.retain(owner); }
  size_t objectCount() const { return space_.objectCount(); }
  uint64_t bytes() const { return liveBytes_ + allocatedSince_; }
  uint64_t collections() const { return collections_; }

 private:
  /** Where a type's objects hold words of the any and extern hierarchies (made on first trace). */
  struct Layout {
    std::vector<uint32_t> refOffsets;  // struct: such fields' offsets
    bool refElements = false;          // array: its elements are such words
  };
  const Layout& layoutOf(const CanonicalType* t);
  /** A precise root's word: a reference, its object marked (under stress, checked to be one of the heap first). */
  void markReference(Slot w);
  /** A conservative root's word: the object it is exactly the address of, if any, is marked. */
  void markMaybeReference(Slot w);
  void mark(GcObject* o) {
    if (o->gcBits & 1) return;
    o->gcBits |= 1;
    work_.push_back(o);
  }
  void trace(GcObject* o);
  friend struct GcRootMarker;

  GcSpace space_;                // every object: what a sweep walks
  std::vector<GcObject*> work_;  // the mark stack
  std::unordered_map<const CanonicalType*, Layout> layouts_;
  const CanonicalType* lastType_ = nullptr;  // the last layout looked up
  const Layout* lastLayout_ = nullptr;
  uint64_t liveBytes_ = 0;       // after the last collection
  uint64_t allocatedSince_ = 0;  // since it
  uint64_t trigger_;             // a collection when allocatedSince_ would exceed it
  uint64_t collections_ = 0;
  bool stress_ = false;
  FuncOwners owners_;
};

/** This thread's heap, made on first use. */
GcHeap& gcHeap();

}  // namespace mitey
