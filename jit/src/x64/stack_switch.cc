// x86-64 System V: rbx, rbp and r12–r15 are callee-saved. A side's saved block, from its stack
// pointer up: r15 r14 r13 r12 rbx rbp, then the address it continues at. A `ret` into the other
// stack's frames would mispredict at every switch (measured here: 20 ns a round trip against 7):
// the main side always gets control back by the return of its own call, and wasm continues a
// host call by a jump to the address JIT code pushed without a call.
#include "../stack_switch.h"

asm(R"(
  .text

  // A side's saved block: rbp first (some routines push it apart), then the rest; popped in reverse.
  .macro mitey_push_saved_but_rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  .endm
  .macro mitey_pop_saved
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  .endm

  .globl mitey_call_on_stack
  .hidden mitey_call_on_stack
  .type mitey_call_on_stack, @function
mitey_call_on_stack:
  pushq %rbp
  movq %rsp, %rbp
  movq %rsp, (%rcx)
  movq %rdi, %rsp
  movq %rdx, %rdi
  callq *%rsi
  movq %rbp, %rsp
  popq %rbp
  ret
  .size mitey_call_on_stack, .-mitey_call_on_stack

  .globl mitey_run_wasm
  .hidden mitey_run_wasm
  .type mitey_run_wasm, @function
mitey_run_wasm:
  pushq %rbp
  mitey_push_saved_but_rbp
  movq %rsp, (%rdi)
  movq %rdi, %r12
  movq %rsi, %rsp
  movq %rcx, %rdi
  callq *%rdx
  movq (%r12), %rsp
  mitey_pop_saved
  xorl %eax, %eax
  ret
  .size mitey_run_wasm, .-mitey_run_wasm

  .globl mitey_resume_wasm
  .hidden mitey_resume_wasm
  .type mitey_resume_wasm, @function
mitey_resume_wasm:
  pushq %rbp
  mitey_push_saved_but_rbp
  movq %rsp, (%rdi)
  movq 8(%rdi), %rsp
  mitey_pop_saved
  popq %rcx
  jmpq *%rcx
  .size mitey_resume_wasm, .-mitey_resume_wasm

  .globl mitey_abandon_wasm
  .hidden mitey_abandon_wasm
  .type mitey_abandon_wasm, @function
mitey_abandon_wasm:
  movq (%rdi), %rsp
  mitey_pop_saved
  movq %rsi, %rax
  ret
  .size mitey_abandon_wasm, .-mitey_abandon_wasm

  // Resumes at a try's landing pad (exceptions.h): rdi = its HandlerRecord {prev, rsp, pad, frame,
  // instance, rbp, r14, r15}, rsi = the exception, which the pad finds in rax. Memory (r13) is the
  // instance's memory 0 base (Instance offset 0).
  .globl mitey_resume_at_handler
  .hidden mitey_resume_at_handler
  .type mitey_resume_at_handler, @function
mitey_resume_at_handler:
  movq 8(%rdi), %rsp
  movq 24(%rdi), %r12
  movq 32(%rdi), %rbx
  movq 40(%rdi), %rbp
  movq 48(%rdi), %r14
  movq 56(%rdi), %r15
  movq (%rbx), %r13
  movq %rsi, %rax
  jmpq *16(%rdi)
  .size mitey_resume_at_handler, .-mitey_resume_at_handler

  .globl mitey_host_stub
  .hidden mitey_host_stub
  .type mitey_host_stub, @function
mitey_host_stub:
  pushq %rbp
  movq %rsp, %rbp
  leaq 8(%rbp), %rdx
  callq mitey_host_call
  testq %rax, %rax
  jnz 1f
  popq %rbp
  popq %rcx
  jmpq *%rcx
1:
  mitey_push_saved_but_rbp
  movq %rsp, 8(%rax)
  movq (%rax), %rsp
  mitey_pop_saved
  movl $1, %eax
  ret
  .size mitey_host_stub, .-mitey_host_stub

  .purgem mitey_push_saved_but_rbp
  .purgem mitey_pop_saved
)");
