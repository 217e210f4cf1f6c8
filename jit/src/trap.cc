// Trap delivery: back to the innermost entry's main side; memory faults in JIT code become traps.
#include "trap.h"

#include <signal.h>
#include <ucontext.h>

#include <atomic>
#include <cstring>
#include <mutex>

#include "stack_switch.h"
#include "thread_state.h"

namespace mitey {

std::string trapMessage(Trap t) {
  switch (t) {
    case Trap::Unreachable: return "unreachable";
    case Trap::DivideByZero: return "integer divide by zero";
    case Trap::IntegerOverflow: return "integer overflow";
    case Trap::InvalidConversion: return "invalid conversion to integer";
    case Trap::OutOfBoundsMemory: return "out of bounds memory access";
    case Trap::OutOfBoundsTable: return "out of bounds table access";
    case Trap::UndefinedElement: return "undefined element " + std::to_string(threadState().trapElement);
    case Trap::UninitializedElement: return "uninitialized element " + std::to_string(threadState().trapElement);
    case Trap::IndirectCallTypeMismatch: return "indirect call type mismatch";
    case Trap::CallStackExhausted: return "call stack exhausted";
    case Trap::HostException: return "exception in an imported function";
    case Trap::NullFunctionReference: return "null function reference";
    case Trap::NullReference: return "null reference";
    case Trap::NullExceptionReference: return "null exception reference";
    case Trap::Exception: return "uncaught wasm exception";
    case Trap::UnalignedAtomic: return "unaligned atomic";
    case Trap::ExpectedSharedMemory: return "expected shared memory";
    case Trap::NullStructReference: return "null structure reference";
    case Trap::NullArrayReference: return "null array reference";
    case Trap::NullI31Reference: return "null i31 reference";
    case Trap::OutOfBoundsArray: return "out of bounds array access";
    case Trap::CastFailure: return "cast failure";
    case Trap::ArrayTooLarge: return "array too large";
    case Trap::kCount: break;
  }
  return "trap";
}

Activation*& currentActivation() { return threadState().activation; }

void raiseTrap(Trap t) { mitey_abandon_wasm(currentActivation(), kWasmTrapped + static_cast<uintptr_t>(t)); }

void raiseElementTrap(Trap t, uint64_t index) {
  threadState().trapElement = index;
  raiseTrap(t);
}

namespace {

// Address ranges (JIT code, memory reservations) that the signal handler reads without locks while
// other threads add and remove ranges. Writers take a mutex; each slot is a seqlock, so a reader
// never pairs one range's start with another's end (a slot being rewritten holds no live range).
class RangeSet {
 public:
  /** False when every slot is taken: the caller must not run code it could not register. */
  bool add(uintptr_t start, uintptr_t end) {
    std::lock_guard<std::mutex> lock(writers_);
    size_t n = count_.load(std::memory_order_relaxed);
    for (size_t k = 0; k < n; k++) {
      if (ranges_[k].start.load(std::memory_order_relaxed) == 0) {
        set(k, start, end);
        return true;
      }
    }
    if (n >= kMax) return false;
    set(n, start, end);
    count_.store(n + 1, std::memory_order_release);
    return true;
  }
  void remove(uintptr_t start) {
    std::lock_guard<std::mutex> lock(writers_);
    size_t n = count_.load(std::memory_order_relaxed);
    for (size_t k = 0; k < n; k++) {
      if (ranges_[k].start.load(std::memory_order_relaxed) == start) set(k, 0, 0);
    }
  }
  /** Async-signal-safe: loads only. */
  bool contains(uintptr_t a) const {
    size_t n = count_.load(std::memory_order_acquire);
    for (size_t k = 0; k < n; k++) {
      const Range& r = ranges_[k];
      uint32_t v = r.version.load(std::memory_order_acquire);
      if (v & 1) continue;  // being rewritten: not a live range
      uintptr_t s = r.start.load(std::memory_order_acquire);
      uintptr_t e = r.end.load(std::memory_order_acquire);
      if (r.version.load(std::memory_order_acquire) != v) continue;
      if (s && a >= s && a < e) return true;
    }
    return false;
  }

