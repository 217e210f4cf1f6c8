#include "exceptions.h"

#include "activation.h"
#include "env_state.h"
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

Exception::~Exception() {
  // (Possibly inside the collector, from a finalizer: the reference is let go of later.)
  if (jsValue) deleteReferenceLater(static_cast<napi_env>(jsEnv), static_cast<napi_ref>(jsValue));
}

Exception* newException(TagInstance* tag, const Slot* payload, const std::vector<ValType>& types) {
  auto* e = new Exception();
  e->tag = tag;
  e->types = types;
  e->payload.assign(payload, payload + frameUnits(types));
  holdInActivation(e);
  return e;
}

void holdInActivation(Exception* e) {
  e->holds++;
  threadState().exceptions.push_back(e);
}

void releaseHold(Exception* e) {
  if (--e->holds == 0 && unowned(e)) delete e;
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
    e->holds++;  // the pending slot's, let go of by the boundary that hands it to JS
    ts.pendingException = e;
    raiseTrap(Trap::Exception);
  }
  forgetWasmFrames(ts, h->sp);  // the frames below the handler's are left: under ASan, their red zones too
  mitey_resume_at_handler(h, e);
}

void freeExceptionsFrom(ThreadState& ts, size_t mark) {
  for (size_t i = mark; i < ts.exceptions.size(); i++) releaseHold(ts.exceptions[i]);
  ts.exceptions.resize(mark);
}

}  // namespace mitey
