// The x86-64 encoder: the handful of instruction forms tier 1 emits, memory operands always
// [base + disp32], ALU operations from one table. Only x64/macro_assembler.* use it; codegen speaks
// the target-independent vocabulary of macro_assembler.h.
#pragma once
#include <climits>
#include <cstdint>
#include <cstring>

#include "../code_buffer.h"

namespace mitey::x64 {

enum Gp : uint8_t { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

enum CC : uint8_t { kO = 0, kNO, kB, kAE, kE, kNE, kBE, kA, kS, kNS, kP, kNP, kL, kGE, kLE, kG };

/** Two-operand integer operations sharing one encoding scheme: opcode (r/m, reg), and /digit with an immediate. */
enum class Alu : uint8_t { Add, Or, And, Sub, Xor, Cmp };

struct AluCode {
  uint8_t rmReg;  // op r/m, reg
  uint8_t regRm;  // op reg, r/m
  uint8_t digit;  // /digit of the 0x81 immediate group
};
inline constexpr AluCode kAlu[] = {
    {0x01, 0x03, 0}, {0x09, 0x0b, 1}, {0x21, 0x23, 4}, {0x29, 0x2b, 5}, {0x31, 0x33, 6}, {0x39, 0x3b, 7},
};

/** A width and extension for loads and stores, with its opcode bytes. */
struct MemOp {
  bool rexW;
  uint8_t prefix;    // 0x66 for 16-bit stores, 0xF3 for movdqu; 0 for none
  uint8_t op[2];     // one or two opcode bytes (0x0f escape first)
  uint8_t len;
};

class Assembler {
 public:
  explicit Assembler(CodeBuffer& buf) : buf_(buf) {}
  size_t pos() const { return buf_.pos(); }

  void byte(uint8_t b) { buf_.byte(b); }
  void u32(uint32_t v) { buf_.put(&v, 4); }
  void u64(uint64_t v) { buf_.put(&v, 8); }

  // ---- moves ------------------------------------------------------------------------------
  void movImm64(Gp r, uint64_t v) {
    if (v <= 0xffffffffu) {  // mov r32, imm32 zero-extends: shorter
      rex(false, 0, r);
      byte(0xb8 + (r & 7));
      u32(static_cast<uint32_t>(v));
      return;
    }
    rex(true, 0, r);
    byte(0xb8 + (r & 7));
    u64(v);
  }
  void movRR(Gp dst, Gp src, bool wide = true) { rexRM(wide, src, dst); byte(0x89); modrmReg(src, dst); }
  /** movsxd dst, src32: the low 32 bits sign-extended. */
  void movsxdRR(Gp dst, Gp src) { rexRM(true, dst, src); byte(0x63); modrmReg(dst, src); }
  void load64(Gp dst, Gp base, int32_t disp) { rexRM(true, dst, base); byte(0x8b); mem(dst, base, disp); }
  void load32(Gp dst, Gp base, int32_t disp) { rexRM(false, dst, base); byte(0x8b); mem(dst, base, disp); }
  void store64(Gp base, int32_t disp, Gp src) { rexRM(true, src, base); byte(0x89); mem(src, base, disp); }
  void store32(Gp base, int32_t disp, Gp src) { rexRM(false, src, base); byte(0x89); mem(src, base, disp); }
  /** mov qword [base+disp], simm32 (sign-extended). */
  void storeImm64(Gp base, int32_t disp, int32_t v) { rexRM(true, 0, base); byte(0xc7); mem(0, base, disp); u32(static_cast<uint32_t>(v)); }
  void lea(Gp dst, Gp base, int32_t disp) { rexRM(true, dst, base); byte(0x8d); mem(dst, base, disp); }
  /** lea with a 4-byte displacement whatever its value (patched later: patchU32 at pos() - 4). */
  void leaDisp32(Gp dst, Gp base, int32_t disp) { rexRM(true, dst, base); byte(0x8d); mem(dst, base, disp, true); }

  /** A load or store through [base + index + disp] (wasm memory accesses: base = memory, index = address). */
  void memAccess(const MemOp& op, Gp reg, Gp base, Gp index, int32_t disp) {
    if (op.prefix) byte(op.prefix);
    uint8_t r = static_cast<uint8_t>(0x40 | (op.rexW ? 8 : 0) | ((reg & 8) ? 4 : 0) | ((index & 8) ? 2 : 0) | ((base & 8) ? 1 : 0));
    if (r != 0x40 || (!op.rexW && op.len == 1 && op.op[0] == 0x88 && reg >= 4)) byte(r);
    for (int i = 0; i < op.len; i++) byte(op.op[i]);
    bool short8 = fitsInt8(disp);  // mod=01 (disp8) or 10 (disp32), rm=100 (SIB)
    byte(static_cast<uint8_t>((short8 ? 0x44 : 0x84) | ((reg & 7) << 3)));
    byte(static_cast<uint8_t>(((index & 7) << 3) | (base & 7)));  // scale 1
    imm(disp, short8);
  }