 private:
  void set(size_t k, uintptr_t start, uintptr_t end) {
    Range& r = ranges_[k];
    r.version.fetch_add(1, std::memory_order_acq_rel);  // odd: readers skip the slot
    r.start.store(start, std::memory_order_release);
    r.end.store(end, std::memory_order_release);
    r.version.fetch_add(1, std::memory_order_acq_rel);
  }
  static constexpr size_t kMax = 1 << 16;
  struct Range {
    std::atomic<uint32_t> version{0};
    std::atomic<uintptr_t> start{0};
    std::atomic<uintptr_t> end{0};
  };
  Range ranges_[kMax];
  std::atomic<size_t> count_{0};
  std::mutex writers_;
};

RangeSet gCode, gMemories;

struct sigaction gPreviousSegv, gPreviousBus;

void onFault(int sig, siginfo_t* info, void* context);

void chain(int sig, siginfo_t* info, void* context) {
  const struct sigaction& prev = sig == SIGSEGV ? gPreviousSegv : gPreviousBus;
  // Never our own handler as the old one (that would loop): then the default action is the old one.
  if ((prev.sa_flags & SA_SIGINFO) && prev.sa_sigaction != onFault) {
    prev.sa_sigaction(sig, info, context);
  } else if ((prev.sa_flags & SA_SIGINFO) || prev.sa_handler == SIG_DFL || prev.sa_handler == SIG_IGN) {
    // Restore the default action and return: the fault repeats and ends the process as usual.
    signal(sig, SIG_DFL);
  } else {
    prev.sa_handler(sig);
  }
}

void onFault(int sig, siginfo_t* info, void* context) {
  auto* uc = static_cast<ucontext_t*>(context);
  uintptr_t pc = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
  uintptr_t addr = reinterpret_cast<uintptr_t>(info->si_addr);
  // Ours only when JIT code touched a linear memory's reservation: anything else is a real crash
  // (or V8's own wasm trap), for the handler we replaced. The code check comes first: only a
  // thread running JIT code is sure to have its thread-local state already.
  if (gCode.contains(pc) && gMemories.contains(addr) && currentActivation()) {
    // Leave through the kernel's sigreturn, never by a jump out of the handler: the fault resumes in
    // mitey_abandon_wasm as if JIT code had called it. A jump would keep the handler's signal mask and,
    // on CPUs with protection keys, the PKRU register the kernel resets for handlers, under which V8's
    // own wasm code pages (pkey-tagged) fault on the next read of a jump table. abandon touches no
    // stack before switching to the main side's, so the faulting stack pointer may stay as it is.
    uc->uc_mcontext.gregs[REG_RDI] = static_cast<greg_t>(reinterpret_cast<uintptr_t>(currentActivation()));
    uc->uc_mcontext.gregs[REG_RSI] = static_cast<greg_t>(kWasmTrapped + static_cast<uintptr_t>(Trap::OutOfBoundsMemory));
    uc->uc_mcontext.gregs[REG_RIP] = static_cast<greg_t>(reinterpret_cast<uintptr_t>(&mitey_abandon_wasm));
    return;
  }
  chain(sig, info, context);
}

}  // namespace

void installSignalHandlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = onFault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &gPreviousSegv);
    sigaction(SIGBUS, &sa, &gPreviousBus);
  });
}

bool registerCode(const uint8_t* start, size_t size) {
  return gCode.add(reinterpret_cast<uintptr_t>(start), reinterpret_cast<uintptr_t>(start) + size);
}
void unregisterCode(const uint8_t* start) { gCode.remove(reinterpret_cast<uintptr_t>(start)); }

bool registerMemory(const uint8_t* start, size_t size) {
  return gMemories.add(reinterpret_cast<uintptr_t>(start), reinterpret_cast<uintptr_t>(start) + size);
}
void unregisterMemory(const uint8_t* start) { gMemories.remove(reinterpret_cast<uintptr_t>(start)); }

}  // namespace mitey
