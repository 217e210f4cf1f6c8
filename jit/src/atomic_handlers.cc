// The threads proposal's instructions. Memories never move and never shrink, so an access that
// passed the bounds check stays in bounds while another thread grows the memory. A trap leaves the
// handler without unwinding (raiseTrap): every check comes before any lock is taken.
#include "atomic_handlers.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <unordered_map>

#include "opcodes.h"
#include "trap.h"

namespace mitey::rt {

namespace {

constexpr int kOrder = __ATOMIC_SEQ_CST;

/** The memory's bytes at the effective address of an access of a T, or a trap. */
template <class T>
T* effective(Instance* in, Slot* s, uint32_t m, uint64_t offset) {
  LinearMemory& mem = *in->memories[m];
  uint64_t address = mem.is64() ? s[0] : static_cast<uint32_t>(s[0]);
  uint64_t ea = address + offset;  // a 32-bit address and offset cannot wrap; a 64-bit one may
  // (ea mod 2^64 has the same remainder by sizeof(T) as the true sum: the check holds either way.)
  if (ea % sizeof(T) != 0) raiseTrap(Trap::UnalignedAtomic);
  uint64_t size = mem.sizeBytes();
  if (ea < address || ea > size || sizeof(T) > size - ea) raiseTrap(Trap::OutOfBoundsMemory);
  // The bytes are an aligned T of the reservation, accessed only through the __atomic builtins here.
  return reinterpret_cast<T*>(mem.base() + ea);
}

template <class T>
struct Load {
  static void run(Instance* in, Slot* s, uint32_t m, uint64_t offset) { s[0] = __atomic_load_n(effective<T>(in, s, m, offset), kOrder); }
};

template <class T>
struct Store {
  static void run(Instance* in, Slot* s, uint32_t m, uint64_t offset) {
    __atomic_store_n(effective<T>(in, s, m, offset), static_cast<T>(s[1]), kOrder);
  }
};

enum class Rmw : uint8_t { Add, Sub, And, Or, Xor, Xchg };

/** A read-modify-write: the operand wrapped to the access's width, the old value zero-extended. */
template <Rmw Op>
struct RmwOf {
  template <class T>
  struct H {
    static void run(Instance* in, Slot* s, uint32_t m, uint64_t offset) {
      T* p = effective<T>(in, s, m, offset);
      auto v = static_cast<T>(s[1]);
      T old;
      if constexpr (Op == Rmw::Add) old = __atomic_fetch_add(p, v, kOrder);
      else if constexpr (Op == Rmw::Sub) old = __atomic_fetch_sub(p, v, kOrder);
      else if constexpr (Op == Rmw::And) old = __atomic_fetch_and(p, v, kOrder);
      else if constexpr (Op == Rmw::Or) old = __atomic_fetch_or(p, v, kOrder);
      else if constexpr (Op == Rmw::Xor) old = __atomic_fetch_xor(p, v, kOrder);
      else old = __atomic_exchange_n(p, v, kOrder);
      s[0] = old;
    }
  };
};

/** cmpxchg: the expected value is wrapped to the access's width too, so that a narrow access compares its bits. */
template <class T>
struct Cmpxchg {
  static void run(Instance* in, Slot* s, uint32_t m, uint64_t offset) {
    T* p = effective<T>(in, s, m, offset);
    auto expected = static_cast<T>(s[1]);
    __atomic_compare_exchange_n(p, &expected, static_cast<T>(s[2]), false, kOrder, kOrder);
    s[0] = expected;  // the old value, whether or not it was replaced
  }
};

// ---- wait and notify ---------------------------------------------------------------------------
// One queue per address (first come, first woken), in a table under one mutex. A waiter compares
// the value under that mutex, and a notifier takes it too, so a notify after the store that makes
// the value differ cannot pass the waiter by. Keys are absolute addresses: the threads that share a
// memory see it at the same base.

struct Waiter {
  std::condition_variable cv;
  bool woken = false;
};

struct WaitQueues {
  std::mutex mutex;
  std::unordered_map<uintptr_t, std::deque<Waiter*>> byAddress;
};

WaitQueues& waitQueues() {
  static auto* q = new WaitQueues;  // never destroyed: Workers may still wait at the process's exit
  return *q;
}

/** Timeouts beyond this many nanoseconds (about 146 years) wait forever: the deadline would overflow. */
constexpr int64_t kForever = int64_t{1} << 62;

/** 0 "ok" (woken), 1 "not-equal", 2 "timed-out"; a negative timeout waits until woken. */
template <class T>
uint32_t waitAt(T* p, T expected, int64_t timeoutNs) {
  WaitQueues& q = waitQueues();
  std::unique_lock<std::mutex> lock(q.mutex);
  if (__atomic_load_n(p, kOrder) != expected) return 1;
  auto key = reinterpret_cast<uintptr_t>(p);
  Waiter self;
  q.byAddress[key].push_back(&self);
  if (timeoutNs < 0 || timeoutNs >= kForever) {
    self.cv.wait(lock, [&] { return self.woken; });
  } else {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(timeoutNs);
    self.cv.wait_until(lock, deadline, [&] { return self.woken; });
  }
  if (self.woken) return 0;  // the notifier took it off the queue
  auto it = q.byAddress.find(key);
  std::deque<Waiter*>& waiting = it->second;
  for (auto w = waiting.begin(); w != waiting.end(); ++w) {
    if (*w == &self) {
      waiting.erase(w);
      break;
    }
  }
  if (waiting.empty()) q.byAddress.erase(it);
  return 2;
}

template <class T>
struct Wait {
  static void run(Instance* in, Slot* s, uint32_t m, uint64_t offset) {
    T* p = effective<T>(in, s, m, offset);
    if (!in->memories[m]->shared()) raiseTrap(Trap::ExpectedSharedMemory);
    s[0] = waitAt(p, static_cast<T>(s[1]), static_cast<int64_t>(s[2]));
  }
};

/** Wakes up to `count` waiters at the address; how many it woke. No thread waits on an unshared memory. */
void notify(Instance* in, Slot* s, uint32_t m, uint64_t offset) {
  uint32_t* p = effective<uint32_t>(in, s, m, offset);
  auto count = static_cast<uint32_t>(s[1]);
  uint32_t woken = 0;
  if (in->memories[m]->shared() && count > 0) {
    WaitQueues& q = waitQueues();
    std::lock_guard<std::mutex> lock(q.mutex);
    auto it = q.byAddress.find(reinterpret_cast<uintptr_t>(p));
    if (it != q.byAddress.end()) {
      std::deque<Waiter*>& waiting = it->second;
      while (woken < count && !waiting.empty()) {
        Waiter* w = waiting.front();
        waiting.pop_front();
        w->woken = true;
        w->cv.notify_one();
        woken++;
      }
      if (waiting.empty()) q.byAddress.erase(it);
    }
  }
  s[0] = woken;
}

/** The handler of an access of the width the tables' order gives: within each group of seven, i32,
 * i64, then i32's 8 and 16 bits, then i64's 8, 16 and 32 bits. */
template <template <class> class H>
AtomicHandler ofWidth(uint32_t k) {
  switch (k % 7) {
    case 0: case 6: return &H<uint32_t>::run;
    case 1: return &H<uint64_t>::run;
    case 2: case 4: return &H<uint8_t>::run;
    default: return &H<uint16_t>::run;
  }
}

}  // namespace

AtomicHandler atomicHandler(uint32_t code) {
  switch (code) {
    case 0x00: return &notify;
    case 0x01: return &Wait<uint32_t>::run;
    case 0x02: return &Wait<uint64_t>::run;
  }
  if (code < 0x10 || code >= kFeCodes) return nullptr;
  uint32_t k = code - 0x10;  // loads at 0x10, stores at 0x17, then the read-modify-writes from 0x1e
  switch (k / 7) {
    case 0: return ofWidth<Load>(k);
    case 1: return ofWidth<Store>(k);
    case 2: return ofWidth<RmwOf<Rmw::Add>::H>(k);
    case 3: return ofWidth<RmwOf<Rmw::Sub>::H>(k);
    case 4: return ofWidth<RmwOf<Rmw::And>::H>(k);
    case 5: return ofWidth<RmwOf<Rmw::Or>::H>(k);
    case 6: return ofWidth<RmwOf<Rmw::Xor>::H>(k);
    case 7: return ofWidth<RmwOf<Rmw::Xchg>::H>(k);
    default: return ofWidth<Cmpxchg>(k);
  }
}

void atomicFence(Instance*, Slot*, uint32_t, uint64_t) { __atomic_thread_fence(kOrder); }

}  // namespace mitey::rt
