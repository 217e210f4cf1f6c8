#include "activation.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

#include "host_function.h"
#include "stack_switch.h"
#include "trap.h"

namespace mitey {


void forgetWasmFrames(const ThreadState& ts, uintptr_t top) {
#if defined(__SANITIZE_ADDRESS__)
  auto base = reinterpret_cast<uintptr_t>(ts.wasmStackBase) + 4096;  // above the guard page
  if (top > base) __asan_unpoison_memory_region(reinterpret_cast<void*>(base), top - base);
#else
  (void)ts;
  (void)top;
#endif
}

int runActivation(ThreadState& ts, void (*fn)(void*), void* arg) {
  Activation act;
  act.prev = ts.activation;
  if (act.prev && !act.prev->onMainStack) return static_cast<int>(Trap::HostException) + 1;  // never: JS runs only there
  uintptr_t top = wasmStackTopFor(ts, act.prev);
  if (!top) return static_cast<int>(Trap::CallStackExhausted) + 1;
  act.wasmTop = top;
  ts.activation = &act;
  act.onMainStack = false;
  // Not a fast entry: host calls run below this frame and never come back here as kWasmCallsHost.
  uintptr_t r = mitey_run_wasm(&act, reinterpret_cast<void*>(top), fn, arg);
  act.onMainStack = true;
  if (act.hostScope) closeHostScope(act);
  ts.activation = act.prev;
  if (r != kWasmReturned) forgetWasmFrames(ts, top);
  return r == kWasmReturned ? 0 : static_cast<int>(r - kWasmTrapped) + 1;
}

void runOnMainStack(void (*fn)(void*), void* arg) {
  Activation* a = threadState().activation;
  if (!a || a->onMainStack) {
    fn(arg);
    return;
  }
  a->onMainStack = true;
  mitey_call_on_stack(reinterpret_cast<void*>(belowWaiting(a->mainSp)), fn, arg, &a->wasmSp);
  a->onMainStack = false;
}

}  // namespace mitey
