#include "gc_roots.h"

#include "exceptions.h"
#include "instance.h"

namespace mitey {

struct GcRootList {
  GcRootLink* head = nullptr;
};

namespace {
// Never freed: links of objects torn down after the thread's storage (its environment's last
// finalizers) still unlink from it.
thread_local GcRootList* tRoots = nullptr;

GcRootList* roots() {
  if (!tRoots) tRoots = new GcRootList();
  return tRoots;
}
}  // namespace

GcRootLink::GcRootLink(const void* owner, Scan scan) : owner_(owner), scan_(scan), list_(roots()) {
  next_ = list_->head;
  if (next_) next_->prev_ = this;
  list_->head = this;
}

GcRootLink::~GcRootLink() {
  if (prev_) prev_->next_ = next_;
  else list_->head = next_;
  if (next_) next_->prev_ = prev_;
}

void GcRootLink::visitAll(GcWordVisitor& v) {
  for (GcRootLink* l = roots()->head; l; l = l->next_) l->scan_(l->owner_, v);
}

// The holders' words, by their types (each a member of the holder's struct: instance.h, exceptions.h).

void Instance::visitSegmentRoots(GcWordVisitor& v) const {
  const std::vector<ElemSegment>& segs = module->module.elems;
  for (size_t k = 0; k < elemValues.size() && k < segs.size(); k++)
    if (isGcWordType(canonical(segs[k].type, module->typeIds))) v.references(elemValues[k].data(), elemValues[k].size());
}

void Exception::visitPayloadRoots(GcWordVisitor& v) const {
  size_t u = 0;
  for (ValType t : types) {
    if (u >= payload.size()) return;  // the JS tag's payload, not made yet
    if (isGcWordType(t)) v.references(&payload[u], 1);
    u += frameUnits(t);
  }
}

}  // namespace mitey
