// Switching between the JS thread's stack and wasm's (activation.h). Each side saves its
// callee-saved registers on its own stack and its stack pointer in the activation (mainSp at
// offset 0, wasmSp at 8). Transfers are arranged so that the return predictor stays in step:
// the main side enters by a call and wasm leaves by a return to it; a call from JIT code to a
// host function that gives control back to JS is made without the predictor (JIT code pushes the
// return address and jumps), so the host stub returns by a jump. The ISA's half: x64/stack_switch.cc.
#pragma once
#include <cstdint>

namespace mitey {

struct Activation;

/** What the main side's run or resume returns: wasm returned, wasm waits for a host call in JS, or a trap (kTrapped + trap). */
enum : uintptr_t { kWasmReturned = 0, kWasmCallsHost = 1, kWasmTrapped = 2 };

extern "C" {
/** Stores this stack's pointer in *saved, calls fn(arg) with the stack pointer at `top` (16-byte aligned), returns when fn does. */
void mitey_call_on_stack(void* top, void (*fn)(void*), void* arg, void** saved);
/** Main side: runs fn(arg) on the wasm stack at `top` for the activation; returns a code above. */
uintptr_t mitey_run_wasm(Activation* act, void* top, void (*fn)(void*), void* arg);
/** Main side: continues the activation's wasm where its host call gave control back; returns a code above. */
uintptr_t mitey_resume_wasm(Activation* act);
/** Leaves wasm (from either stack, or a signal handler on the wasm stack) for the activation's main side, which returns `code`. */
[[noreturn]] void mitey_abandon_wasm(Activation* act, uintptr_t code);
/** What FuncInstance::code is for a host function: called from JIT code without the return predictor (see above). */
void mitey_host_stub();
}

}  // namespace mitey
