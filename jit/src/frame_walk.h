// The collector's precise roots on the stacks: every JIT frame of every activation of the thread,
// each read by the stack map of the call it is in (instance.h StackMap: the slots that hold a
// reference of the any or extern hierarchy there). ISA-specific: the x86-64 frame below.
//
// A JIT function's native frame (x64/macro_assembler.cc prologue) is the return address into its
// caller and the three registers it saved: rbx, r12 (the caller's Frame: its value-stack frame
// base) and r13; it pushes nothing else (a try's record lives in its value-stack frame), and
// handlers and host functions are called with a plain call. So, from the slot p of a return address
// into a JIT function F (F's call in progress), F's caller's Frame is at p + 16 and the return
// address into F's caller at p + 32; the walk ends at a return address outside JIT code (the C++
// that entered wasm). The first frame's own Frame comes from its call's operand pointer less the
// map's operandUnit.
//
// Where each activation's walk starts: for the innermost, the allocation in progress (JitSite, from
// the allocating handler: the slot of its own return address and its operands); for one waiting in
// a host call (JS may enter wasm again, and allocate, before it continues), what the host stub
// recorded (Activation::exitReturnSlot, exitOperands).
#pragma once
#include "gc_roots.h"
#include "thread_state.h"

namespace mitey {

/** A call from JIT code in progress: the slot of its return address into JIT code, and the operand pointer it was given. */
struct JitSite {
  void* const* returnSlot;
  const Slot* operands;
};

/**
 * The JitSite of the handler this is written in (a handler JIT code calls: its frame address is
 * its caller's stack pointer less the return address and the saved rbp; using the builtin gives the
 * handler a frame pointer).
 */
#define MITEY_JIT_SITE(operands) (::mitey::JitSite{static_cast<void* const*>(__builtin_frame_address(0)) + 1, (operands)})

/**
 * Hands the references of every JIT frame of the thread's activations to v: from `site` for the
 * innermost activation when given (else from its host call, if it waits in one), from the host call
 * each outer activation waits in.
 */
void visitJitFrameRoots(const ThreadState& ts, const JitSite* site, GcWordVisitor& v);

}  // namespace mitey
