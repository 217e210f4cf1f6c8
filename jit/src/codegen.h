// Tier 1: compiles every function of a module to machine code (x86-64 today) in one pass over its
// decoded instructions. codegen.cc is target-independent; the machine's instructions come from the
// macro-assembler (macro_assembler.h, with the x86-64 one in x64/).
//
// The generated code is an unrolled interpreter: each function keeps its locals and operands in a
// frame of 8-byte units on the wasm value stack (a v128 takes two) (pinned registers: Frame = frame
// base, Instance, Memory = memory base), and most instructions become a call to a precompiled
// handler with the slot address and immediates in registers. Because validation fixes the operand
// stack height at every instruction, handlers need not return a stack pointer: the slot addresses are
// constants of the code. Control flow (blocks, branches, br_table, if, calls, returns) is real jumps
// and calls; the common scalar instructions (README's JIT section lists them) are emitted inline.
// Within straight-line code, local.get and constants are deferred until consumed, inline results stay
// in registers, and locals written from a register keep a copy there; anything that reads the frame
// (handlers, calls, branches, block boundaries) gets values written out first.
#pragma once
#include "instance.h"

namespace mitey {

/**
 * Generates and installs (write, then read+execute) the code of every defined function; large
 * modules on several threads. Bodies the decoder deferred (Module::bodiesDeferred) are decoded from
 * `bytes` (the whole module) and validated here, a function at a time: a WasmError then means the
 * module is malformed or invalid, and decoding it whole says how first.
 */
void compileModule(CompiledModule& cm, const uint8_t* bytes, size_t size);

}  // namespace mitey
