#include "thread_state.h"

#include <pthread.h>
#include <sys/mman.h>

#include <new>

namespace mitey {

namespace {

constexpr size_t kValueStackBytes = 64u << 20;
constexpr size_t kNativeStackReserve = 256u << 10;  // left to V8, C++ and the signal handler
constexpr uintptr_t kMaxNativeStack = 4u << 20;

/**
 * The lowest address JIT frames may reach on this thread's native stack, from the thread's real
 * bounds (a Worker's stack is 4 MiB). Found once per thread: for the main thread glibc reads
 * /proc/self/maps to answer, far too slow for every call from JS.
 */
uintptr_t findNativeStackLimit() {
  pthread_attr_t attr;
  void* addr = nullptr;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
  }
  uintptr_t here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  uintptr_t low = reinterpret_cast<uintptr_t>(addr);
  // The main thread's reported stack can exceed what is mapped; never plan for more than 4 MiB.
  uintptr_t limit = low + kNativeStackReserve;
  if (low == 0 || here < limit || here - limit > kMaxNativeStack) limit = here - kMaxNativeStack;
  return limit;
}

}  // namespace

ThreadState::ThreadState() {
  void* p = mmap(nullptr, kValueStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  valueStackBase = static_cast<Slot*>(p);
  valueStackTop = valueStackBase;
  valueStackLimit = reinterpret_cast<uintptr_t>(p) + kValueStackBytes;
  nativeStackLimit = findNativeStackLimit();
}

ThreadState::~ThreadState() { munmap(valueStackBase, kValueStackBytes); }

// Initial-exec: one fs-relative load, where the general-dynamic model of a shared object calls
// __tls_get_addr. Eight bytes of the static TLS surplus glibc keeps for libraries loaded later.
__attribute__((tls_model("initial-exec"))) constinit thread_local ThreadState* tThreadState = nullptr;

ThreadState& makeThreadState() {
  thread_local ThreadState state;  // destroyed when the thread ends
  tThreadState = &state;
  return state;
}

}  // namespace mitey