  // ---- arithmetic ---------------------------------------------------------------------------
  void alu(Alu op, Gp dst, Gp src, bool wide) { rexRM(wide, src, dst); byte(kAlu[static_cast<int>(op)].rmReg); modrmReg(src, dst); }
  void aluMem(Alu op, Gp dst, Gp base, int32_t disp, bool wide) { rexRM(wide, dst, base); byte(kAlu[static_cast<int>(op)].regRm); mem(dst, base, disp); }
  /** op dst, imm: the sign-extended imm8 form where the value fits. */
  void aluImm(Alu op, Gp dst, int32_t v, bool wide) {
    rexRM(wide, 0, dst);
    byte(fitsInt8(v) ? 0x83 : 0x81);
    modrmReg(kAlu[static_cast<int>(op)].digit, dst);
    imm(v, fitsInt8(v));
  }
  /** imul dst, src, imm (imm8 or imm32). */
  void imulImm(Gp dst, Gp src, int32_t v, bool wide) {
    rexRM(wide, dst, src);
    byte(fitsInt8(v) ? 0x6b : 0x69);
    modrmReg(dst, src);
    imm(v, fitsInt8(v));
  }
  /** imul dst, [base+disp] */
  void imulMem(Gp dst, Gp base, int32_t disp, bool wide) { rexRM(wide, dst, base); byte(0x0f); byte(0xaf); mem(dst, base, disp); }
  /** imul dst, src */
  void imulRR(Gp dst, Gp src, bool wide) { rexRM(wide, dst, src); byte(0x0f); byte(0xaf); modrmReg(dst, src); }
  /** shl/shr/sar/rol/ror r, cl: the count is taken modulo the width, as wasm wants. */
  enum class Shift : uint8_t { Rol = 0, Ror = 1, Shl = 4, Shr = 5, Sar = 7 };
  void shiftCl(Shift op, Gp r, bool wide) { rexRM(wide, 0, r); byte(0xd3); modrmReg(static_cast<uint8_t>(op), r); }
  /** SSE with a memory operand: prefix 0xF3 (single) or 0xF2 (double), opcode 0x10 load, 0x11 store,
   * 0x58 add, 0x59 mul, 0x5c sub, 0x5e div; prefix 0xF3 with 0x6f / 0x7f: movdqu load / store. */
  void sse(uint8_t prefix, uint8_t op, uint8_t xmm, Gp base, int32_t disp) {
    byte(prefix);
    rexRM(false, xmm, base);
    byte(0x0f);
    byte(op);
    mem(xmm, base, disp);
  }
  /** SSE between xmm registers: [prefix] [REX] 0F [38] op /r (prefix 0 for none; REX for xmm8-15). */
  void sseRR(uint8_t prefix, bool esc38, uint8_t op, uint8_t dst, uint8_t src) {
    if (prefix) byte(prefix);
    rexRM(false, dst, src);
    byte(0x0f);
    if (esc38) byte(0x38);
    byte(op);
    modrmReg(dst, src);
  }
  /** An SSE instruction between an xmm register (ModRM.reg) and a general register (r/m): [prefix] [REX] 0F op /r. */
  void sseGp(uint8_t prefix, bool w, uint8_t op, uint8_t xmm, Gp r) {
    byte(prefix);
    rexRM(w, xmm, r);
    byte(0x0f);
    byte(op);
    modrmReg(xmm, r);
  }
  void test(Gp a, Gp b, bool wide) { rexRM(wide, b, a); byte(0x85); modrmReg(b, a); }
  /** setcc into the low byte of r, then zero-extend to 32 bits. */
  void setcc(CC c, Gp r) {
    rexRM(false, 0, r, true);
    byte(0x0f); byte(static_cast<uint8_t>(0x90 + c)); modrmReg(0, r);
    rexRM(false, r, r, true);
    byte(0x0f); byte(0xb6); modrmReg(r, r);
  }

