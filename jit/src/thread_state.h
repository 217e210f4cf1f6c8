// What each thread running wasm has of its own: its innermost activation, its wasm value stack,
// the native stack wasm runs on and the limits JIT code checks. Worker threads use the JIT at the same time, so none of
// this may be process-wide.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mitey {

using Slot = uint64_t;
struct Activation;

struct ThreadState {
  Activation* activation = nullptr;  // the innermost entry from JS, or null when no wasm runs
  Slot* valueStackBase = nullptr;
  Slot* valueStackTop = nullptr;
  uintptr_t valueStackLimit = 0;     // end of the value stack: every prologue checks its frame against it
  // The native stack wasm runs on (activation.h), of its own per thread: JIT frames reach no lower
  // than nativeStackLimit, which leaves room below for C++ handlers and the signal handler.
  void* wasmStackBase = nullptr;
  uintptr_t wasmStackTop = 0;
  uintptr_t nativeStackLimit = 0;
  uint64_t trapElement = 0;          // the index named by the last element trap
  // Exception handling (exceptions.h): the innermost try's record, the exceptions made and not yet
  // freed, and the one that left the last activation uncaught.
  struct HandlerRecord* handlers = nullptr;
  std::vector<struct Exception*> exceptions;
  struct Exception* pendingException = nullptr;
  class GcHeap* gcHeap = nullptr;    // its structs and arrays (gc_heap.h), made on first use

  ThreadState();
  ~ThreadState();
  ThreadState(const ThreadState&) = delete;
  ThreadState& operator=(const ThreadState&) = delete;
};

/**
 * This thread's state, made on first use. The signal handler reads it only for faults in JIT code,
 * which runs only on threads that made theirs already (thread-local storage is not allocated there).
 */
// constinit: no dynamic initializer, so no TLS wrapper call at each use.
extern __attribute__((tls_model("initial-exec"))) constinit thread_local ThreadState* tThreadState;
ThreadState& makeThreadState();

inline ThreadState& threadState() {
  if (ThreadState* s = tThreadState) [[likely]] return *s;
  return makeThreadState();
}

}  // namespace mitey
