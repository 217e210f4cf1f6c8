// Decodes an instruction sequence (a function body or a constant expression) into Instrs:
// opcodes, immediates and block nesting, the binary format's rules only. Types come later.
#pragma once
#include "features.h"
#include "instr.h"
#include "reader.h"

namespace mitey {

/** Reads instructions up to the `end` that closes the sequence. */
/** Reads instructions up to the `end` that closes the sequence; opcodes of features that are off are malformed, as in Wasm 2.0. */
void decodeExpr(Reader& r, Features features, Expr& out);

}  // namespace mitey
