// Handlers for the threads proposal's 0xFE instructions, called from tier-1 code as the instance
// handlers are (runtime_handlers.h): the instance, the first operand's slot, the memory index and the
// memarg's offset. Every access is sequentially consistent; an effective address its size does not
// divide traps "unaligned atomic" (before the bounds check, as the reference interpreter orders them).
#pragma once
#include <cstdint>

#include "instance.h"

namespace mitey::rt {

using AtomicHandler = void (*)(Instance* in, Slot* s, uint32_t memory, uint64_t offset);

/** The handler of a 0xFE opcode with a memarg, by its code (below kFeCodes); null for any other. */
AtomicHandler atomicHandler(uint32_t code);

/** atomic.fence. */
void atomicFence(Instance* in, Slot* s, uint32_t, uint64_t);

}  // namespace mitey::rt
