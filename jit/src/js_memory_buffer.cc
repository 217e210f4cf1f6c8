#include "js_memory_buffer.h"

#include <v8.h>

#include <cstring>
#include <mutex>

#include "activation.h"
#include "env_state.h"

namespace mitey {

namespace {

/** A weak reference to the memory's current ArrayBuffer, let go of with the memory. */
struct WeakBuffer {
  napi_env env;
  napi_ref ref;
  ~WeakBuffer() { deleteReferenceLater(env, ref); }
};

/**
 * Runs where the memory grew: inside a call from JS (an exported function, Memory.grow,
 * instantiation), on the memory's own thread, so N-API may be used. A buffer the collector took
 * already needs nothing.
 */
void detachOnMainStack(void* p) {
  LinearMemory& memory = *static_cast<LinearMemory*>(p);
  auto view = std::static_pointer_cast<WeakBuffer>(memory.jsBuffer);
  memory.jsBuffer.reset();
  napi_handle_scope scope;
  if (napi_open_handle_scope(view->env, &scope) != napi_ok) return;
  napi_value buffer = nullptr;
  if (napi_get_reference_value(view->env, view->ref, &buffer) == napi_ok && buffer) napi_detach_arraybuffer(view->env, buffer);
  napi_close_handle_scope(view->env, scope);
}

/** A grow in wasm runs on the wasm stack: the detach, which V8 does, on the JS thread's stack. */
void detachOnGrow(LinearMemory& memory) { runOnMainStack(&detachOnMainStack, &memory); }

// N-API makes no SharedArrayBuffer over memory of its own: V8's API does (a napi_value is a
// v8::Local by value in every Node, as env_state.cc relies on too).
v8::Local<v8::Value> toLocal(napi_value v) {
  v8::Local<v8::Value> local;
  static_assert(sizeof(local) == sizeof(v));
  std::memcpy(static_cast<void*>(&local), &v, sizeof v);
  return local;
}

napi_value fromLocal(v8::Local<v8::Value> local) {
  napi_value v;
  std::memcpy(&v, static_cast<void*>(&local), sizeof v);
  return v;
}

/** A SharedArrayBuffer over the shared memory's current pages, holding the memory alive (on whichever
 * thread V8 lets go of it last). */
napi_value sharedArrayBuffer(const std::shared_ptr<LinearMemory>& memory) {
  LinearMemory::rememberShared(memory);
  auto keep = new std::shared_ptr<LinearMemory>(memory);
  std::unique_ptr<v8::BackingStore> store = v8::SharedArrayBuffer::NewBackingStore(
      memory->base(), memory->sizeBytes(), [](void*, size_t, void* hint) { delete static_cast<std::shared_ptr<LinearMemory>*>(hint); },
      keep);
  v8::Local<v8::SharedArrayBuffer> buffer = v8::SharedArrayBuffer::New(v8::Isolate::GetCurrent(), std::move(store));
  return fromLocal(buffer);
}

}  // namespace

std::shared_ptr<LinearMemory> sharedMemoryOf(napi_value buffer) {
  v8::Local<v8::Value> v = toLocal(buffer);
  if (v.IsEmpty() || !v->IsSharedArrayBuffer()) return nullptr;
  return LinearMemory::findShared(v.As<v8::SharedArrayBuffer>()->GetBackingStore()->Data());
}

napi_value memoryArrayBuffer(napi_env env, const std::shared_ptr<LinearMemory>& memory) {
  if (memory->shared()) return sharedArrayBuffer(memory);
  // The same buffer until the memory grows (a grow resets jsBuffer), while JS keeps it.
  if (auto* view = static_cast<WeakBuffer*>(memory->jsBuffer.get()); view && view->env == env) {
    napi_value current = nullptr;
    if (napi_get_reference_value(env, view->ref, &current) == napi_ok && current) return current;
  }
  auto keep = new std::shared_ptr<LinearMemory>(memory);
  napi_value buffer;
  napi_status st = napi_create_external_arraybuffer(
      env, memory->base(), memory->sizeBytes(),
      [](node_api_basic_env, void*, void* hint) { delete static_cast<std::shared_ptr<LinearMemory>*>(hint); }, keep, &buffer);
  if (st != napi_ok) {
    delete keep;
    return nullptr;
  }
  napi_ref ref;
  if (napi_create_reference(env, buffer, 0, &ref) == napi_ok) memory->jsBuffer = std::shared_ptr<WeakBuffer>(new WeakBuffer{env, ref});
  return buffer;
}

void installMemoryGrowHook() {
  static std::once_flag once;
  std::call_once(once, [] { LinearMemory::grewHook = &detachOnGrow; });
}

}  // namespace mitey
