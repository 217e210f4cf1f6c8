// The x86-64 macro-assembler of tier 1 (include "macro_assembler.h", not this file). Register roles:
// Acc = rax, Scratch1 = rcx, Scratch2 = rdx, Arg0..Arg3 = rdi rsi rdx rcx (System V), Instance =
// rbx, Frame = r12, Memory = r13, Cache0..2 = r8 r9 r10, Local0..1 = rdi rsi (set only between calls); FpReg::Acc = xmm0, FpReg::Scratch = xmm1,
// FpReg::Cache0..2 = xmm2 xmm3 xmm4, FpReg::Local0..5 = xmm5..xmm10. Small operations are
// inline here; the prologue, jump tables and the v128 table are in macro_assembler.cc.
#pragma once
#include "../macro_assembler.h"
#include "assembler.h"

namespace mitey::x64 {

class MacroAssembler {
 public:
  static constexpr BoundsPolicy kBoundsPolicy = BoundsPolicy::GuardPages;  // and ExplicitCheck (checkBounds) per memory

  explicit MacroAssembler(CodeBuffer& buf) : a_(buf) {}
  size_t pos() const { return a_.pos(); }
  void alignFunctionEntry() {
    while (a_.pos() % 16) a_.byte(0xcc);  // int3 padding
  }

  // ---- prologue, epilogue ----------------------------------------------------------------------
  /** Saves the pinned registers and sets them, checks the native and the value stack (the frame's
   * size is patched in later: returns where); a failed check jumps to `exhausted`. */
  size_t prologue(Label& exhausted);
  void setFrameSize(size_t patch, uint32_t bytes) { a_.patchU32(patch, bytes); }
  void epilogue() {
    restoreSaved();
    a_.ret();
  }
  void illegal() { a_.ud2(); }

  // ---- moves ------------------------------------------------------------------------------------
  void move(Reg dst, Reg src) { a_.movRR(gp(dst), gp(src)); }
  /** r = its low 32 bits, zero-extended (mov r32, r32). */
  void zeroExtend32(Reg r) { a_.movRR(gp(r), gp(r), false); }
  /** r = its low 32 bits, sign-extended. */
  void signExtend32(Reg r) { a_.movsxdRR(gp(r), gp(r)); }
  void movImm(Reg dst, uint64_t v) { a_.movImm64(gp(dst), v); }
  /** dst = 0 (32-bit xor: zero-extends). */
  void zero(Reg r) { a_.alu(Alu::Xor, gp(r), gp(r), false); }
  void load64(Reg dst, Reg base, int32_t disp) { a_.load64(gp(dst), gp(base), disp); }
  /** 32 bits, zero-extended. */
  void load32(Reg dst, Reg base, int32_t disp) { a_.load32(gp(dst), gp(base), disp); }
  void store64(Reg base, int32_t disp, Reg src) { a_.store64(gp(base), disp, gp(src)); }
  /** A 64-bit store of a sign-extended 32-bit immediate. */
  void storeImm64(Reg base, int32_t disp, int32_t v) { a_.storeImm64(gp(base), disp, v); }
  void addressOf(Reg dst, Reg base, int32_t disp) { a_.lea(gp(dst), gp(base), disp); }
  /** movss / movsd from memory (the rest of the register zeroed). */
  void loadFloat(bool f64, FpReg dst, Reg base, int32_t disp) { a_.sse(f64 ? 0xf2 : 0xf3, 0x10, xmm(dst), gp(base), disp); }
  /** The low 64 bits (movq m64, xmm): an f32 or f64 in an 8-byte unit. */
  void storeFp64(Reg base, int32_t disp, FpReg src) { a_.sse(0x66, 0xd6, xmm(src), gp(base), disp); }
  void loadV128(FpReg dst, Reg base, int32_t disp) { a_.sse(0xf3, 0x6f, xmm(dst), gp(base), disp); }  // movdqu
  void storeV128(Reg base, int32_t disp, FpReg src) { a_.sse(0xf3, 0x7f, xmm(src), gp(base), disp); }
  void moveFp(FpReg dst, FpReg src) { a_.sseRR(0, false, 0x28, xmm(dst), xmm(src)); }  // movaps