  // ---- control flow ---------------------------------------------------------------------------
  void push(Gp r) { if (r & 8) byte(0x41); byte(0x50 + (r & 7)); }
  void pop(Gp r) { if (r & 8) byte(0x41); byte(0x58 + (r & 7)); }
  void ret() { byte(0xc3); }
  void ud2() { byte(0x0f); byte(0x0b); }
  void callReg(Gp r) { if (r & 8) byte(0x41); byte(0xff); modrmReg(2, r); }
  void jmpReg(Gp r) { if (r & 8) byte(0x41); byte(0xff); modrmReg(4, r); }
  /** Calls an absolute address: call rel32 where the code lies within reach of it (code_buffer.h),
   * else through rax. */
  void callAbs(const void* fn) {
    auto target = static_cast<int64_t>(reinterpret_cast<uintptr_t>(fn));
    int64_t rel = target - static_cast<int64_t>(buf_.address(pos() + 5));
    if (rel >= INT32_MIN && rel <= INT32_MAX) {
      byte(0xe8);
      u32(static_cast<uint32_t>(rel));
      return;
    }
    movImm64(RAX, reinterpret_cast<uint64_t>(fn));
    callReg(RAX);
  }
  /** call rel32 to a position in this buffer (patched later if not yet known). Returns the rel32's position. */
  size_t callRel() { byte(0xe8); u32(0); return pos() - 4; }
  size_t jmpRel() { byte(0xe9); u32(0); return pos() - 4; }
  size_t jccRel(CC c) { byte(0x0f); byte(static_cast<uint8_t>(0x80 + c)); u32(0); return pos() - 4; }
  /** jmp / jcc to a position already known (a loop's start): rel8 when it reaches. */
  void jmpTo(size_t target) {
    int64_t rel = static_cast<int64_t>(target) - static_cast<int64_t>(pos() + 2);
    if (rel >= -128) {
      byte(0xeb);
      byte(static_cast<uint8_t>(rel));
    } else {
      patch(jmpRel(), target);
    }
  }
  void jccTo(CC c, size_t target) {
    int64_t rel = static_cast<int64_t>(target) - static_cast<int64_t>(pos() + 2);
    if (rel >= -128) {
      byte(static_cast<uint8_t>(0x70 + c));
      byte(static_cast<uint8_t>(rel));
    } else {
      patch(jccRel(c), target);
    }
  }
  /** Points the rel32 at `at` to `target`. */
  void patch(size_t at, size_t target) {
    int32_t rel = static_cast<int32_t>(static_cast<int64_t>(target) - static_cast<int64_t>(at + 4));
    buf_.patch(at, &rel, 4);
  }
  void patchU32(size_t at, uint32_t v) { buf_.patch(at, &v, 4); }

  /** movsxd rax, dword [rcx + rax*4]: a jump table entry. */
  void loadTableEntry() { byte(0x48); byte(0x63); byte(0x04); byte(0x81); }
  /** lea rcx, [rip + rel32]; returns the rel32's position. */
  size_t leaRip(Gp dst) { rexRM(true, dst, 0); byte(0x8d); byte(static_cast<uint8_t>(0x05 | ((dst & 7) << 3))); u32(0); return pos() - 4; }

 private:
  static bool fitsInt8(int32_t v) { return v >= -128 && v <= 127; }
  /** A displacement or immediate: one byte (sign-extended by the CPU) when short8, else four. */
  void imm(int32_t v, bool short8) {
    if (short8) byte(static_cast<uint8_t>(v));
    else u32(static_cast<uint32_t>(v));
  }
  void rex(bool w, uint8_t reg, uint8_t rm) {
    uint8_t r = static_cast<uint8_t>(0x40 | (w ? 8 : 0) | ((reg & 8) ? 4 : 0) | ((rm & 8) ? 1 : 0));
    if (r != 0x40) byte(r);
  }
  /** REX for reg + r/m operands; `byteRegs` forces REX so that SPL..DIL are addressable. */
  void rexRM(bool w, uint8_t reg, uint8_t rm, bool byteRegs = false) {
    uint8_t r = static_cast<uint8_t>(0x40 | (w ? 8 : 0) | ((reg & 8) ? 4 : 0) | ((rm & 8) ? 1 : 0));
    if (r != 0x40 || (byteRegs && ((reg & 7) >= 4 || (rm & 7) >= 4))) byte(r);
  }
  void modrmReg(uint8_t reg, uint8_t rm) { byte(static_cast<uint8_t>(0xc0 | ((reg & 7) << 3) | (rm & 7))); }
  /** [base + disp]: mod=01 with a disp8 when it fits (frame slots, most fields), else mod=10 with a disp32. */
  void mem(uint8_t reg, uint8_t base, int32_t disp, bool disp32 = false) {
    bool short8 = !disp32 && fitsInt8(disp);
    byte(static_cast<uint8_t>((short8 ? 0x40 : 0x80) | ((reg & 7) << 3) | (base & 7)));
    if ((base & 7) == 4) byte(0x24);  // rsp/r12 as base need a SIB byte
    imm(disp, short8);
  }

  CodeBuffer& buf_;
};

}  // namespace mitey::x64
