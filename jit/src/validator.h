// Validation of function bodies and constant expressions: one pass over an operand stack and a
// control stack, as the spec's validation algorithm (and V8's Liftoff) do.
#pragma once
#include "module.h"
#include "reader.h"

namespace mitey {

/** Validates the body of defined function `index` (its locals are already decoded). */
void validateFunction(Module& m, uint32_t index, Reader& r);

/**
 * Validates a constant expression producing `expected`, reading up to and including its `end`.
 * `globalLimit` is the number of globals it may read (the imported ones in Wasm 2.0). Functions it
 * names with ref.func become declared.
 */
ConstExpr validateConstExpr(Module& m, Reader& r, ValType expected, uint32_t globalLimit);

/** Decodes a value type byte (numbers, vectors, references). */
ValType readValType(Reader& r);

/** Decodes a reference type byte. */
ValType readRefType(Reader& r);

}  // namespace mitey
