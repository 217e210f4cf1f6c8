// Validation (the spec's typing rules: invalid modules) of a decoded module: its index spaces,
// limits, segments, exports, and every function body in one pass over an operand stack and a
// control stack, as the spec's validation algorithm (and V8's Liftoff) do.
#pragma once
#include <memory>

#include "module.h"

namespace mitey {

/** Throws WasmError(Invalid) on the first rule the module breaks; fills in declaredFuncs. */
void validateModule(Module& m);

/** The same without the function bodies (decoder.h's Bodies::Deferred). */
void validateModuleWithoutBodies(Module& m);

/** Validates decoded function bodies one after another (function `index`'s), its stacks' memory kept between them. */
class FunctionValidator {
 public:
  explicit FunctionValidator(const Module& m);
  ~FunctionValidator();
  void validate(uint32_t index, FuncBody& body);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mitey
