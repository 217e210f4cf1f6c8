// What tier 1 does not run yet: GC values (references of the any hierarchy: any, eq, i31, struct,
// array, none, concrete struct and array types) and the instructions that make or use them (0xFB,
// ref.eq). Such modules decode and validate; compiling one is unsupported until the runtime (heap
// objects, the collector) lands. Modules that only declare GC types (rec groups, struct types no
// code touches, subtyping of function types) compile and run.
#pragma once
#include "module.h"

namespace mitey {

/** Throws "unsupported" (WasmError) when a module has a GC value or instruction anywhere it would run. */
void requireNoGcValues(const Module& m);

}  // namespace mitey
