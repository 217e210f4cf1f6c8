// A linear memory's bytes as a JS ArrayBuffer: made over the memory's pages (no copy), holding the
// memory alive, and detached as soon as the memory grows, from JS or from wasm, as the JS API says.
#pragma once
#include <node_api.h>

#include <memory>

#include "linear_memory.h"

namespace mitey {

/**
 * The ArrayBuffer over the memory's current pages: the same object until the memory grows (then
 * the old one is detached and the next call makes a new one). Null on failure. For a shared memory,
 * a new SharedArrayBuffer over its current pages each call (never detached; the caller keeps the
 * one it made while the size stays): any thread may pass it to another, which finds the memory again
 * by sharedMemoryOf.
 */
napi_value memoryArrayBuffer(napi_env env, const std::shared_ptr<LinearMemory>& memory);

/** The shared memory whose pages a SharedArrayBuffer (of memoryArrayBuffer, on any thread) shows, or null. */
std::shared_ptr<LinearMemory> sharedMemoryOf(napi_value buffer);

/** Installs LinearMemory::grewHook (once per process). */
void installMemoryGrowHook();

}  // namespace mitey
