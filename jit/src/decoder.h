// Decodes and validates a whole binary module (Wasm 2.0), throwing WasmError on the first problem.
#pragma once
#include <cstddef>
#include <cstdint>
#include "features.h"
#include "module.h"

namespace mitey {

/** Whether decodeModule decodes and validates function bodies, or leaves them to the compiler. */
enum class Bodies : uint8_t { Decoded, Deferred };

/**
 * Decodes every section, validates the module and every function body. With Bodies::Deferred the
 * bodies' instructions are left undecoded (their locals are read) for decodeFunctionBody and
 * validateFunction, one function at a time; an error found that way (here or later) is reported
 * by decoding the whole module again with Bodies::Decoded, which says which error comes first.
 */
Module decodeModule(const uint8_t* bytes, size_t size, Features features = Features::all(), Bodies bodies = Bodies::Decoded);

/** Decodes a deferred body's instructions into body.code (bytes: the whole module). Throws WasmError. */
void decodeFunctionBody(const uint8_t* bytes, size_t size, const Module& m, FuncBody& body);

}  // namespace mitey
