// Decodes an instruction sequence (a function body or a constant expression) into Instrs:
// opcodes, immediates and block nesting, the binary format's rules only. Types come later.
#pragma once
#include "instr.h"
#include "reader.h"

namespace mitey {

/** Reads instructions up to the `end` that closes the sequence. */
void decodeExpr(Reader& r, Expr& out);

}  // namespace mitey
