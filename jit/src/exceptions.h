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
  FuncType type;       // its parameters: the payload's types (concrete references by canonical id)
  uint32_t typeId = 0; // canonical (type_canon.h): what links compare
  uint64_t id = nextObjectId();
};

/**
 * The JS API's JavaScript exception tag, of type [externref] -> []: a JS value thrown into wasm is
 * an exception of this tag with the value as its payload, and one of this tag that leaves wasm is
 * thrown to JS as that value. Importable as WebAssembly.JSTag, so catch can name it.
 */
TagInstance* jsExceptionTag();
/** The same tag as imports and exports hold tags (it is never freed). */
std::shared_ptr<TagInstance> jsExceptionTagShared();

struct ExceptionObject;  // its JS object (js_exceptions.h)

/**
 * An exception: its tag and payload (frame units). exnref values point at one. Who frees it:
 * - the activation that made it (ThreadState::exceptions), when the activation ends;
 * - once it leaves that activation uncaught, its WebAssembly.Exception object, when collected;
 * - nobody once it escaped: kept until the collector of GC (a later issue) can tell.
 */
struct Exception {
  TagInstance* tag = nullptr;
  std::shared_ptr<TagInstance> keepTag;
  std::vector<Slot> payload;
  std::vector<ValType> types;  // the payload's value types (the tag's parameters)
  std::vector<std::shared_ptr<void>> keepAlive;  // the owners of the functions in a payload made in JS
  ExceptionObject* jsObject = nullptr;  // its WebAssembly.Exception object while that lives
  // Reachable where no owner above can tell: a table, a global, an exnref handle in JS, or wasm that
  // caught it from JS (its JS object may die while wasm holds it).
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
/** At an activation's end: the exceptions it made are freed, but for the escaped ones and the one leaving it (ThreadState::pendingException). */
void freeExceptionsFrom(ThreadState& ts, size_t mark);

}  // namespace mitey
