// Chooses the SIMD handler build for this CPU, once.
#include "simd_handlers.h"

#include <cstdlib>
#include <cstring>

namespace mitey {

bool simdAvailable() { return __builtin_cpu_supports("sse4.1"); }

const SimdTable& simdTable() {
  static const SimdTable table = [] {
    SimdTable t{};
    const char* force = std::getenv("MITEY_JIT_SIMD");
    bool floor = force && std::strcmp(force, "sse4.1") == 0;
    if (!floor && __builtin_cpu_supports("avx2")) {
      t.isa = "avx2";
      simd_avx2::fill(t);
    } else {
      t.isa = "sse4.1";
      simd_sse41::fill(t);
    }
    return t;
  }();
  return table;
}

}  // namespace mitey