  // ---- arithmetic -------------------------------------------------------------------------------
  // 32-bit forms (wide = false) zero-extend their result into the 64-bit register.
  void intOp(IntOp op, Reg dst, Reg src, bool wide) { a_.alu(alu(op), gp(dst), gp(src), wide); }
  void intOpMem(IntOp op, Reg dst, Reg base, int32_t disp, bool wide) { a_.aluMem(alu(op), gp(dst), gp(base), disp, wide); }
  void intOpImm(IntOp op, Reg dst, int32_t v, bool wide) { a_.aluImm(alu(op), gp(dst), v, wide); }
  void mulMem(Reg dst, Reg base, int32_t disp, bool wide) { a_.imulMem(gp(dst), gp(base), disp, wide); }
  void mul(Reg dst, Reg src, bool wide) { a_.imulRR(gp(dst), gp(src), wide); }
  /** dst = src * v (imul with an immediate). */
  void mulImm(Reg dst, Reg src, int32_t v, bool wide) { a_.imulImm(gp(dst), gp(src), v, wide); }
  /** dst = dst op count; on x64 the count must be in Scratch1 (cl). */
  void shift(ShiftOp op, Reg dst, Reg count, bool wide) {
    constexpr Assembler::Shift kShift[] = {Assembler::Shift::Shl, Assembler::Shift::Sar, Assembler::Shift::Shr, Assembler::Shift::Rol,
                                           Assembler::Shift::Ror};
    (void)count;  // rcx by the register mapping
    a_.shiftCl(kShift[static_cast<int>(op)], gp(dst), wide);
  }
  /** Flags for r == 0 (Cond::Eq) / r != 0 (Cond::Ne). */
  void testZero(Reg r, bool wide) { a_.test(gp(r), gp(r), wide); }
  /** r = the condition of the last compare or test as 0 or 1. */
  void setCond(Cond c, Reg r) { a_.setcc(cc(c), gp(r)); }
  /**
   * dst = (a cond b) as 0 or 1, for f32/f64: ucomiss/ucomisd, then setcc. Unordered (a NaN) sets ZF, PF and CF, so
   * "above" conditions (with the operands swapped for lt and le) are false then; eq also needs PF clear, ne is true.
   * Clobbers Scratch1.
   */
  void floatCompare(FloatCmp c, bool f64, Reg dst, FpReg a, FpReg b) {
    auto ucomis = [&](FpReg x, FpReg y) { a_.sseRR(f64 ? 0x66 : 0, false, 0x2e, xmm(x), xmm(y)); };
    switch (c) {
      case FloatCmp::Eq:
      case FloatCmp::Ne: {
        bool eq = c == FloatCmp::Eq;
        ucomis(a, b);
        a_.setcc(eq ? kE : kNE, gp(dst));
        a_.setcc(eq ? kNP : kP, gp(Reg::Scratch1));
        a_.alu(eq ? Alu::And : Alu::Or, gp(dst), gp(Reg::Scratch1), false);
        return;
      }
      case FloatCmp::Lt: ucomis(b, a); return a_.setcc(kA, gp(dst));
      case FloatCmp::Gt: ucomis(a, b); return a_.setcc(kA, gp(dst));
      case FloatCmp::Le: ucomis(b, a); return a_.setcc(kAE, gp(dst));
      case FloatCmp::Ge: ucomis(a, b); return a_.setcc(kAE, gp(dst));
    }
  }
  /** dst = the bits of src's low 32 (64 when wide) bits, zero-extended (movd / movq r, xmm). */
  void fpBitsToInt(bool wide, Reg dst, FpReg src) { a_.sseGp(0x66, wide, 0x7e, xmm(src), gp(dst)); }
  /** dst = the low 32 (64 when wide) bits of src, the rest zeroed (movd / movq xmm, r). */
  void intBitsToFp(bool wide, FpReg dst, Reg src) { a_.sseGp(0x66, wide, 0x6e, xmm(dst), gp(src)); }
  /** dst = src, a signed 32- or 64-bit integer (srcWide), as f32 or f64, rounded to nearest (cvtsi2ss / cvtsi2sd;
   * dst zeroed first: the instruction keeps its upper lanes, a false dependency otherwise). */
  void intToFloat(bool srcWide, bool f64, FpReg dst, Reg src) {
    a_.sseRR(0, false, 0x57, xmm(dst), xmm(dst));  // xorps
    a_.sseGp(f64 ? 0xf2 : 0xf3, srcWide, 0x2a, xmm(dst), gp(src));
  }
  /** dst = src converted between f32 and f64 (cvtss2sd when toF64, else cvtsd2ss); a NaN stays a NaN, quieted. */
  void floatToFloat(bool toF64, FpReg dst, FpReg src) { a_.sseRR(toF64 ? 0xf3 : 0xf2, false, 0x5a, xmm(dst), xmm(src)); }
  /** Flags for an f32/f64 compare of a with b (ucomiss / ucomisd): "above" (Cond::GtU) a > b, "above or equal"
   * (GeU) a >= b, both false when either is a NaN. */
  void floatCompareFlags(bool f64, FpReg a, FpReg b) { a_.sseRR(f64 ? 0x66 : 0, false, 0x2e, xmm(a), xmm(b)); }
  /** dst = sqrt(src), f32 or f64, correctly rounded (sqrtss / sqrtsd). */
  void floatSqrt(bool f64, FpReg dst, FpReg src) { a_.sseRR(f64 ? 0xf2 : 0xf3, false, 0x51, xmm(dst), xmm(src)); }
  void floatOp(FloatOp op, bool f64, FpReg dst, FpReg src) { a_.sseRR(f64 ? 0xf2 : 0xf3, false, sseOp(op), xmm(dst), xmm(src)); }
  void floatOpMem(FloatOp op, bool f64, FpReg dst, Reg base, int32_t disp) { a_.sse(f64 ? 0xf2 : 0xf3, sseOp(op), xmm(dst), gp(base), disp); }

