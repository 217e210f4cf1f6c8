#include "exceptions.h"

#include "activation.h"
#include "instance.h"
#include "trap.h"
#include "type_canon.h"

extern "C" [[noreturn]] void mitey_resume_at_handler(mitey::HandlerRecord* h, mitey::Exception* e);

namespace mitey {

TagInstance* jsExceptionTag() {
  static TagInstance* tag = [] {
    auto* t = new TagInstance();
    t->type.params = {ValType::ExternRef};
    t->typeId = canonicalTypeId(t->type);
    return t;
  }();
  return tag;
}

std::shared_ptr<TagInstance> jsExceptionTagShared() {
  // Owning nothing (the aliasing constructor): the tag lives as long as the process.
  return std::shared_ptr<TagInstance>(std::shared_ptr<TagInstance>(), jsExceptionTag());
}

Exception* newException(TagInstance* tag, const Slot* payload, const std::vector<ValType>& types) {
  auto* e = new Exception();
  e->tag = tag;
  e->types = types;
  e->payload.assign(payload, payload + frameUnits(types));
  threadState().exceptions.push_back(e);
  return e;
}

bool hasActiveHandler() {
  ThreadState& ts = threadState();
  return ts.activation && ts.handlers != ts.activation->handlersAtEntry;
}

void throwException(Exception* e) {
  ThreadState& ts = threadState();
  Activation* act = ts.activation;
  HandlerRecord* h = ts.handlers;
  if (!act || h == act->handlersAtEntry) {
    ts.pendingException = e;  // the boundary hands it to JS (freeExceptionsFrom leaves it)
    raiseTrap(Trap::Exception);
  }
  mitey_resume_at_handler(h, e);
}

void freeExceptionsFrom(ThreadState& ts, size_t mark) {
  // The escaped ones and the pending one leave the list: no activation owns them any more.
  for (size_t i = mark; i < ts.exceptions.size(); i++) {
    Exception* e = ts.exceptions[i];
    if (!e->escaped && e != ts.pendingException) delete e;
  }
  ts.exceptions.resize(mark);
}

}  // namespace mitey
