// Traps: how a trap leaves JIT code (for the innermost entry's main side) and what it says.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "activation.h"

namespace mitey {

enum class Trap : uint8_t {
  Unreachable,
  DivideByZero,
  IntegerOverflow,
  InvalidConversion,
  OutOfBoundsMemory,
  OutOfBoundsTable,
  UndefinedElement,
  UninitializedElement,
  IndirectCallTypeMismatch,
  CallStackExhausted,
  HostException,  // a JS exception thrown by an imported function, left pending for the caller
  NullFunctionReference,  // call_ref of null
  NullReference,          // ref.as_non_null of null
  NullExceptionReference, // throw_ref of null
  Exception,              // a wasm exception left the activation uncaught (ThreadState::pendingException)
  UnalignedAtomic,        // an atomic access at an address its size does not divide
  ExpectedSharedMemory,   // memory.atomic.wait on an unshared memory
  NullStructReference,    // GC: struct.get/set of null
  NullArrayReference,     // GC: an array instruction on null
  NullI31Reference,       // GC: i31.get of null
  OutOfBoundsArray,       // GC: an index or range past an array's length
  CastFailure,            // GC: ref.cast of a value not of the type
  ArrayTooLarge,          // GC: an allocation beyond kMaxGcObjectBytes, or out of memory
  kCount,
};

/** The spec's message for a trap (what the testsuite's assert_trap expects). */
/** The spec's words for a trap; element traps name the element index (raiseElementTrap). */
std::string trapMessage(Trap t);

[[noreturn]] void raiseTrap(Trap t);
/** An undefined or uninitialized element trap, remembering the index for the message. */
[[noreturn]] void raiseElementTrap(Trap t, uint64_t index);

/** This thread's innermost activation, or null when no wasm code runs on it. */
Activation*& currentActivation();

/**
 * Installs the SIGSEGV/SIGBUS handler once per process, whichever thread asks first; faults
 * outside our code go to the handler it replaced.
 */
void installSignalHandlers();

/**
 * Registers a range of JIT code, so that faults there become traps. Any thread may register while
 * the signal handler reads on another. False when the (fixed, signal-safe) table is full: that
 * code must not run, or a fault in it would crash the process.
 */
bool registerCode(const uint8_t* start, size_t size);
void unregisterCode(const uint8_t* start);
/** Registers a linear memory's whole reservation: faults in JIT code that land there are out-of-bounds traps. */
bool registerMemory(const uint8_t* start, size_t size);
void unregisterMemory(const uint8_t* start);

}  // namespace mitey
