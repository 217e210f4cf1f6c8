// A linear memory's bytes as a JS ArrayBuffer: made over the memory's pages (no copy), holding the
// memory alive, and detached as soon as the memory grows, from JS or from wasm, as the JS API says.
#pragma once
#include <node_api.h>

#include <memory>

#include "linear_memory.h"

namespace mitey {

/**
 * The ArrayBuffer over the memory's current pages: the same object until the memory grows (then
 * the old one is detached and the next call makes a new one). Null on failure.
 */
napi_value memoryArrayBuffer(napi_env env, const std::shared_ptr<LinearMemory>& memory);

/** Installs LinearMemory::grewHook (once per process). */
void installMemoryGrowHook();

}  // namespace mitey
