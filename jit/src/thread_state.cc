#include "thread_state.h"

#include <sys/mman.h>

#include <new>

#include "gc_heap.h"

namespace mitey {

namespace {

constexpr size_t kValueStackBytes = 64u << 20;
// Wasm's native stack: 8 MiB reserved (pages are committed as they are touched), a guard page at
// its low end, and room above the guard left to C++ handlers and the signal handler.
constexpr size_t kWasmStackBytes = 8u << 20;
constexpr size_t kGuardBytes = 4096;
constexpr size_t kHandlerReserve = 256u << 10;

}  // namespace

ThreadState::ThreadState() {
  void* p = mmap(nullptr, kValueStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  valueStackBase = static_cast<Slot*>(p);
  valueStackTop = valueStackBase;
  valueStackLimit = reinterpret_cast<uintptr_t>(p) + kValueStackBytes;
  void* w = mmap(nullptr, kWasmStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (w == MAP_FAILED) throw std::bad_alloc();
  mprotect(w, kGuardBytes, PROT_NONE);
  wasmStackBase = w;
  wasmStackTop = reinterpret_cast<uintptr_t>(w) + kWasmStackBytes;
  nativeStackLimit = reinterpret_cast<uintptr_t>(w) + kGuardBytes + kHandlerReserve;
}

ThreadState::~ThreadState() {
  if (gcHeap) gcHeap->freeAll();  // the heap itself stays for late finalizers (gc_heap.cc)
  munmap(valueStackBase, kValueStackBytes);
  munmap(wasmStackBase, kWasmStackBytes);
}

// Initial-exec: one fs-relative load, where the general-dynamic model of a shared object calls
// __tls_get_addr. Eight bytes of the static TLS surplus glibc keeps for libraries loaded later.
__attribute__((tls_model("initial-exec"))) constinit thread_local ThreadState* tThreadState = nullptr;

ThreadState& makeThreadState() {
  thread_local ThreadState state;  // destroyed when the thread ends
  tThreadState = &state;
  return state;
}

}  // namespace mitey
