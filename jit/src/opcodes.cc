// Builds the opcode tables from the X-macro lists.
#include "opcodes.h"

#include <array>

namespace mitey {
namespace {

struct Tables {
  std::array<OpInfo, 256> base{};
  std::array<OpInfo, 32> fc{};
  std::array<OpInfo, kFdCodes> fd{};
  std::array<OpInfo, kFeCodes> fe{};
  std::array<OpInfo, kFbCodes> fb{};
  Tables() {
#define BASE_OP(code, name, imm, arg, sig) base[code] = OpInfo{name, Imm::imm, arg, sig};
#include "opcodes_base.inc"
#undef BASE_OP
#define FC_OP(code, name, imm, arg, sig) fc[code] = OpInfo{name, Imm::imm, arg, sig};
#include "opcodes_fc.inc"
#undef FC_OP
#define SIMD_OP(code, name, imm, arg, sig) fd[code] = OpInfo{name, Imm::imm, arg, sig};
#include "opcodes_simd.inc"
#undef SIMD_OP
#define ATOMIC_OP(code, name, imm, arg, sig) fe[code] = OpInfo{name, Imm::imm, arg, sig};
#include "opcodes_atomic.inc"
#undef ATOMIC_OP
#define GC_OP(code, name, imm, arg, sig) fb[code] = OpInfo{name, Imm::imm, arg, sig};
#include "opcodes_gc.inc"
#undef GC_OP
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

const OpInfo kNone{};

}  // namespace

const OpInfo& opInfo(uint32_t prefix, uint32_t code) {
  const Tables& t = tables();
  if (prefix == 0) return code < t.base.size() ? t.base[code] : kNone;
  if (prefix == kPrefixFC) return code < t.fc.size() ? t.fc[code] : kNone;
  if (prefix == kPrefixFD) return code < t.fd.size() ? t.fd[code] : kNone;
  if (prefix == kPrefixFE) return code < t.fe.size() ? t.fe[code] : kNone;
  if (prefix == kPrefixFB) return code < t.fb.size() ? t.fb[code] : kNone;
  return kNone;
}

}  // namespace mitey