  // ---- labels and jumps -------------------------------------------------------------------------
  void bind(Label& l) {
    l.pos = a_.pos();
    for (size_t p : l.patches) a_.patch(p, l.pos);
    l.patches.clear();
  }
  void jump(Label& l) {
    if (l.pos != kUnboundLabel) return a_.jmpTo(l.pos);  // backwards: a short form when it reaches
    l.patches.push_back(a_.jmpRel());
  }
  void branch(Cond c, Label& l) { branchCC(cc(c), l); }
  /** Jumps through a table by the 32-bit index in `index` (clobbers it and Scratch1; on x64 the
   * index must be Acc); an index of n or more goes to the default. The entries are bound with
   * bindJumpTableEntry. */
  JumpTable jumpTable(Reg index, uint32_t n);
  /** Entry i (i == n: the default) is the current position. */
  void bindJumpTableEntry(const JumpTable& t, uint32_t i) {
    size_t here = a_.pos();
    if (i < t.n) a_.patchU32(t.table + 4 * i, static_cast<uint32_t>(here - t.table));
    else a_.patch(t.defaultPatch, here);
  }

  // ---- calls ------------------------------------------------------------------------------------
  /** Calls an absolute address (a handler in the addon: call rel32 when in reach); clobbers Acc. */
  void callHandler(const void* fn) { a_.callAbs(fn); }
  /** A call to a position in this buffer, patched with patchDirectCall; returns what to patch. */
  size_t callDirect() { return a_.callRel(); }
  /** Patches a callDirect or tailJumpDirect. */
  void patchDirectCall(size_t at, size_t target) { a_.patch(at, target); }
  void callIndirect(Reg target) { a_.callReg(gp(target)); }
  /** The same without the return predictor: the return address pushed, then a jump (r11 is free here). */
  void callIndirectReturnedByJump(Reg target) {
    size_t rel = a_.leaRip(R11);
    a_.push(R11);
    a_.jmpReg(gp(target));
    a_.patch(rel, a_.pos());
  }
  /** A tail call: the saved registers restored as by the epilogue, then a jump to a position in this
   * buffer (patched with patchDirectCall); the callee returns to this function's caller. */
  size_t tailJumpDirect() {
    restoreSaved();
    return a_.jmpRel();
  }
  /** The same to an address in `target` (not a pinned register: those are restored first). */
  void tailJumpIndirect(Reg target) {
    restoreSaved();
    a_.jmpReg(gp(target));
  }

  // ---- linear memory ----------------------------------------------------------------------------
  // [base + addr + offset]: base a memory's base (Reg::Memory for memory 0), addr the address.
  void load(MemKind k, Reg dst, Reg base, Reg addr, int32_t offset) { a_.memAccess(memOp(k), gp(dst), gp(base), gp(addr), offset); }
  void store(MemKind k, Reg src, Reg base, Reg addr, int32_t offset) { a_.memAccess(memOp(k), gp(src), gp(base), gp(addr), offset); }
  void loadVector(MemKind k, FpReg dst, Reg base, Reg addr, int32_t offset) { a_.memAccess(memOp(k), static_cast<Gp>(xmm(dst)), gp(base), gp(addr), offset); }
  void storeVector(MemKind k, FpReg src, Reg base, Reg addr, int32_t offset) { a_.memAccess(memOp(k), static_cast<Gp>(xmm(src)), gp(base), gp(addr), offset); }
  /** r += v, any 64-bit constant (through r11, which no role uses). */
  void addConst(Reg r, uint64_t v) {
    if (v <= 0x7fffffffu) return a_.aluImm(Alu::Add, gp(r), static_cast<int32_t>(v), true);
    a_.movImm64(R11, v);
    a_.alu(Alu::Add, gp(r), R11, true);
  }
  /** An explicit bounds check: jumps to `oob` unless addr + extent (no wrap-around) <= the 64-bit size at
   * [sizeBase + sizeDisp]; extent 0 means "always out of bounds" (offset + access size overflowed). */
  void checkBounds(Reg addr, uint64_t extent, Reg sizeBase, int32_t sizeDisp, Label& oob) {
    if (extent == 0) return jump(oob);
    a_.movImm64(R11, extent);
    a_.alu(Alu::Add, R11, gp(addr), true);
    branchCC(kB, oob);  // carry: past 2^64
    a_.aluMem(Alu::Cmp, R11, gp(sizeBase), sizeDisp, true);
    branchCC(kA, oob);
  }

