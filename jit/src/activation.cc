#include "activation.h"

#include "stack_switch.h"
#include "trap.h"

namespace mitey {

int runActivation(ThreadState& ts, void (*fn)(void*), void* arg) {
  Activation act;
  act.prev = ts.activation;
  if (act.prev && !act.prev->onMainStack) return static_cast<int>(Trap::HostException) + 1;  // never: JS runs only there
  uintptr_t top = wasmStackTopFor(ts, act.prev);
  if (!top) return static_cast<int>(Trap::CallStackExhausted) + 1;
  act.wasmTop = top;
  enterActivation(ts, act);
  ts.activation = &act;
  act.onMainStack = false;
  // Not a fast entry: host calls run below this frame and never come back here as kWasmCallsHost.
  uintptr_t r = mitey_run_wasm(&act, reinterpret_cast<void*>(top), fn, arg);
  leaveActivation(ts, act, r != kWasmReturned);
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
