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

#include "gc_roots.h"
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
 * An exception: its tag and payload (frame units). exnref values point at one. It lives while one
 * of these holds it, and is freed by the last to let go:
 * - the activations whose list (ThreadState::exceptions) has it: made there, or thrown into one by
 *   JS; each lets go when it ends;
 * - the pending slot (ThreadState::pendingException), from its uncaught throw to the boundary;
 * - its WebAssembly.Exception object (js_exceptions.h), until collected;
 * - for good once it escaped: kept until the collector of GC (a later issue) can tell.
 */
struct Exception {
  TagInstance* tag = nullptr;
  std::shared_ptr<TagInstance> keepTag;
  std::vector<Slot> payload;
  std::vector<ValType> types;  // the payload's value types (the tag's parameters)
  std::vector<std::shared_ptr<void>> keepAlive;  // the owners of the functions in a payload made in JS
  uint32_t holds = 0;                   // list entries and the pending slot holding it
  ExceptionObject* jsObject = nullptr;  // its WebAssembly.Exception object while that lives
  // A JS value thrown into wasm (the JS tag's payload), held by a napi_ref until a catch by the JS tag
  // needs it as an externref (made then, in payload[0]): an externref is kept for good, and most such
  // exceptions are never caught by their tag.
  void* jsValue = nullptr;
  void* jsEnv = nullptr;
  // Reachable where no owner above can tell: a table, a global, an exnref handle in JS.
  bool escaped = false;
  // Its payload keeps its objects alive while it lives (gc_roots.h): an escaped exception lives for
  // good (the collector does not trace exceptions yet), and so do the objects of its payload.
  GcRootLink gcRoots{this, [](const void* o, GcWordVisitor& v) { static_cast<const Exception*>(o)->visitPayloadRoots(v); }};
  void visitPayloadRoots(GcWordVisitor& v) const;
  ~Exception();
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

/** Before a catch reads the payload of an exception of the JS tag: its externref (js_exceptions.cc). */
void materializeJsPayload(Exception* e);

/** Whether nothing holds it any more: then it is freed. */
inline bool unowned(const Exception* e) { return e->holds == 0 && !e->jsObject && !e->escaped; }
/** Lets go of a hold (a list entry's, the pending slot's): frees it when it was the last. */
void releaseHold(Exception* e);
/** Adds it to the current activation's list (held until the activation ends). */
void holdInActivation(Exception* e);

/** Makes an exception of this thread, held by the current activation. */
Exception* newException(TagInstance* tag, const Slot* payload, const std::vector<ValType>& types);
/** Throws: to the innermost handler of the current activation, else out of it (Trap::Exception). */
[[noreturn]] void throwException(Exception* e);
/** Whether the current activation has a handler (a JS exception thrown into it could be caught). */
bool hasActiveHandler();
/** Marks an exception as reachable beyond its activation. */
inline void escape(Exception* e) {
  if (e) e->escaped = true;
}
/** At an activation's end: its list lets go of its exceptions. */
void freeExceptionsFrom(ThreadState& ts, size_t mark);

}  // namespace mitey
