// The SIMD handlers compiled for sse4.1 (see simd_handlers.h); the code is simd_handlers.inc.
// Every header comes before the target pragma: only the handlers are built for sse4.1.
#include <immintrin.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "simd_handlers.h"

#pragma GCC target("sse4.1")

namespace mitey::simd_sse41 {
#include "simd_handlers.inc"
}  // namespace mitey::simd_sse41
