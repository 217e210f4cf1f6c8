#include "gc_heap.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace mitey {

GcObject* GcHeap::allocate(const CanonicalType& type, uint32_t length, uint64_t dataBytes) {
  if (dataBytes > kMaxGcObjectBytes - sizeof(GcObject)) return nullptr;
  // 16-byte alignment: v128 fields and elements.
  size_t size = (sizeof(GcObject) + static_cast<size_t>(dataBytes) + 15) & ~size_t(15);
  void* p = std::aligned_alloc(16, size);
  if (!p) return nullptr;
  std::memset(p, 0, size);
  auto* o = static_cast<GcObject*>(p);
  o->type = &type;
  o->length = length;
  try {
    objects_.push_back(o);
  } catch (const std::bad_alloc&) {
    std::free(p);
    return nullptr;
  }
  return o;
}

GcHeap& gcHeap() {
  ThreadState& ts = threadState();
  // Never freed: JS wrappers' finalizers may still name objects while the thread's environment is
  // torn down (the collector's slice frees what nothing reaches).
  if (!ts.gcHeap) ts.gcHeap = new GcHeap();
  return *ts.gcHeap;
}

}  // namespace mitey
