// Which compiled module a code address belongs to, for the collector's walk of JIT frames
// (frame_walk.h): from a return address to the module whose stack maps describe that frame. Other
// threads compile and free modules while one collects, so lookups share a lock that registration
// takes alone. (The signal handler has its own lock-free table of code ranges: trap.cc.)
#pragma once
#include <cstdint>

namespace mitey {

struct CompiledModule;

/** Records the module's code range (cm.code, cm.codeSize); before its code can run. */
void registerModuleCode(const CompiledModule& cm);
/** Forgets it; when the module is freed (no frame of it can be live then). */
void unregisterModuleCode(const CompiledModule& cm);

/** Holds the registry for reading while alive: modules are neither added nor removed meanwhile. */
class CodeRegistryReader {
 public:
  CodeRegistryReader();
  ~CodeRegistryReader();
  CodeRegistryReader(const CodeRegistryReader&) = delete;
  CodeRegistryReader& operator=(const CodeRegistryReader&) = delete;
  /** The module whose code holds `pc`, or null (not JIT code). */
  const CompiledModule* moduleAt(uintptr_t pc) const;
};

}  // namespace mitey