  // ---- exception handlers (exceptions.h) -------------------------------------------------------
  // A HandlerRecord at [Frame + disp]: {prev, rsp, pad, frame r12, instance rbx, rbp, r14, r15, caught};
  // the chain head through [Instance + headOffset]. Clobber rax and rcx (Acc, Scratch1).
  /** Fills the record (the landing pad `pad`) and makes it the chain's head. */
  void enterHandler(int32_t disp, int32_t headOffset, Label& pad) {
    a_.load64(RCX, RBX, headOffset);
    a_.load64(RAX, RCX, 0);
    a_.store64(R12, disp, RAX);
    a_.store64(R12, disp + 8, RSP);
    jumpTo(pad, a_.leaRip(RAX));
    a_.store64(R12, disp + 16, RAX);
    a_.store64(R12, disp + 24, R12);
    a_.store64(R12, disp + 32, RBX);
    a_.store64(R12, disp + 40, RBP);
    a_.store64(R12, disp + 48, R14);
    a_.store64(R12, disp + 56, R15);
    a_.lea(RAX, R12, disp);
    a_.store64(RCX, 0, RAX);
  }
  /** The chain's head becomes the record's predecessor (control leaves its try). */
  void leaveHandler(int32_t disp, int32_t headOffset) {
    a_.load64(RCX, RBX, headOffset);
    a_.load64(RAX, R12, disp);
    a_.store64(RCX, 0, RAX);
  }
  /** The record becomes the chain's head again (a legacy delegate to an outer try). */
  void setHandler(int32_t disp, int32_t headOffset) {
    a_.load64(RCX, RBX, headOffset);
    a_.lea(RAX, R12, disp);
    a_.store64(RCX, 0, RAX);
  }

  // ---- v128 -------------------------------------------------------------------------------------
  /** Whether the v128 binary operation of this 0xFD opcode is one SSE (up to SSE4.1) instruction. */
  static bool hasV128Inline(uint32_t code);
  /** Whether it computes op(b, a) (pandn, pcmpgt for lt, minps/maxps for pmin/pmax): then FpReg::Acc
   * must hold b and Scratch a. */
  static bool v128InlineSwapped(uint32_t code);
  /** FpReg::Acc = Acc op Scratch. */
  void v128Inline(uint32_t code);


 private:
  static constexpr Gp gp(Reg r) {
    constexpr Gp kMap[] = {RAX, RCX, RDX, RDI, RSI, RDX, RCX, RBX, R12, R13, R8, R9, R10, RDI, RSI};
    return kMap[static_cast<int>(r)];
  }
  static constexpr uint8_t xmm(FpReg r) { return static_cast<uint8_t>(r); }
  static constexpr CC cc(Cond c) {
    constexpr CC kMap[] = {kE, kNE, kL, kB, kG, kA, kLE, kBE, kGE, kAE};
    return kMap[static_cast<int>(c)];
  }
  static constexpr Alu alu(IntOp op) { return static_cast<Alu>(op); }  // the same order
  static constexpr uint8_t sseOp(FloatOp op) {
    constexpr uint8_t kMap[] = {0x58, 0x5c, 0x59, 0x5e};  // addss/sd subss/sd mulss/sd divss/sd
    return kMap[static_cast<int>(op)];
  }
  static const MemOp& memOp(MemKind k);
  void branchCC(CC c, Label& l) {
    if (l.pos != kUnboundLabel) return a_.jccTo(c, l.pos);
    l.patches.push_back(a_.jccRel(c));
  }
  /** Pops what the prologue pushed: rsp is back at the return address. */
  void restoreSaved() {
    a_.pop(R13);
    a_.pop(R12);
    a_.pop(RBX);
  }
  void jumpTo(Label& l, size_t relField) {
    if (l.pos != kUnboundLabel) a_.patch(relField, l.pos);
    else l.patches.push_back(relField);
  }

  Assembler a_;
};

static_assert(static_cast<int>(IntOp::Cmp) == static_cast<int>(Alu::Cmp) && static_cast<int>(IntOp::Xor) == static_cast<int>(Alu::Xor));

}  // namespace mitey::x64
