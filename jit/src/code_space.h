// Address space for modules' machine code. Code is written straight into the pages it runs from
// (code_buffer.h), reserved for a bound on its size and trimmed to what was written. Reservations go
// within reach of a 32-bit displacement from the addon wherever the address space allows (calls to
// handlers are then 5-byte call rel32s) and one after another: the next module's pages start where
// the last one's trimmed code ends, so many small modules stay a few merged mappings rather than one
// mapping and a hole each (the kernel's limit is 65,530 mappings a process).
#pragma once
#include <cstddef>
#include <cstdint>

namespace mitey {

/** `size` bytes (whole pages) read+write, backed only where written. Throws ResourceError. */
uint8_t* reserveCodePages(size_t size);

/** The reservation at `base` of `size` bytes keeps its first `kept` bytes (whole pages); the rest is unmapped. */
void trimCodePages(uint8_t* base, size_t size, size_t kept);

}  // namespace mitey
