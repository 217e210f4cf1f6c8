#include "activation.h"

#include "host_function.h"
#include "stack_switch.h"
#include "trap.h"

namespace mitey {

namespace {

/** Room left below a waiting stack pointer before other frames go on that stack. */
constexpr uintptr_t kGap = 256;

uintptr_t below(void* sp) { return (reinterpret_cast<uintptr_t>(sp) - kGap) & ~uintptr_t{15}; }

}  // namespace

// -Wclobbered: nothing read after a longjmp back to the sigsetjmp changes in between (the C rule).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wclobbered"
int runActivation(ThreadState& ts, void (*fn)(void*), void* arg) {
  Activation act;
  act.prev = ts.activation;
  // Below the frames of the activation this one nests in: they wait for a call to JS to return.
  if (act.prev && !act.prev->onMainStack) return static_cast<int>(Trap::HostException) + 1;  // never: JS runs only there
  uintptr_t top = act.prev ? below(act.prev->wasmSp) : ts.wasmStackTop;
  if (top < ts.nativeStackLimit + kGap) return static_cast<int>(Trap::CallStackExhausted) + 1;
  ts.activation = &act;
  int code = sigsetjmp(act.buf, 0);
  if (code == 0) {
    act.onMainStack = false;
    mitey_call_on_stack(reinterpret_cast<void*>(top), fn, arg, &act.mainSp);
  }
  act.onMainStack = true;
  if (act.hostScope) closeHostScope(act);
  ts.activation = act.prev;
  return code;
}
#pragma GCC diagnostic pop

void runOnMainStack(void (*fn)(void*), void* arg) {
  Activation* a = threadState().activation;
  if (!a || a->onMainStack) {
    fn(arg);
    return;
  }
  a->onMainStack = true;
  mitey_call_on_stack(reinterpret_cast<void*>(below(a->mainSp)), fn, arg, &a->wasmSp);
  a->onMainStack = false;
}

}  // namespace mitey
