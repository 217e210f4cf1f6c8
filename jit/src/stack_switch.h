// Calling on another stack: wasm runs on a stack of its own per thread, beside the JS thread's
// stack (activation.h). Calls between the two stacks nest strictly, as calls do, so a plain call
// and return on another stack pointer is all it takes; the ISA's half is in x64/stack_switch.cc.
#pragma once

namespace mitey {

/**
 * Stores this stack's pointer in *saved, calls fn(arg) with the stack pointer at `top` (16-byte
 * aligned, growing down from there), and returns on this stack when fn returns.
 */
extern "C" void mitey_call_on_stack(void* top, void (*fn)(void*), void* arg, void** saved);

}  // namespace mitey
