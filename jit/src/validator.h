// Validation (the spec's typing rules: invalid modules) of a decoded module: its index spaces,
// limits, segments, exports, and every function body in one pass over an operand stack and a
// control stack, as the spec's validation algorithm (and V8's Liftoff) do.
#pragma once
#include "module.h"

namespace mitey {

/** Throws WasmError(Invalid) on the first rule the module breaks; fills in declaredFuncs. */
void validateModule(Module& m);

/** The same without the function bodies (decoder.h's Bodies::Deferred). */
void validateModuleWithoutBodies(Module& m);

/** Validates defined function `index`'s decoded body. */
void validateFunction(const Module& m, uint32_t index, FuncBody& body);

}  // namespace mitey
