// Type identity across modules (iso-recursive, as Wasm 3.0 has it) and the subtyping of value types.
// Every defined type belongs to a recursion group; two groups are the same when their definitions
// are equal with references inside the group written as positions in it and references outside as
// those types' own identities. The identity is the canonical id, shared by every module and thread:
// call_indirect, imports, casts and the validator compare canonical ids, never indices.
//
// Each canonical id has a CanonicalType: its definition with references by canonical id, its
// supertype chain as a display (supers[d] is its ancestor at depth d), so that "is a a subtype of
// b" is one comparison (b at b's depth in a's display), and the layout the runtime's objects will
// have (struct field offsets, array element size).
#pragma once
#include <cstdint>
#include <vector>

#include "module.h"

namespace mitey {

struct CanonicalType {
  SubType type;  // concrete references as kConcrete | canonical id; super as a canonical id; recStart/recEnd: its group's ids
  uint32_t depth = 0;              // how many supertypes are above it
  std::vector<uint32_t> supers;    // the display: its ancestors from the root down, itself last (supers[depth])
  std::vector<uint32_t> fieldOffsets;  // struct: each field's byte offset from the first, naturally aligned
  uint32_t fieldsSize = 0;             // struct: the fields' bytes, a multiple of 8
  uint32_t elementSize = 0;            // array: one element's bytes
};

/** How deep a supertype chain may be (an implementation limit, V8's too): displays stay short, so a
 * cast's subtype check can be one load and compare, and a chain of many types costs no quadratic memory. */
constexpr uint32_t kMaxSubtypingDepth = 63;

/**
 * Canonicalizes the rec group that starts at type `start` and appends its members' ids to `ids`
 * (which holds the ids of every type before `start`). The group's references must be to types
 * before its end, each supertype before its subtype, no chain deeper than kMaxSubtypingDepth
 * (validated before).
 */
void canonicalizeRecGroup(const std::vector<SubType>& types, uint32_t start, std::vector<uint32_t>& ids);

/** The canonical id of a function type that refers to no defined type (a host function's of numbers
 * and abstract references): what `(type (func …))`, final in a group of its own, has. */
uint32_t canonicalTypeId(const FuncType& t);

/** The canonical type of an id (lock-free: entries never move or change once made). */
const CanonicalType& canonicalType(uint32_t id);

/** Whether canonical type a is b or a subtype of b (declared, transitively): a look into a's display. */
bool canonicalSubtype(uint32_t a, uint32_t b);

/** A storage type's size in bytes (packed i8 1, i16 2; references 8). */
uint32_t storageSize(const FieldType& f);

/** The top of a heap type's hierarchy (any, func, extern, exn); concrete types by their kind
 * (typeIds: the module's; empty: the type is canonical already). */
uint32_t topHeap(const std::vector<uint32_t>& typeIds, uint32_t h);

/** Heap subtyping: h1 <: h2, concrete types compared by canonical id (typeIds: the module's; empty:
 * the types are canonical already). */
bool heapSubtype(const std::vector<uint32_t>& typeIds, uint32_t h1, uint32_t h2);

/** Value subtyping: a <: b (Bot, the unknown type of unreachable code, is below everything). */
bool isSubtype(const std::vector<uint32_t>& typeIds, ValType a, ValType b);

/** Whether a value of this type has a default (numbers, vectors, nullable references): locals of other types must be set before they are read. */
inline bool defaultable(ValType t) { return !t.isRef() || t.nullable(); }

/** Whether a canonical heap type (a concrete one by its canonical id) is in the func hierarchy: its
 * values are FuncInstance pointers (the any and extern hierarchies' are gc_heap.h's words). */
inline bool isFuncHeap(uint32_t h) {
  if (h & ValType::kConcrete) return canonicalType(h & ~ValType::kConcrete).type.kind == Composite::Func;
  return h == heap::Func || h == heap::NoFunc;
}
/** A reference to exceptions (its values are Exception pointers: exceptions.h). */
inline bool isExnRef(ValType t) { return t.isRef() && (t.heap() == heap::Exn || t.heap() == heap::NoExn); }
/** A reference to functions (its values are FuncInstance pointers); t canonical. */
inline bool isFuncRef(ValType t) { return t.isRef() && isFuncHeap(t.heap()); }
/** A reference of the any hierarchy (any, eq, i31, struct, array, none, concrete structs and arrays); t canonical. */
inline bool isAnyRef(ValType t) { return t.isRef() && topHeap({}, t.heap()) == heap::Any; }

/** A reference of the any or extern hierarchy: one gc_heap.h word, what the collector traces (funcref and exnref words are other pointers); t canonical. */
inline bool isGcWordType(ValType t) { return t.isRef() && !isFuncRef(t) && !isExnRef(t); }

/** The type with a concrete heap type as its canonical id (what tables and globals shared between
 * modules hold, compared by isSubtype with no module: typeIds empty). */
inline ValType canonical(ValType t, const std::vector<uint32_t>& typeIds) {
  if (!t.isRef() || !(t.heap() & ValType::kConcrete)) return t;
  return ValType::ref(ValType::kConcrete | typeIds[t.heap() & ~ValType::kConcrete], t.nullable());
}

/** A function type with its concrete references by canonical id (what the JS boundary checks values against). */
inline FuncType canonical(const FuncType& t, const std::vector<uint32_t>& typeIds) {
  FuncType out = t;
  for (ValType& v : out.params) v = canonical(v, typeIds);
  for (ValType& v : out.results) v = canonical(v, typeIds);
  return out;
}

}  // namespace mitey
