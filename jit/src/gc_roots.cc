#include "gc_roots.h"

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

}  // namespace mitey
