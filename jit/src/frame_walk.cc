#include "frame_walk.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "activation.h"
#include "code_registry.h"
#include "instance.h"

namespace mitey {

namespace {

// x86-64 (see frame_walk.h): 8-byte slots from the return address's slot p.
constexpr size_t kCallerFrameSlot = 2;   // p + 16: the saved r12
constexpr size_t kCallerReturnSlot = 4;  // p + 32

[[noreturn]] void corrupt(const char* what) {
  std::fprintf(stderr, "mitey JIT: the collector's frame walk found %s; aborting rather than freeing live objects\n", what);
  std::abort();
}

/** One activation's frames, innermost first, from the call in progress at `at`. */
void walkActivation(const CodeRegistryReader& code, JitSite at, GcWordVisitor& v) {
  void* const* p = at.returnSlot;
  const Slot* frame = nullptr;  // the frame's base, once known (the first from the map)
  for (bool first = true;; first = false) {
    auto ret = reinterpret_cast<uintptr_t>(*p);
    const CompiledModule* cm = code.moduleAt(ret);
    if (!cm) {
      if (first) corrupt("a call in progress that does not return into JIT code");
      return;  // the C++ that entered wasm
    }
    if (const StackMap* m = cm->stackMaps.at(static_cast<uint32_t>(ret - reinterpret_cast<uintptr_t>(cm->code)))) {
      const Slot* base = first ? at.operands - m->operandUnit : frame;
      const uint32_t* slots = &cm->stackMaps.slots[m->first];
      for (uint32_t i = 0; i < m->count; i++) v.references(base + slots[i], 1);
    }
    Slot callerFrame;
    std::memcpy(&callerFrame, p + kCallerFrameSlot, sizeof callerFrame);
    frame = reinterpret_cast<const Slot*>(callerFrame);
    p += kCallerReturnSlot;
  }
}

}  // namespace

void visitJitFrameRoots(const ThreadState& ts, const JitSite* site, GcWordVisitor& v) {
  if (!ts.activation) return;
  CodeRegistryReader code;
  for (const Activation* a = ts.activation; a; a = a->prev) {
    if (a == ts.activation && site) walkActivation(code, *site, v);
    else if (a->exitReturnSlot) walkActivation(code, {a->exitReturnSlot, a->exitOperands}, v);
    // Else no JIT frame of it is in a call that could collect: it has none yet (or none left).
  }
}

}  // namespace mitey
