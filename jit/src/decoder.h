// Decodes and validates a whole binary module (Wasm 2.0), throwing WasmError on the first problem.
#pragma once
#include <cstddef>
#include <cstdint>
#include "features.h"
#include "module.h"

namespace mitey {

/** Decodes every section, validates the module and every function body. */
Module decodeModule(const uint8_t* bytes, size_t size, Features features = Features::all());

}  // namespace mitey
