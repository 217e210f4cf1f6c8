// The macro-assembler interface of tier 1: what the target-independent compiler (codegen.cc) asks
// of a machine. The vocabulary (registers by role, conditions, operations, memory access kinds,
// labels) is ISA-neutral; each ISA implements the operations in its own folder (x64/ today) and
// one line below chooses the implementation at compile time: no virtual call per instruction.
// The concept `MacroAssemblerFor` lists the operations and is checked against the implementation.
//
// Model: a function's code sees three pinned registers (Instance, Frame = the base of its frame of
// 8-byte units on the wasm value stack, Memory = the base of memory 0), an integer accumulator
// (Reg::Acc) and a float/vector accumulator (FpReg::Acc) that may cache the top value of the
// operand stack, and a few scratch registers. A handler call clobbers every non-pinned register.
// Argument registers may alias scratch registers (x64: Arg2 = Scratch2, Arg3 = Scratch1): set
// them last, just before the call.
#pragma once
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mitey {

/** Integer registers by role; an ISA maps each role to one machine register. */
enum class Reg : uint8_t {
  Acc,       // the integer accumulator: operands and results of inline code; caches the top value
  Scratch1,  // a temporary (also the shift count on x64)
  Scratch2,  // a temporary (the value of a memory store, a lane)
  Arg0, Arg1, Arg2, Arg3,   // a handler's first arguments
  Instance, Frame, Memory,  // pinned for the whole function (callee-saved)
  Cache0, Cache1, Cache2,   // values kept between instructions (caller-saved: written out before any call)
  Local0, Local1,           // copies of integer locals (caller-saved: forgotten at any call; may alias Arg0, Arg1)
};
constexpr int kLocalIntRegs = 2;
constexpr int kCacheRegs = 3;

/** Float / vector registers by role. */
enum class FpReg : uint8_t {
  Acc,      // caches the top value (an f32/f64 in its low bits, or a whole v128)
  Scratch,  // the second operand of inline float and v128 operations
  Cache0, Cache1, Cache2,  // f32/f64 values kept between instructions (caller-saved: written out before any call)
  Local0, Local1, Local2, Local3, Local4, Local5,  // copies of f32/f64 locals (caller-saved: forgotten at any call)
};
constexpr int kLocalFpRegs = 6;

/** Conditions after a compare or test, in the order of wasm's integer comparisons (eq ne lt_s lt_u
 * gt_s gt_u le_s le_u ge_s ge_u): the comparison opcode minus i32.eq's is its condition. */
enum class Cond : uint8_t { Eq, Ne, LtS, LtU, GtS, GtU, LeS, LeU, GeS, GeU };

constexpr Cond negate(Cond c) {
  constexpr Cond kNegated[] = {Cond::Ne, Cond::Eq, Cond::GeS, Cond::GeU, Cond::LeS, Cond::LeU, Cond::GtS, Cond::GtU, Cond::LtS, Cond::LtU};
  return kNegated[static_cast<int>(c)];
}

/** Two-operand integer operations (Cmp sets the flags only). */
enum class IntOp : uint8_t { Add, Or, And, Sub, Xor, Cmp };
/** Shifts and rotates; the count is taken modulo the width, as wasm wants. */
enum class ShiftOp : uint8_t { Shl, ShrS, ShrU, Rotl, Rotr };
/** Scalar float operations with IEEE results and quiet NaNs. */
enum class FloatOp : uint8_t { Add, Sub, Mul, Div };
/** f32/f64 comparisons, in wasm's order (eq ne lt gt le ge). */
enum class FloatCmp : uint8_t { Eq, Ne, Lt, Gt, Le, Ge };

/** An access to linear memory: its width and extension. Loads into an integer register zero-extend
 * to 64 bits unless they say S32 (sign-extend to 32, then zero to 64) or S64. */
enum class MemKind : uint8_t {
  Load8U, Load8S32, Load8S64, Load16U, Load16S32, Load16S64, Load32, Load32S64, Load64,
  Store8, Store16, Store32, Store64,
  LoadV128, StoreV128,  // through an FpReg, no alignment needed
  LoadV64Zero, LoadV32Zero,  // 8 or 4 bytes into the low lanes of an FpReg, the rest zeroed (an f64 or f32 load)
  StoreFp64, StoreFp32,      // the low 8 or 4 bytes of an FpReg (an f64 or f32 store)
};

/** The bytes an access of this kind touches. */
constexpr uint32_t accessBytes(MemKind k) {
  switch (k) {
    case MemKind::Load8U: case MemKind::Load8S32: case MemKind::Load8S64: case MemKind::Store8: return 1;
    case MemKind::Load16U: case MemKind::Load16S32: case MemKind::Load16S64: case MemKind::Store16: return 2;
    case MemKind::Load32: case MemKind::Load32S64: case MemKind::Store32: case MemKind::LoadV32Zero: case MemKind::StoreFp32: return 4;
    case MemKind::Load64: case MemKind::Store64: case MemKind::LoadV64Zero: case MemKind::StoreFp64: return 8;
    case MemKind::LoadV128: case MemKind::StoreV128: return 16;
  }
  return 16;
}

/** How accesses to linear memory stay in bounds. GuardPages: every 32-bit address plus offset falls
 * inside the memory's reservation, and a fault beyond its size is a trap (tier 1 today).
 * ExplicitCheck (memory64, later): a compare with the size before the access. */
enum class BoundsPolicy : uint8_t { GuardPages, ExplicitCheck };

constexpr size_t kUnboundLabel = ~size_t(0);

/** A position in the code, bound once; jumps to it before that wait in `patches` (ISA-specific fields). */
struct Label {
  size_t pos = kUnboundLabel;
  std::vector<size_t> patches;
};

/** A br_table's jump table: `n` entries and the default, each bound in turn with bindJumpTableEntry. */
struct JumpTable {
  size_t table = 0;
  size_t defaultPatch = 0;
  uint32_t n = 0;
};

/** The operations tier 1 needs (M: an ISA's MacroAssembler). Displacements are bytes from a base register. */
template <typename M>
concept MacroAssemblerFor = requires(M m, const M cm, Reg r, FpReg f, Cond c, Label& l, const JumpTable& jt, int32_t d, uint64_t u, bool w,
                                     const void* fn) {
  // Code buffer
  { cm.pos() } -> std::same_as<size_t>;
  m.alignFunctionEntry();
  // Prologue (saves, pinned registers from Arg0 = instance and Arg1 = frame, native and value stack
  // checks jumping to `l`), the frame size once known, epilogue, a trap's end
  { m.prologue(l) } -> std::same_as<size_t>;
  m.setFrameSize(u, 0u);
  m.epilogue();
  m.illegal();
  // Moves, frame slots, locals and constants
  m.move(r, r);
  m.movImm(r, u);
  m.zero(r);
  m.load64(r, r, d);
  m.load32(r, r, d);
  m.store64(r, d, r);
  m.storeImm64(r, d, d);
  m.addressOf(r, r, d);
  m.loadFloat(w, f, r, d);
  m.storeFp64(r, d, f);
  m.loadV128(f, r, d);
  m.storeV128(r, d, f);
  m.moveFp(f, f);
  // Integer and float operations, with a register, a slot or an immediate
  m.intOp(IntOp::Add, r, r, w);
  m.intOpMem(IntOp::Add, r, r, d, w);
  m.intOpImm(IntOp::Add, r, d, w);
  m.mulMem(r, r, d, w);
  m.mul(r, r, w);
  m.mulImm(r, r, d, w);
  m.shift(ShiftOp::Shl, r, r, w);
  m.testZero(r, w);
  m.setCond(c, r);
  m.floatOp(FloatOp::Add, w, f, f);
  m.floatOpMem(FloatOp::Add, w, f, r, d);
  // Conversions: bits between integer and float registers, integer to float, f32 to and from f64
  m.fpBitsToInt(w, r, f);
  m.intBitsToFp(w, f, r);
  m.intToFloat(w, w, f, r);
  m.floatToFloat(w, f, f);
  m.floatSqrt(w, f, f);
  m.floatCompareFlags(w, f, f);
  // Labels, jumps, compare-and-branch (after intOp Cmp / testZero)
  m.bind(l);
  m.jump(l);
  m.branch(c, l);
  { m.jumpTable(r, 0u) } -> std::same_as<JumpTable>;
  m.bindJumpTableEntry(jt, 0u);
  // Calls: handlers (absolute), direct calls within the module (patched later), indirect
  m.callHandler(fn);
  { m.callDirect() } -> std::same_as<size_t>;
  m.patchDirectCall(u, u);
  m.callIndirect(r);
  m.callIndirectReturnedByJump(r);
  // Tail calls: the epilogue without its return, then a jump (direct: patched as a direct call)
  { m.tailJumpDirect() } -> std::same_as<size_t>;
  m.tailJumpIndirect(r);
  // Linear memory at base + address + offset (base: Reg::Memory for memory 0, else a memory's base loaded
  // into a register); guard pages catch a 32-bit memory's faults, an explicit check guards the others
  m.load(MemKind::Load32, r, r, r, d);
  m.store(MemKind::Store32, r, r, r, d);
  m.loadVector(MemKind::LoadV128, f, r, r, d);
  m.storeVector(MemKind::StoreV128, f, r, r, d);
  m.addConst(r, u);
  m.checkBounds(r, u, r, d, l);
  { M::kBoundsPolicy } -> std::convertible_to<BoundsPolicy>;
  // Exception handlers: a try's record in the frame, the thread's chain head through the instance
  m.enterHandler(d, d, l);
  m.leaveHandler(d, d);
  m.setHandler(d, d);
  // v128 binary operations done inline (FpReg::Acc = Acc op Scratch), by 0xFD opcode
  { M::hasV128Inline(0u) } -> std::same_as<bool>;
  { M::v128InlineSwapped(0u) } -> std::same_as<bool>;
  m.v128Inline(0u);
};

}  // namespace mitey

#if defined(__x86_64__)
#include "x64/macro_assembler.h"
namespace mitey {
using MacroAssembler = x64::MacroAssembler;
}
#else
#error "tier 1 has a macro-assembler for x86-64 only (arm64 comes later)"
#endif

namespace mitey {
static_assert(MacroAssemblerFor<MacroAssembler>);
}
