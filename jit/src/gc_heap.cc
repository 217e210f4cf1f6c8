#include "gc_heap.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "gc_js.h"

namespace mitey {

namespace {

constexpr uint64_t kMinTrigger = 8u << 20;

/** An object's allocation: its header and data, rounded to 16 bytes. */
size_t allocationBytes(uint64_t dataBytes) { return (sizeof(GcObject) + static_cast<size_t>(dataBytes) + 15) & ~size_t(15); }

}  // namespace

/** Hands root words to the heap (gc_roots.h's visitor). */
struct GcRootMarker final : GcWordVisitor {
  GcHeap& heap;
  explicit GcRootMarker(GcHeap& h) : heap(h) {}
  void references(const Slot* p, size_t n) override {
    for (size_t i = 0; i < n; i++) heap.markReference(p[i]);
  }
  void maybeReferences(const Slot* p, size_t n) override {
    for (size_t i = 0; i < n; i++) heap.markMaybeReference(p[i]);
  }
};

GcHeap::GcHeap() : trigger_(kMinTrigger) {
  const char* s = std::getenv("MITEY_JIT_GC_STRESS");
  stress_ = s && *s && std::strcmp(s, "0") != 0;
}

GcObject* GcHeap::allocate(const CanonicalType& type, uint32_t length, uint64_t dataBytes, const JitSite* site) {
  if (dataBytes > kMaxGcObjectBytes - sizeof(GcObject)) return nullptr;
  size_t size = allocationBytes(dataBytes);
  if (stress_ || allocatedSince_ + size > trigger_) collect(site);
  GcObject* o = space_.allocate(size);  // zeroed
  if (!o) return nullptr;
  o->type = &type;
  o->length = length;
  allocatedSince_ += size;
  return o;
}

const GcHeap::Layout& GcHeap::layoutOf(const CanonicalType* t) {
  if (t == lastType_) return *lastLayout_;
  auto it = layouts_.find(t);
  if (it != layouts_.end()) {
    lastType_ = t;
    lastLayout_ = &it->second;
    return it->second;
  }
  Layout l;
  if (t->type.kind == Composite::Array) {
    l.refElements = isGcWordType(t->type.fields[0].type);
  } else {
    for (size_t k = 0; k < t->type.fields.size(); k++)
      if (isGcWordType(t->type.fields[k].type)) l.refOffsets.push_back(t->fieldOffsets[k]);
  }
  Layout& made = layouts_.emplace(t, std::move(l)).first->second;  // unordered_map: entries never move
  lastType_ = t;
  lastLayout_ = &made;
  return made;
}

void GcHeap::markReference(Slot w) {
  if (!gcref::isObject(w)) return;
  if (stress_ && !space_.objectAt(w)) {
    // A word a stack map or a typed holder calls a reference names no object: a bug to stop at.
    std::fprintf(stderr, "mitey JIT: a precise GC root (0x%llx) names no object of the heap; aborting\n", static_cast<unsigned long long>(w));
    std::abort();
  }
  mark(gcref::object(w));
}

void GcHeap::markMaybeReference(Slot w) {
  if (!gcref::isObject(w)) return;
  if (GcObject* o = space_.objectAt(w)) mark(o);
}

void GcHeap::trace(GcObject* o) {
  const Layout& l = layoutOf(o->type);
  uint8_t* d = o->data();
  auto follow = [this](const uint8_t* at) {
    Slot w;
    std::memcpy(&w, at, 8);
    if (gcref::isObject(w)) mark(gcref::object(w));  // a field's word is exact: no lookup
  };
  if (l.refElements) {
    for (uint32_t i = 0; i < o->length; i++) follow(d + uint64_t{i} * 8);
  } else {
    for (uint32_t off : l.refOffsets) follow(d + off);
  }
}

void GcHeap::collect(const JitSite* site) {
  GcRootMarker roots(*this);
  visitJitFrameRoots(threadState(), site, roots);
  GcRootLink::visitAll(roots);
  visitWrappedObjects(roots);
  while (!work_.empty()) {
    GcObject* o = work_.back();
    work_.pop_back();
    trace(o);
  }
  uint64_t live = space_.sweep();
  liveBytes_ = live;
  allocatedSince_ = 0;
  trigger_ = std::max(kMinTrigger, live);
  collections_++;
}

void GcHeap::freeAll() {
  space_.freeAll();
  liveBytes_ = allocatedSince_ = 0;
}

GcHeap& gcHeap() {
  ThreadState& ts = threadState();
  // The heap itself is never freed (its objects are when the thread ends: ThreadState's destructor):
  // JS wrappers' finalizers may still name objects while the thread's environment is torn down.
  if (!ts.gcHeap) ts.gcHeap = new GcHeap();
  return *ts.gcHeap;
}

}  // namespace mitey
