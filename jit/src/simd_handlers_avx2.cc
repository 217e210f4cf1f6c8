// The SIMD handlers compiled for avx2 (see simd_handlers.h); the code is simd_handlers.inc.
// Every header comes before the target pragma: only the handlers are built for avx2.
#include <immintrin.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "simd_handlers.h"

#pragma GCC target("avx2")

namespace mitey::simd_avx2 {
#include "simd_handlers.inc"
}  // namespace mitey::simd_avx2
