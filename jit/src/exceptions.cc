#include "exceptions.h"

#include <node_api.h>

#include "activation.h"
#include "instance.h"
#include "trap.h"

extern "C" [[noreturn]] void mitey_resume_at_handler(mitey::HandlerRecord* h, mitey::Exception* e);

namespace mitey {

TagInstance* jsExceptionTag() {
  static TagInstance tag;
  return &tag;
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
    escape(e);  // the boundary hands it to JS
    ts.pendingException = e;
    raiseTrap(Trap::Exception);
  }
  mitey_resume_at_handler(h, e);
}

void freeExceptionsFrom(ThreadState& ts, size_t mark) {
  size_t keep = mark;
  for (size_t i = mark; i < ts.exceptions.size(); i++) {
    Exception* e = ts.exceptions[i];
    if (e->escaped) {
      ts.exceptions[keep++] = e;
      continue;
    }
    if (e->jsValue) napi_delete_reference(static_cast<napi_env>(e->jsEnv), static_cast<napi_ref>(e->jsValue));
    delete e;
  }
  ts.exceptions.resize(keep);
}

}  // namespace mitey
