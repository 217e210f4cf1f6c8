// Type identity across modules and the subtyping of value types (without GC: every defined type is
// a function type in a recursion group of its own). Two modules' type indices name the same type
// when their definitions are equal with the types they refer to replaced by those types' own
// identities: the canonical id, shared by every module and thread. call_indirect, imports and the
// validator compare canonical ids, never indices.
#pragma once
#include <cstdint>
#include <vector>

#include "module.h"

namespace mitey {

/** The canonical id of each of a module's types (types refer only to themselves and earlier ones: validated before). */
std::vector<uint32_t> canonicalTypeIds(const std::vector<FuncType>& types);

/** The canonical id of a function type that refers to no defined type (a host function's of numbers and abstract references). */
uint32_t canonicalTypeId(const FuncType& t);

/** Heap subtyping: h1 <: h2, concrete types compared by canonical id (typeIds: the module's; empty:
 * the types are canonical already). */
bool heapSubtype(const std::vector<uint32_t>& typeIds, uint32_t h1, uint32_t h2);

/** Value subtyping: a <: b (Bot, the unknown type of unreachable code, is below everything). */
bool isSubtype(const std::vector<uint32_t>& typeIds, ValType a, ValType b);

/** Whether a value of this type has a default (numbers, vectors, nullable references): locals of other types must be set before they are read. */
inline bool defaultable(ValType t) { return !t.isRef() || t.nullable(); }

/** Whether a heap type is a function one (func, nofunc, a concrete type: all function types without GC). */
inline bool isFuncHeap(uint32_t h) { return h == ValType::kHeapFunc || h == 0x73 || (h & ValType::kConcrete); }
/** A reference to exceptions (its values are Exception pointers: exceptions.h). */
inline bool isExnRef(ValType t) { return t.isRef() && (t.heap() == 0x69 || t.heap() == 0x74); }
/** A reference to functions (its values are FuncInstance pointers). */
inline bool isFuncRef(ValType t) { return t.isRef() && isFuncHeap(t.heap()); }

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
