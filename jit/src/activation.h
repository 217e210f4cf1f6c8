// Activations: each entry from JS (or C++) into wasm. Wasm runs on its thread's wasm stack
// (thread_state.h), so its depth is ours to bound on every thread, whatever the thread's own
// stack; what touches V8 runs on the JS thread's stack, since V8 must only ever see its own:
// either below the waiting entry (runOnMainStack: calls to JS through N-API, a buffer's detach),
// or — for an entry made by a fast Exported Function (fast_entry.h) calling a JS function of
// numbers — back in JS itself: wasm's frames stay where they are while the entry returns to its JS
// wrapper, which calls the import and resumes wasm. Entries nest (wasm → JS → wasm): a nested
// activation's frames go below the waiting ones on the wasm stack. A trap leaves for the
// innermost entry's main side (stack_switch.h).
#pragma once
#include <cstddef>
#include <cstdint>

#include "thread_state.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace mitey {

struct HostFunction;
struct FuncInstance;

struct Activation {
  void* mainSp = nullptr;  // offset 0: the main side's saved block (stack_switch.h)
  void* wasmSp = nullptr;  // offset 8: wasm's saved block, while it waits for the main side
  Activation* prev = nullptr;
  bool onMainStack = true;
  // A fast entry's (fast_entry.cc): the call, and the host call wasm waits on in JS, if any.
  void* driver = nullptr;  // the fast entry's per-environment state; null for other entries
  uint32_t token = 0;      // a fast entry's name for it, which its wrapper gives back to resume it
  uintptr_t wasmTop = 0;   // where its wasm frames start
  const FuncInstance* func = nullptr;
  Slot* frame = nullptr;
  // While it waits for a host function (from the call until wasm continues), where its JIT frames
  // are, for the collector's walk (frame_walk.h): the slot of the return address into the calling
  // function, and the call's frame (its arguments). Null otherwise.
  void* const* exitReturnSlot = nullptr;
  const Slot* exitOperands = nullptr;
  HostFunction* waitingHost = nullptr;
  Slot* hostFrame = nullptr;
  Slot* valueStackTopBefore = nullptr;
  // A JS handle scope the activation's calls to JS functions share, renewed every so many calls
  // (opening one per call costs an allocation); closed when the activation ends (host_function.h).
  void* hostScope = nullptr;
  void* hostEnv = nullptr;
  uint32_t hostCalls = 0;
  // Exception handling: the thread's handler chain and exception count when it began (exceptions.h).
  struct HandlerRecord* handlersAtEntry = nullptr;
  size_t exceptionsAtEntry = 0;
};
static_assert(offsetof(Activation, mainSp) == 0 && offsetof(Activation, wasmSp) == 8);

/** Room left below a waiting stack pointer before other frames go on that stack. */
constexpr uintptr_t kStackGap = 256;

inline uintptr_t belowWaiting(void* sp) { return (reinterpret_cast<uintptr_t>(sp) - kStackGap) & ~uintptr_t{15}; }

/** Where a new activation's wasm frames start: below the waiting ones of the one it nests in. 0: no room left. */
inline uintptr_t wasmStackTopFor(const ThreadState& ts, const Activation* prev) {
  uintptr_t top = prev ? belowWaiting(prev->wasmSp) : ts.wasmStackTop;
  return top < ts.nativeStackLimit + kStackGap ? 0 : top;
}

/**
 * After a trap: the wasm stack below `top` holds only abandoned frames. Under AddressSanitizer their
 * poisoned red zones would be taken for overflows by the frames that reuse the memory, so they are
 * unpoisoned here (nothing otherwise).
 */
inline void forgetWasmFrames(const ThreadState& ts, uintptr_t top) {
#if defined(__SANITIZE_ADDRESS__)
  auto base = reinterpret_cast<uintptr_t>(ts.wasmStackBase);  // the guard page's shadow too: harmless
  if (top > base) __asan_unpoison_memory_region(reinterpret_cast<void*>(base), top - base);
#else
  (void)ts;
  (void)top;
#endif
}

/** Where an activation begins in the thread's exception state. */
inline void enterActivation(ThreadState& ts, Activation& act) {
  act.handlersAtEntry = ts.handlers;
  act.exceptionsAtEntry = ts.exceptions.size();
}

void freeExceptionsFrom(ThreadState& ts, size_t mark);

/** Closes the handle scope an activation's host calls shared, if any: before the activation ends (host_function.cc). */
void closeHostScope(Activation& act);

/** The activation ends, the innermost on its thread; framesLeft: a trap or an abandon left its wasm frames. */
inline void leaveActivation(ThreadState& ts, Activation& act, bool framesLeft) {
  if (framesLeft) forgetWasmFrames(ts, act.wasmTop);
  ts.handlers = act.handlersAtEntry;  // a trap leaves its records behind
  if (ts.exceptions.size() > act.exceptionsAtEntry) freeExceptionsFrom(ts, act.exceptionsAtEntry);
  act.onMainStack = true;
  if (act.hostScope) closeHostScope(act);
  ts.activation = act.prev;
}

/**
 * Runs fn(arg) on the wasm stack as a new activation: 0 when it returned, else the trap + 1.
 * Nothing with a destructor may live in fn's frames: a trap leaves them without unwinding.
 */
int runActivation(ThreadState& ts, void (*fn)(void*), void* arg);

/** Runs fn(arg) on the JS thread's stack: at once when already there, else below the activation's entry. */
void runOnMainStack(void (*fn)(void*), void* arg);

}  // namespace mitey
