// Wasm exceptions (exception handling, Wasm 3.0): tags, exception objects, and the handlers JIT code
// registers for try_table and the legacy try.
//
// A handler is a record in its function's frame (HandlerRecord), pushed on the thread's chain when
// the try begins and popped when control leaves it (its end, a branch out, a return); the chain
// head is ThreadState::handlers, which JIT code reaches through Instance::handlerHead. A throw
// resumes at the innermost record of the current activation: the native stack pointer and the
// registers JIT code and its C++ callers rely on come back from the record, and its landing pad
// dispatches on the exception's tag. An exception no handler of the activation takes leaves it as
// Trap::Exception, the exception kept as ThreadState::pendingException for the boundary to hand to
// JS. A trap is never caught: it leaves the activation as before, and the activation's end resets
// the chain.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "module.h"
#include "object_id.h"
#include "thread_state.h"

namespace mitey {

/** A tag: its identity is the object (a module's own tags are new per instance). */
struct TagInstance {
  FuncType type;       // its parameters: the payload's types
  uint32_t typeId = 0; // canonical (type_canon.h): what links compare
  uint64_t id = nextObjectId();
};

/** The tag of JS exceptions thrown into wasm (by an imported JS function): only catch_all takes them. */
TagInstance* jsExceptionTag();

/** An exception: its tag and payload (frame units). exnref values point at one. */
struct Exception {
  TagInstance* tag = nullptr;
  std::shared_ptr<TagInstance> keepTag;
  std::vector<Slot> payload;
  std::vector<ValType> types;  // the payload's value types (the tag's parameters)
  void* jsValue = nullptr;     // a JS exception's value (a napi_ref) when tag is jsExceptionTag()
  void* jsEnv = nullptr;
  // Reachable from outside the activation that made it (a table, a global, JS): kept until the
  // collector of GC (a later issue) can tell; the others are freed when their activation ends.
  bool escaped = false;
};

/** A try's record in its function's frame: the chain link, then what a throw restores (x64 order
 * in jit/src/x64/stack_switch.cc: rsp, landing pad, frame, instance, rbp, r14, r15), then the caught
 * exception (the legacy rethrow's). */
struct HandlerRecord {
  HandlerRecord* prev;
  uintptr_t sp, pad, frame, instance, rbp, r14, r15;
  Exception* caught;
};
constexpr uint32_t kHandlerUnits = sizeof(HandlerRecord) / 8;
static_assert(sizeof(HandlerRecord) == 9 * 8);

/** Makes an exception of this thread (freed with its activation unless it escapes). */
Exception* newException(TagInstance* tag, const Slot* payload, const std::vector<ValType>& types);
/** Throws: to the innermost handler of the current activation, else out of it (Trap::Exception). */
[[noreturn]] void throwException(Exception* e);
/** Whether the current activation has a handler (a JS exception thrown into it could be caught). */
bool hasActiveHandler();
/** Marks an exception as reachable beyond its activation. */
inline void escape(Exception* e) {
  if (e) e->escaped = true;
}
/** At an activation's end: the exceptions it made that did not escape are freed. */
void freeExceptionsFrom(ThreadState& ts, size_t mark);

}  // namespace mitey
