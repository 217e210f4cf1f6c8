// The opcode visitor: one dispatch over decoded instructions, generated from the opcode tables
// (opcodes_base.inc, opcodes_fc.inc, opcodes_simd.inc, opcodes_atomic.inc, opcodes_gc.inc), so a pass over instructions names opcodes
// and never switches on raw opcode numbers.
//
//   op("local.get")        the opcode key (instr.h) of a table name, at compile time; a name the
//                          tables do not have does not compile. op("select", 1): the second entry of
//                          that name (select t*).
//   opInfoOf<K>            the table entry (name, immediate, arg, signature) of key K, constexpr.
//   visitOpcode(in, v)     calls, for the key of `in`, the first of these that `v` has:
//                            v.on(in, OpTag<K>{})                 one opcode
//                            v.group(in, opInfoOf<K>, ImmTag<I>{}) the opcode's group: the tables
//                                                                  group opcodes by immediate kind I
//                                                                  (Special: typed one by one)
//                            v.unsupported(in)                     anything else, and keys that are
//                                                                  in no table
// The visitor's methods must be reachable from here (public, or the visitor befriends
// mitey::OpcodeDispatch): an unreachable one counts as absent.
#pragma once
#include <cstdint>
#include <iterator>
#include <string_view>
#include <utility>

#include "instr.h"
#include "opcodes.h"

namespace mitey {

struct OpEntry {
  uint16_t key;
  OpInfo info;
};

/** Every opcode of the tables, in table order, keyed as Instr::op is (instr.h). */
inline constexpr OpEntry kOpEntries[] = {
#define BASE_OP(code, name, imm, arg, sig) {static_cast<uint16_t>(code), OpInfo{name, Imm::imm, arg, sig}},
#include "opcodes_base.inc"
#undef BASE_OP
#define FC_OP(code, name, imm, arg, sig) {static_cast<uint16_t>(kKeyFC + (code)), OpInfo{name, Imm::imm, arg, sig}},
#include "opcodes_fc.inc"
#undef FC_OP
#define SIMD_OP(code, name, imm, arg, sig) {static_cast<uint16_t>(kKeyFD + (code)), OpInfo{name, Imm::imm, arg, sig}},
#include "opcodes_simd.inc"
#undef SIMD_OP
#define ATOMIC_OP(code, name, imm, arg, sig) {static_cast<uint16_t>(kKeyFE + (code)), OpInfo{name, Imm::imm, arg, sig}},
#include "opcodes_atomic.inc"
#undef ATOMIC_OP
#define GC_OP(code, name, imm, arg, sig) {static_cast<uint16_t>(kKeyFB + (code)), OpInfo{name, Imm::imm, arg, sig}},
#include "opcodes_gc.inc"
#undef GC_OP
};

/** The key of the `nth` (from 0) table entry named `name`. */
consteval uint16_t op(std::string_view name, unsigned nth = 0) {
  for (const OpEntry& e : kOpEntries) {
    if (std::string_view(e.info.name) == name && nth-- == 0) return e.key;
  }
  throw "no such opcode in the tables";  // not a constant expression: a compile error
}

consteval const OpInfo& opInfoAt(uint16_t key) {
  for (const OpEntry& e : kOpEntries) {
    if (e.key == key) return e.info;
  }
  throw "no such opcode key in the tables";
}

template <uint16_t K>
inline constexpr const OpInfo& opInfoOf = opInfoAt(K);

template <uint16_t K>
struct OpTag {
  static constexpr uint16_t key = K;
};

template <Imm I>
struct ImmTag {
  static constexpr Imm imm = I;
};

struct OpcodeDispatch {
  template <uint16_t K, class V, class I>
  static decltype(auto) one(I& in, V& v) {
    constexpr const OpInfo& info = opInfoOf<K>;
    if constexpr (requires { v.on(in, OpTag<K>{}); }) {
      return v.on(in, OpTag<K>{});
    } else if constexpr (requires { v.group(in, info, ImmTag<info.imm>{}); }) {
      return v.group(in, info, ImmTag<info.imm>{});
    } else {
      return v.unsupported(in);
    }
  }

  /** Whether V has a method (one opcode's, or its group's) for opcode key K. */
  template <uint16_t K, class V, class I>
  static consteval bool handles() {
    constexpr const OpInfo& info = opInfoOf<K>;
    return requires(V& v, I& in) { v.on(in, OpTag<K>{}); } || requires(V& v, I& in) { v.group(in, info, ImmTag<info.imm>{}); };
  }

  /** Whether V has a method for every opcode of the tables (none goes to unsupported). */
  template <class V, class I, size_t... N>
  static consteval bool handlesAll(std::index_sequence<N...>) {
    return (handles<kOpEntries[N].key, V, I>() && ...);
  }

  template <class V, class I>
  static consteval bool handlesAll() {
    return handlesAll<V, I>(std::make_index_sequence<std::size(kOpEntries)>{});
  }

  template <class V, class I>
  static decltype(auto) visit(I& in, V& v) {
    switch (in.op) {
#define BASE_OP(code, name, imm, arg, sig) \
  case (code): return one<static_cast<uint16_t>(code)>(in, v);
#include "opcodes_base.inc"
#undef BASE_OP
#define FC_OP(code, name, imm, arg, sig) \
  case kKeyFC + (code): return one<static_cast<uint16_t>(kKeyFC + (code))>(in, v);
#include "opcodes_fc.inc"
#undef FC_OP
#define SIMD_OP(code, name, imm, arg, sig) \
  case kKeyFD + (code): return one<static_cast<uint16_t>(kKeyFD + (code))>(in, v);
#include "opcodes_simd.inc"
#undef SIMD_OP
#define ATOMIC_OP(code, name, imm, arg, sig) \
  case kKeyFE + (code): return one<static_cast<uint16_t>(kKeyFE + (code))>(in, v);
#include "opcodes_atomic.inc"
#undef ATOMIC_OP
#define GC_OP(code, name, imm, arg, sig) \
  case kKeyFB + (code): return one<static_cast<uint16_t>(kKeyFB + (code))>(in, v);
#include "opcodes_gc.inc"
#undef GC_OP
      default: return v.unsupported(in);
    }
  }
};

/** Calls the visitor's method for the instruction's opcode (see above). `I` is Instr or const Instr. */
template <class V, class I>
decltype(auto) visitOpcode(I& in, V& v) {
  return OpcodeDispatch::visit(in, v);
}

}  // namespace mitey
