// Activations: each entry from JS (or C++) into wasm. Wasm runs on its thread's wasm stack
// (thread_state.h), so its depth is ours to bound on every thread, whatever the thread's own
// stack; what touches V8 (calls to JS, a buffer's detach) runs on the JS thread's stack, below the
// entry's frames, since V8 must only ever see its own stack. Entries nest (wasm → JS → wasm): a
// nested activation's frames go below the waiting ones on the wasm stack. A trap longjmps to the
// innermost entry.
#pragma once
#include <csetjmp>
#include <cstdint>

#include "thread_state.h"

namespace mitey {

struct Activation {
  sigjmp_buf buf;
  Activation* prev = nullptr;
  void* mainSp = nullptr;  // the JS thread's stack pointer where the entry went to the wasm stack
  void* wasmSp = nullptr;  // the wasm stack pointer where it last went back to the JS thread's
  bool onMainStack = true;
  // A JS handle scope the activation's calls to JS functions share, renewed every so many calls
  // (opening one per call costs an allocation); closed when the activation ends (host_function.h).
  void* hostScope = nullptr;
  void* hostEnv = nullptr;
  uint32_t hostCalls = 0;
};

/**
 * Runs fn(arg) on the wasm stack as a new activation: 0 when it returned, else the trap + 1.
 * Nothing with a destructor may live in fn's frames: a trap longjmps over them.
 */
int runActivation(ThreadState& ts, void (*fn)(void*), void* arg);

/** Runs fn(arg) on the JS thread's stack: at once when already there, else through the activation. */
void runOnMainStack(void (*fn)(void*), void* arg);

}  // namespace mitey
