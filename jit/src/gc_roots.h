// What C++ holds of GC references, for the collector (gc_heap.h): every table, global cell,
// instance (its element segments) and exception of a thread registers itself while it lives (a
// GcRootLink member) and hands over exactly its words of the any and extern hierarchies, by its
// types. C++ code holding values of mixed types in its own vectors while it may allocate
// (instantiation's constant expressions) opens a GcRootScope over them: those words are read
// conservatively, a word being a reference when it is exactly the address of a live object of the
// thread's heap (objects never move, so keeping what such a word names is always safe; a
// FuncInstance*, an Exception*, a host value's word or a number is never one by accident, or keeps
// one object too many for as long as the scope lasts).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mitey {

using Slot = uint64_t;

/** Receives the words a root holds. */
struct GcWordVisitor {
  /** Words each of which is a reference of the any or extern hierarchy (null, an i31, a host value or an object). */
  virtual void references(const Slot* p, size_t n) = 0;
  /** Words of values of any type: an object's exact address among them is taken for a reference to it. */
  virtual void maybeReferences(const Slot* p, size_t n) = 0;

 protected:
  ~GcWordVisitor() = default;
};

struct GcRootList;

/**
 * A member of an object holding references: links it into its thread's list while it lives (the
 * object is made and destroyed on one thread: JS values never cross threads). `scan` hands the
 * owner's words to the visitor.
 */
class GcRootLink {
 public:
  using Scan = void (*)(const void* owner, GcWordVisitor& v);
  GcRootLink(const void* owner, Scan scan);
  ~GcRootLink();
  GcRootLink(const GcRootLink&) = delete;
  GcRootLink& operator=(const GcRootLink&) = delete;

  /** Every link of this thread, in no order. */
  static void visitAll(GcWordVisitor& v);

 private:
  const void* owner_;
  Scan scan_;
  GcRootList* list_;
  GcRootLink* prev_ = nullptr;
  GcRootLink* next_ = nullptr;
};

/** C++ holding values of mixed types, references among them, in a vector of 8-byte words (or of arrays of them) for its lifetime. */
class GcRootScope {
 public:
  template <class T>
  explicit GcRootScope(const std::vector<T>& v)
      : link_(&v, [](const void* o, GcWordVisitor& vis) {
          static_assert(sizeof(T) % sizeof(Slot) == 0 && alignof(T) >= alignof(Slot));
          const auto& vec = *static_cast<const std::vector<T>*>(o);
          vis.maybeReferences(reinterpret_cast<const Slot*>(vec.data()), vec.size() * (sizeof(T) / sizeof(Slot)));
        }) {}

 private:
  GcRootLink link_;
};

}  // namespace mitey
