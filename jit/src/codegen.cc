// One pass per function over its instructions, with a model of the operand stack's height.
#include "codegen.h"

#include <sys/mman.h>

#include <cstring>
#include <deque>
#include <limits>
#include <new>
#include <stdexcept>

#include "error.h"
#include "numeric_handlers.h"
#include "opcodes.h"
#include "runtime_handlers.h"
#include "simd_handlers.h"
#include "trap.h"
#include "x64_assembler.h"

namespace mitey {
namespace {

constexpr Reg kInstance = RBX;
constexpr Reg kFrame = R12;
constexpr Reg kMemory = R13;
constexpr size_t kUnbound = std::numeric_limits<size_t>::max();
constexpr uint32_t kNoHeight = std::numeric_limits<uint32_t>::max();

struct Label {
  size_t pos = kUnbound;
  std::vector<size_t> patches;  // rel32 fields waiting for the position
};

enum class FrameKind : uint8_t { Func, Block, Loop, If, Else };

struct CtrlFrame {
  FrameKind kind = FrameKind::Block;
  uint32_t height = 0;  // operand height below the block's parameters
  uint32_t params = 0, results = 0;   // in units
  std::vector<ValType> labelTypes;   // what a branch here carries: the loop's parameters, else the results
  Label end;
  Label elseLabel;
  Label loopStart;
  bool unreachable = false;
  /** Where a branch to this frame goes. */
  Label& target() { return kind == FrameKind::Loop ? loopStart : end; }
};

/** A v128 binary operation that is one SSE (up to SSE4.1) instruction: emitted inline, no handler. */
struct SimdInline {
  uint8_t code;    // after the 0xFD prefix
  uint8_t prefix;  // 0x66 or 0 (packed single)
  bool esc38;      // 0F 38 opcode map
  uint8_t op;
  bool swap;       // the instruction computes op(b, a): andnot (pandn), lt_s (pcmpgt), pmin/pmax
};

// Exact wasm semantics in one instruction each (float NaNs: x86 returns an input NaN quieted, which
// is an arithmetic NaN as the spec allows; pmin/pmax are minps/maxps with the operands swapped).
constexpr SimdInline kSimdInline[] = {
    {0x23, 0x66, false, 0x74, false}, {0x25, 0x66, false, 0x64, true},  {0x27, 0x66, false, 0x64, false},  // i8x16 eq lt_s gt_s
    {0x2d, 0x66, false, 0x75, false}, {0x2f, 0x66, false, 0x65, true},  {0x31, 0x66, false, 0x65, false},  // i16x8
    {0x37, 0x66, false, 0x76, false}, {0x39, 0x66, false, 0x66, true},  {0x3b, 0x66, false, 0x66, false},  // i32x4
    {0xd6, 0x66, true, 0x29, false},                                                                       // i64x2.eq
    {0x4e, 0x66, false, 0xdb, false}, {0x4f, 0x66, false, 0xdf, true},                                      // and andnot
    {0x50, 0x66, false, 0xeb, false}, {0x51, 0x66, false, 0xef, false},                                     // or xor
    {0x6e, 0x66, false, 0xfc, false}, {0x6f, 0x66, false, 0xec, false}, {0x70, 0x66, false, 0xdc, false},  // i8x16 add, sat
    {0x71, 0x66, false, 0xf8, false}, {0x72, 0x66, false, 0xe8, false}, {0x73, 0x66, false, 0xd8, false},  // i8x16 sub, sat
    {0x76, 0x66, true, 0x38, false},  {0x77, 0x66, false, 0xda, false}, {0x78, 0x66, true, 0x3c, false},   // i8x16 min max
    {0x79, 0x66, false, 0xde, false}, {0x7b, 0x66, false, 0xe0, false},                                     // max_u avgr_u
    {0x8e, 0x66, false, 0xfd, false}, {0x8f, 0x66, false, 0xed, false}, {0x90, 0x66, false, 0xdd, false},  // i16x8 add, sat
    {0x91, 0x66, false, 0xf9, false}, {0x92, 0x66, false, 0xe9, false}, {0x93, 0x66, false, 0xd9, false},  // i16x8 sub, sat
    {0x95, 0x66, false, 0xd5, false}, {0x96, 0x66, false, 0xea, false}, {0x97, 0x66, true, 0x3a, false},   // mul min_s min_u
    {0x98, 0x66, false, 0xee, false}, {0x99, 0x66, true, 0x3e, false},  {0x9b, 0x66, false, 0xe3, false},  // max_s max_u avgr_u
    {0xae, 0x66, false, 0xfe, false}, {0xb1, 0x66, false, 0xfa, false}, {0xb5, 0x66, true, 0x40, false},   // i32x4 add sub mul
    {0xb6, 0x66, true, 0x39, false},  {0xb7, 0x66, true, 0x3b, false},  {0xb8, 0x66, true, 0x3d, false},   // min_s min_u max_s
    {0xb9, 0x66, true, 0x3f, false},  {0xba, 0x66, false, 0xf5, false},                                     // max_u dot_i16x8_s
    {0xce, 0x66, false, 0xd4, false}, {0xd1, 0x66, false, 0xfb, false},                                     // i64x2 add sub
    {0xe4, 0, false, 0x58, false},    {0xe5, 0, false, 0x5c, false},    {0xe6, 0, false, 0x59, false},     // f32x4 add sub mul
    {0xe7, 0, false, 0x5e, false},    {0xea, 0, false, 0x5d, true},     {0xeb, 0, false, 0x5f, true},      // div pmin pmax
    {0xf0, 0x66, false, 0x58, false}, {0xf1, 0x66, false, 0x5c, false}, {0xf2, 0x66, false, 0x59, false},  // f64x2 add sub mul
    {0xf3, 0x66, false, 0x5e, false}, {0xf6, 0x66, false, 0x5d, true},  {0xf7, 0x66, false, 0x5f, true},   // div pmin pmax
};

const SimdInline* simdInline(uint32_t code) {
  for (const SimdInline& s : kSimdInline)
    if (s.code == code) return &s;
  return nullptr;
}

/** The memory operation of a load/store opcode. */
struct MemInstr {
  const MemOp* op;
  bool store;
};

MemInstr memInstr(uint16_t op) {
  switch (op) {
    case 0x28: return {&kLoad32, false};
    case 0x29: return {&kLoad64, false};
    case 0x2a: return {&kLoad32, false};
    case 0x2b: return {&kLoad64, false};
    case 0x2c: return {&kLoad8S32, false};
    case 0x2d: return {&kLoad8U, false};
    case 0x2e: return {&kLoad16S32, false};
    case 0x2f: return {&kLoad16U, false};
    case 0x30: return {&kLoad8S64, false};
    case 0x31: return {&kLoad8U, false};
    case 0x32: return {&kLoad16S64, false};
    case 0x33: return {&kLoad16U, false};
    case 0x34: return {&kLoad32S64, false};
    case 0x35: return {&kLoad32, false};
    case 0x36: return {&kStore32, true};
    case 0x37: return {&kStore64, true};
    case 0x38: return {&kStore32, true};
    case 0x39: return {&kStore64, true};
    case 0x3a: return {&kStore8, true};
    case 0x3b: return {&kStore16, true};
    case 0x3c: return {&kStore8, true};
    case 0x3d: return {&kStore16, true};
    case 0x3e: return {&kStore32, true};
  }
  return {nullptr, false};
}

class FunctionCompiler {
 public:
  FunctionCompiler(const CompiledModule& cm, Assembler& a, std::vector<std::pair<size_t, uint32_t>>& directCalls)
      : cm_(cm), m_(cm.module), a_(a), directCalls_(directCalls) {}

  void compile(uint32_t funcIndex) {
    const FuncType& t = m_.types[m_.funcs[funcIndex]];
    const FuncBody& body = m_.bodies[funcIndex - m_.importedFuncs];
    expr_ = &body.code;
    uint64_t nlocals = t.params.size() + body.localCount;
    if (nlocals > (1u << 24)) throw std::runtime_error("a function with more than 16 million locals");
    localOffsets_.reserve(nlocals + 1);
    uint32_t u = 0;
    for (ValType p : t.params) {
      localOffsets_.push_back(u);
      u += units(p);
    }
    paramUnits_ = u;
    for (const LocalRun& run : body.locals)
      for (uint32_t i = 0; i < run.count; i++) {
        localOffsets_.push_back(u);
        u += units(run.type);
      }
    localOffsets_.push_back(u);  // the end: local i has localOffsets_[i + 1] - localOffsets_[i] units
    localUnits_ = u;
    prologue();
    ctrls_.emplace_back();
    ctrls_.back().kind = FrameKind::Func;
    ctrls_.back().results = units(t.results);
    ctrls_.back().labelTypes = t.results;
    const std::vector<Instr>& code = body.code.code;
    for (size_t i = 0; i < code.size();) i += instruction(code[i], i + 1 < code.size() ? &code[i + 1] : nullptr);
    // The stack check's frame size is known now.
    a_.patchU32(frameSizePatch_, static_cast<uint32_t>(8 * (localUnits_ + maxHeight_ + 2)));
    bind(exhausted_);
    a_.movImm64(RDI, static_cast<uint64_t>(Trap::CallStackExhausted));
    a_.callAbs(reinterpret_cast<const void*>(&rt::trap));
    a_.ud2();
  }

 private:
  // ---- frame layout ----------------------------------------------------------------------------
  // The frame is 8-byte units: the locals (parameters first), then the operand stack. A v128 takes
  // two units, any other value one; heights and arities below are counted in units.
  static uint32_t units(ValType t) { return t == ValType::V128 ? 2 : 1; }
  static uint32_t units(const std::vector<ValType>& ts) {
    uint32_t n = 0;
    for (ValType t : ts) n += units(t);
    return n;
  }
  int32_t slot(uint32_t h) const { return static_cast<int32_t>(8 * (localUnits_ + h)); }
  int32_t local(uint32_t i) const { return static_cast<int32_t>(8 * localOffsets_[i]); }
  uint32_t localSize(uint32_t i) const { return localOffsets_[i + 1] - localOffsets_[i]; }

  /** Copies n units from [fromBase + from] to [toBase + to], through `scratch`. */
  void copyUnits(uint32_t n, Reg fromBase, int32_t from, Reg toBase, int32_t to, Reg scratch = RAX) {
    for (uint32_t i = 0; i < n; i++) {
      a_.load64(scratch, fromBase, from + static_cast<int32_t>(8 * i));
      a_.store64(toBase, to + static_cast<int32_t>(8 * i), scratch);
    }
  }

  void push(uint32_t n = 1) {
    height_ += n;
    if (height_ > maxHeight_) maxHeight_ = height_;
  }

  // ---- labels ------------------------------------------------------------------------------------
  void bind(Label& l) {
    l.pos = a_.pos();
    for (size_t p : l.patches) a_.patch(p, l.pos);
    l.patches.clear();
  }
  void jumpTo(Label& l, size_t relField) {
    if (l.pos != kUnbound) a_.patch(relField, l.pos);
    else l.patches.push_back(relField);
  }
  void jmp(Label& l) { jumpTo(l, a_.jmpRel()); }
  void jcc(Cond c, Label& l) { jumpTo(l, a_.jccRel(c)); }

  // ---- prologue, epilogue -----------------------------------------------------------------------
  void prologue() {
    a_.push(RBX);
    a_.push(R12);
    a_.push(R13);  // three pushes: rsp is 16-byte aligned for the handlers we call
    a_.movRR(kInstance, RDI);
    a_.movRR(kFrame, RSI);
    a_.load64(kMemory, kInstance, kOffMemBase);
    // Native stack: a clean trap long before the thread's stack ends.
    a_.aluMem(Alu::Cmp, RSP, kInstance, kOffStackLimit, true);  // cmp rsp, [instance.stackLimit]
    jcc(kB, exhausted_);
    // Value stack: the whole frame must fit.
    a_.lea(RCX, kFrame, 0);  // rcx = frame end; the size is patched in when known
    frameSizePatch_ = a_.pos() - 4;
    a_.aluMem(Alu::Cmp, RCX, kInstance, kOffValueStackLimit, true);  // cmp rcx, [instance.valueStackLimit]
    jcc(kA, exhausted_);
    // Declared locals start at zero.
    if (localUnits_ > paramUnits_) {
      a_.alu(Alu::Xor, RAX, RAX, false);
      for (uint32_t u = paramUnits_; u < localUnits_; u++) a_.store64(kFrame, static_cast<int32_t>(8 * u), RAX);
    }
  }

  void epilogue() {
    a_.pop(R13);
    a_.pop(R12);
    a_.pop(RBX);
    a_.ret();
  }

  /** Copies n values from the top of the stack (height h) down to height `to`. */
  /** Copies one value of n units; a v128 goes through xmm0 in one 16-byte load and store, so a
   * later 16-byte load of it is forwarded from the store (two 8-byte stores would stall it). */
  void copyValue(uint32_t n, Reg fromBase, int32_t from, Reg toBase, int32_t to) {
    if (n != 2) return copyUnits(n, fromBase, from, toBase, to);
    a_.sse(0xf3, 0x6f, 0, fromBase, from);
    a_.sse(0xf3, 0x7f, 0, toBase, to);
  }

  /** Copies values of these types, from height `from` to the frame offset `to`, value by value. */
  void moveValues(const std::vector<ValType>& types, uint32_t from, int32_t to) {
    if (slot(from) == to) return;
    uint32_t u = 0;
    for (ValType t : types) {
      copyValue(units(t), kFrame, slot(from + u), kFrame, to + static_cast<int32_t>(8 * u));
      u += units(t);
    }
  }

  // ---- deferred local.get and constants ----------------------------------------------------------
  // A scalar local.get or constant emits nothing at first: the stack entry stays "a copy of local i"
  // or "the constant c", and the instruction that consumes it reads the local directly or takes the
  // constant as an immediate (Liftoff keeps such entries the same way). Any instruction that does
  // not know about them reads the frame, so it flushes them first; local.set/tee of i materializes
  // the entries that still refer to i before i changes.
  struct Pending {
    uint32_t h;          // operand height
    bool isConst;
    uint32_t local;      // the local it is a copy of
    uint64_t bits;       // the constant
  };

  // The result of the last inline operation may stay in a register (rax for integers and loaded
  // bits, xmm0 for floats) until the next instruction consumes it; anything else spills it first.
  enum class InReg : uint8_t { None, Rax, Xmm0, V128 };  // V128: all 16 bytes of xmm0

  struct Operand {
    Reg base = kFrame;
    int32_t disp = 0;
    InReg reg = InReg::None;  // when set, the value is in that register and base/disp mean nothing
  };

  /** Writes the register-held entry to its slot (8 bytes: an f32's upper half is zero in xmm0). */
  void spillReg() {
    if (reg_ == InReg::Rax) a_.store64(kFrame, slot(regH_), RAX);
    if (reg_ == InReg::Xmm0) a_.sse(0x66, 0xd6, 0, kFrame, slot(regH_));  // movq m64, xmm0
    if (reg_ == InReg::V128) a_.sse(0xf3, 0x7f, 0, kFrame, slot(regH_));  // movdqu
    reg_ = InReg::None;
  }

  /** Spills the register-held entry unless it is at one of these heights (the operands consumed next). */
  void keepRegOnlyAt(uint32_t h1, uint32_t h2 = kNoHeight) {
    if (reg_ != InReg::None && regH_ != h1 && regH_ != h2) spillReg();
  }

  void setReg(uint32_t h, InReg r) {
    regH_ = h;
    reg_ = r;
  }

  const Pending* pending(uint32_t h) const {
    for (size_t i = pend_.size(); i-- > 0 && pend_[i].h >= h;)
      if (pend_[i].h == h) return &pend_[i];
    return nullptr;
  }

  /** Where the scalar at height h can be read: its local while deferred, the register `accept` if it
   * is held there, else its slot (a deferred constant, or a value held in another register, is
   * written to its slot here: call this before emitting the consumer's code). */
  Operand operand(uint32_t h, InReg accept = InReg::None) {
    if (reg_ != InReg::None && regH_ == h) {
      if (reg_ == accept) return {kFrame, 0, accept};
      spillReg();
      return {kFrame, slot(h)};
    }
    const Pending* p = pending(h);
    if (p && !p->isConst) return {kFrame, local(p->local)};
    if (p) {
      storeUnit(slot(h), p->bits);
      pend_.erase(pend_.begin() + (p - pend_.data()));
    }
    return {kFrame, slot(h)};
  }

  /** The deferred local at height h, or -1. */
  int64_t pendingLocal(uint32_t h) const {
    const Pending* p = pending(h);
    return p && !p->isConst ? p->local : -1;
  }

  /** An immediate operand: a deferred constant that fits the instruction's imm32. */
  struct Imm32 {
    bool ok = false;
    int32_t value = 0;
  };

  /** Takes the operand at height h, the top, for a consumer: other register-held entries spilled,
   * the entry no longer deferred or held (its location is returned). */
  Operand take(uint32_t h, InReg accept) {
    keepRegOnlyAt(h);
    Operand v = operand(h, accept);
    consume(h);
    return v;
  }

  /** The operands of an integer binary operation at heights a and a + 1: the second as an
   * immediate when it is a deferred constant that fits (and `allowImm`). */
  struct IntOperands {
    Operand x, y;
    Imm32 imm;
  };
  IntOperands takeIntOperands(uint32_t a, bool wide, bool allowImm) {
    keepRegOnlyAt(a, a + 1);
    IntOperands o;
    if (allowImm) o.imm = pendingImm(a + 1, wide);
    if (!o.imm.ok) o.y = operand(a + 1, InReg::Rax);
    o.x = operand(a, InReg::Rax);
    consume(a);
    return o;
  }

  void loadRax(const Operand& v, bool wide = true) {
    if (v.reg == InReg::Rax) return;
    if (wide) a_.load64(RAX, v.base, v.disp);
    else a_.load32(RAX, v.base, v.disp);
  }

  /** The deferred constant at height h as the (sign-extended) imm32 of a 32- or 64-bit operation. */
  Imm32 pendingImm(uint32_t h, bool wide) const {
    const Pending* p = pending(h);
    if (!p || !p->isConst) return {};
    if (!wide) return {true, static_cast<int32_t>(static_cast<uint32_t>(p->bits))};
    auto v = static_cast<int64_t>(p->bits);
    if (v < INT32_MIN || v > INT32_MAX) return {};
    return {true, static_cast<int32_t>(v)};
  }

  /** Forgets deferred and register-held entries from height h up: they are consumed. */
  void consume(uint32_t h) {
    while (!pend_.empty() && pend_.back().h >= h) pend_.pop_back();
    if (reg_ != InReg::None && regH_ >= h) reg_ = InReg::None;
  }

  /** Stores a scalar operand (memory, rax or xmm0) to [base + disp]; memory goes through rax. */
  void storeOperand(const Operand& v, Reg base, int32_t disp) {
    if (v.reg == InReg::Rax) {
      a_.store64(base, disp, RAX);
    } else if (v.reg == InReg::Xmm0) {
      a_.sse(0x66, 0xd6, 0, base, disp);  // movq m64, xmm0
    } else {
      a_.load64(RAX, v.base, v.disp);
      a_.store64(base, disp, RAX);
    }
  }

  /** Writes every deferred or register-held entry to its slot (through rcx: rax may hold a value). */
  void flush() {
    spillReg();
    for (const Pending& p : pend_) {
      if (p.isConst) storeUnit(slot(p.h), p.bits);
      else copyUnits(1, kFrame, local(p.local), kFrame, slot(p.h), RCX);
    }
    pend_.clear();
  }

  /** Writes the deferred entries that are copies of local i to their slots (i is about to change). */
  void materializeLocal(uint32_t i) {
    size_t kept = 0;
    for (const Pending& p : pend_) {
      if (!p.isConst && p.local == i) copyUnits(1, kFrame, local(i), kFrame, slot(p.h), RCX);
      else pend_[kept++] = p;
    }
    pend_.resize(kept);
  }

  /** The results go to the start of the frame, where the caller finds them. */
  void returnValues() {
    const CtrlFrame& f = ctrls_.front();
    moveValues(f.labelTypes, height_ - f.results, 0);
    epilogue();
  }

  uint32_t labelArity(const CtrlFrame& f) const { return f.kind == FrameKind::Loop ? f.params : f.results; }

  void branchTo(uint32_t depth) {
    CtrlFrame& f = ctrls_[ctrls_.size() - 1 - depth];
    if (f.kind == FrameKind::Func) {
      returnValues();
      return;
    }
    moveValues(f.labelTypes, height_ - labelArity(f), slot(f.height));
    jmp(f.target());
  }

  void setUnreachable() { ctrls_.back().unreachable = true; }

  // ---- calls -------------------------------------------------------------------------------------
  void callHandler(const void* fn) { a_.callAbs(fn); }

  /** rdi = instance, rsi = &slot(h); immediates in rdx, rcx. */
  void instanceArgs(uint32_t h) {
    a_.movRR(RDI, kInstance);
    a_.lea(RSI, kFrame, slot(h));
  }

  void callFunction(uint32_t f) {
    const FuncType& t = m_.types[m_.funcs[f]];
    uint32_t base = height_ - units(t.params);
    if (f >= m_.importedFuncs) {
      a_.movRR(RDI, kInstance);
      a_.lea(RSI, kFrame, slot(base));
      directCalls_.emplace_back(a_.callRel(), f - m_.importedFuncs);
    } else {
      a_.load64(RAX, kInstance, kOffFuncs);
      a_.load64(RAX, RAX, static_cast<int32_t>(8 * f));
      callFuncInstance(base);
    }
    height_ = base;
    push(units(t.results));
  }

  /** Calls the FuncInstance in rax with its frame at height `base`. */
  void callFuncInstance(uint32_t base) {
    a_.load64(RDI, RAX, offsetof(FuncInstance, ctx));
    a_.load64(RAX, RAX, offsetof(FuncInstance, code));
    a_.lea(RSI, kFrame, slot(base));
    a_.callReg(RAX);
  }

  // ---- instructions ------------------------------------------------------------------------------
  /** Compiles one instruction, or two when a comparison fuses with the br_if or if after it. Returns how many. */
  size_t instruction(const Instr& in, const Instr* next) {
    if (ctrls_.back().unreachable) {
      deadInstruction(in);
      return 1;
    }
    uint16_t op = in.op;
    if (!readsDeferred(op)) flush();
    if (op >= kKeyFD) {
      simd(in);
      return 1;
    }
    if (const MemInstr mi = memInstr(op); mi.op) {
      memoryAccess(in, mi);
      return 1;
    }
    if (NumericOp n = numericOp(op); n.fn) {
      if (next && (next->op == 0x0d || next->op == 0x04) && fusedCondition(op, *next)) return 2;
      numeric(op, n);
      return 1;
    }
    control(in);
    return 1;
  }

  /** Instructions that read deferred entries themselves (or only push): the rest flush them first. */
  static bool readsDeferred(uint16_t op) {
    if (op >= kKeyFD) return op == kKeyFD + 0x00 || op == kKeyFD + 0x0b || op == kKeyFD + 0x0c || simdInline(op - kKeyFD);
    if (memInstr(op).op) return true;
    if (op >= 0x45 && op <= 0xc4) return true;  // numeric: numeric() flushes before calling a handler
    switch (op) {
      case 0x04: case 0x0d: case 0x1a: case 0x20: case 0x21: case 0x22: case 0x23: case 0x24:
      case 0x41: case 0x42: case 0x43: case 0x44: case 0xd0:
        return true;
    }
    return false;
  }

  /** The i32 condition on top of the stack, before a conditional jump: everything else written out. */
  void conditionFlags() {
    height_--;
    Operand c = take(height_, InReg::Rax);
    flush();  // both paths must see the same frame
    loadRax(c, false);
    a_.test(RAX, RAX, false);
  }

  /** cmp/test setting flags for an integer comparison or eqz; false for other operations. */
  bool compareFlags(uint16_t op, Cond& c) {
    bool wide;
    if (inlineCompare(op, c, wide)) {
      height_ -= 2;
      IntOperands o = takeIntOperands(height_, wide, true);
      flush();
      intBinary(Alu::Cmp, o.x, o.y, o.imm, wide);
      return true;
    }
    if (op == 0x45 || op == 0x50) {
      height_ -= 1;
      Operand x = take(height_, InReg::Rax);
      flush();
      loadRax(x);
      a_.test(RAX, RAX, op == 0x50);
      c = kE;
      return true;
    }
    return false;
  }

  /** A comparison followed by br_if or if: one cmp and one conditional jump, no boolean in between. */
  bool fusedCondition(uint16_t op, const Instr& next) {
    Cond c;
    if (!compareFlags(op, c)) return false;
    Cond otherwise = static_cast<Cond>(c ^ 1);
    if (next.op == 0x0d) {
      Label skip;
      jcc(otherwise, skip);
      branchTo(next.a);
      bind(skip);
    } else {
      pushFrame(FrameKind::If, next);
      jcc(otherwise, ctrls_.back().elseLabel);
    }
    return true;
  }

  /** After br, return or unreachable: nothing runs until the frame's else or end, but nesting counts. */
  void deadInstruction(const Instr& in) {
    switch (in.op) {
      case 0x02: case 0x03: case 0x04: deadDepth_++; return;
      case 0x05: if (deadDepth_ == 0) control(in); return;
      case 0x0b:
        if (deadDepth_ > 0) deadDepth_--;
        else control(in);
        return;
      default: return;
    }
  }

  /** rax = the address operand at height addrH (+ the offset when it does not fit a disp32); returns the disp. */
  int32_t effectiveAddress(const Instr& in, uint32_t addrH) { return effectiveAddress(in, operand(addrH)); }

  int32_t effectiveAddress(const Instr& in, const Operand& addr) {
    if (addr.reg != InReg::Rax) a_.load32(RAX, addr.base, addr.disp);  // the address, zero-extended (in rax: it is)
    if (in.a <= 0x7fffffffu) return static_cast<int32_t>(in.a);
    a_.movImm64(RCX, in.a);
    a_.alu(Alu::Add, RAX, RCX, true);
    return 0;
  }

  void memoryAccess(const Instr& in, const MemInstr& mi) {
    uint32_t addrH = height_ - (mi.store ? 2 : 1);
    if (mi.store) {
      keepRegOnlyAt(addrH, addrH + 1);
      Operand value = operand(addrH + 1, InReg::Rax);
      if (value.reg == InReg::Rax) a_.movRR(RDX, RAX);  // before the address takes rax
      Operand addr = operand(addrH, InReg::Rax);
      int32_t disp = effectiveAddress(in, addr);
      consume(addrH);
      if (value.reg != InReg::Rax) a_.load64(RDX, value.base, value.disp);
      a_.memAccess(*mi.op, RDX, kMemory, RAX, disp);
      height_ -= 2;
    } else {
      int32_t disp = effectiveAddress(in, take(addrH, InReg::Rax));
      a_.memAccess(*mi.op, RAX, kMemory, RAX, disp);  // the loaded bits stay in rax
      setReg(addrH, InReg::Rax);
    }
  }

  /** Inline code for the commonest integer operations, handlers for the rest. */
  /** Inline code for the commonest integer and float operations, handlers for the rest. Results
   * of inline code stay in rax or xmm0 (see spillReg). */
  void numeric(uint16_t op, const NumericOp& n) {
    uint32_t a = height_ - n.arity;
    Alu alu = Alu::Add;
    bool wide = false;
    Assembler::Shift shift = Assembler::Shift::Shl;
    uint8_t sse = 0;
    Cond c = kE;
    bool isMul = op == 0x6c || op == 0x7e;
    bool isAlu = inlineAlu(op, alu, wide);
    bool isShift = !isAlu && inlineShift(op, shift, wide);
    bool isCompare = !isAlu && !isShift && inlineCompare(op, c, wide);
    if (isMul) wide = op == 0x7e;
    if (isAlu || isMul || isShift || isCompare) {
      // A deferred constant as second operand becomes an immediate (not for mul).
      auto [x, y, imm] = takeIntOperands(a, wide, !isMul);
      if (isMul) {
        if (y.reg == InReg::Rax) {
          a_.imulMem(RAX, x.base, x.disp, wide);  // commutative
        } else {
          loadRax(x);
          a_.imulMem(RAX, y.base, y.disp, wide);  // the 32-bit form zero-extends into rax
        }
      } else if (isShift) {
        if (y.reg == InReg::Rax) a_.movRR(RCX, RAX);
        loadRax(x);
        if (imm.ok) a_.movImm64(RCX, static_cast<uint32_t>(imm.value));  // only cl counts
        else if (y.reg != InReg::Rax) a_.load64(RCX, y.base, y.disp);
        a_.shiftCl(shift, RAX, wide);
      } else if (isCompare) {
        intBinary(Alu::Cmp, x, y, imm, wide);
        a_.setcc(c, RAX);
      } else {
        intBinary(alu, x, y, imm, wide);  // 32-bit operations zero-extend into rax
      }
      setReg(a, InReg::Rax);
    } else if (inlineFloat(op, sse, wide)) {
      keepRegOnlyAt(a, a + 1);
      uint8_t prefix = wide ? 0xf2 : 0xf3;
      Operand y = operand(a + 1, InReg::Xmm0);
      Operand x = operand(a, InReg::Xmm0);
      consume(a);
      if (y.reg == InReg::Xmm0 && (sse == 0x58 || sse == 0x59)) {
        a_.sse(prefix, sse, 0, x.base, x.disp);  // add, mul: either order (NaN bits are the spec's choice)
      } else if (y.reg == InReg::Xmm0) {
        a_.sseRR(0, false, 0x28, 1, 0);  // movaps xmm1, xmm0
        a_.sse(prefix, 0x10, 0, x.base, x.disp);
        a_.sseRR(prefix, false, sse, 0, 1);
      } else {
        if (x.reg != InReg::Xmm0) a_.sse(prefix, 0x10, 0, x.base, x.disp);  // movss from memory zeroes the rest of xmm0
        a_.sse(prefix, sse, 0, y.base, y.disp);
      }
      setReg(a, InReg::Xmm0);
    } else if (op == 0x45 || op == 0x50) {  // eqz
      loadRax(take(a, InReg::Rax));
      a_.test(RAX, RAX, op == 0x50);
      a_.setcc(kE, RAX);
      setReg(a, InReg::Rax);
    } else {
      flush();  // handlers read the frame
      a_.lea(RDI, kFrame, slot(a));
      callHandler(reinterpret_cast<const void*>(n.fn));
    }
    height_ = a + 1;
  }

  /** rax = x op y (flags set; cmp leaves rax = x) for an operation of the Alu table. */
  void intBinary(Alu op, const Operand& x, const Operand& y, Imm32 imm, bool wide) {
    bool commutative = op == Alu::Add || op == Alu::And || op == Alu::Or || op == Alu::Xor;
    if (y.reg == InReg::Rax && commutative) {
      a_.aluMem(op, RAX, x.base, x.disp, wide);
    } else if (y.reg == InReg::Rax) {
      a_.movRR(RCX, RAX);
      a_.load64(RAX, x.base, x.disp);
      a_.alu(op, RAX, RCX, wide);
    } else {
      loadRax(x);
      if (imm.ok) a_.aluImm(op, RAX, imm.value, wide);
      else a_.aluMem(op, RAX, y.base, y.disp, wide);
    }
  }

  static bool inlineAlu(uint16_t op, Alu& alu, bool& wide) {
    wide = op >= 0x7c;
    switch (op) {
      case 0x6a: case 0x7c: alu = Alu::Add; return true;
      case 0x6b: case 0x7d: alu = Alu::Sub; return true;
      case 0x71: case 0x83: alu = Alu::And; return true;
      case 0x72: case 0x84: alu = Alu::Or; return true;
      case 0x73: case 0x85: alu = Alu::Xor; return true;
    }
    return false;
  }

  static bool inlineShift(uint16_t op, Assembler::Shift& s, bool& wide) {
    wide = op >= 0x86;
    switch (op) {
      case 0x74: case 0x86: s = Assembler::Shift::Shl; return true;
      case 0x75: case 0x87: s = Assembler::Shift::Sar; return true;
      case 0x76: case 0x88: s = Assembler::Shift::Shr; return true;
      case 0x77: case 0x89: s = Assembler::Shift::Rol; return true;
      case 0x78: case 0x8a: s = Assembler::Shift::Ror; return true;
    }
    return false;
  }

  /** Float add/sub/mul/div: the SSE instruction gives IEEE results and quiet NaNs, as wasm wants. */
  static bool inlineFloat(uint16_t op, uint8_t& sse, bool& wide) {
    wide = op >= 0xa0;
    switch (op) {
      case 0x92: case 0xa0: sse = 0x58; return true;
      case 0x93: case 0xa1: sse = 0x5c; return true;
      case 0x94: case 0xa2: sse = 0x59; return true;
      case 0x95: case 0xa3: sse = 0x5e; return true;
    }
    return false;
  }

  static bool inlineCompare(uint16_t op, Cond& c, bool& wide) {
    static const Cond conds[10] = {kE, kNE, kL, kB, kG, kA, kLE, kBE, kGE, kAE};
    if (op >= 0x46 && op <= 0x4f) { c = conds[op - 0x46]; wide = false; return true; }
    if (op >= 0x51 && op <= 0x5a) { c = conds[op - 0x51]; wide = true; return true; }
    return false;
  }

  /** Opens the frame of a block, loop or if with its block type. */
  void pushFrame(FrameKind kind, const Instr& in) {
    std::vector<ValType> params, results;
    if (in.x == 1) results.push_back(static_cast<ValType>(in.y));
    if (in.x == 2) {
      params = m_.types[in.a].params;
      results = m_.types[in.a].results;
    }
    ctrls_.emplace_back();  // a deque: labels of outer frames stay where they are
    CtrlFrame& f = ctrls_.back();
    f.kind = kind;
    f.params = units(params);
    f.results = units(results);
    f.height = height_ - f.params;
    f.labelTypes = kind == FrameKind::Loop ? std::move(params) : std::move(results);
  }

  void control(const Instr& in) {
    switch (in.op) {
      case 0x00:  // unreachable
        a_.movImm64(RDI, static_cast<uint64_t>(Trap::Unreachable));
        callHandler(reinterpret_cast<const void*>(&rt::trap));
        setUnreachable();
        return;
      case 0x01: return;
      case 0x02: case 0x03: {
        pushFrame(in.op == 0x02 ? FrameKind::Block : FrameKind::Loop, in);
        if (in.op == 0x03) bind(ctrls_.back().loopStart);
        return;
      }
      case 0x04: {
        conditionFlags();
        pushFrame(FrameKind::If, in);
        jcc(kE, ctrls_.back().elseLabel);
        return;
      }
      case 0x05: {  // else
        CtrlFrame& f = ctrls_.back();
        if (!f.unreachable) jmp(f.end);
        bind(f.elseLabel);
        f.kind = FrameKind::Else;
        f.unreachable = false;
        height_ = f.height + f.params;
        return;
      }
      case 0x0b: {  // end
        CtrlFrame& f = ctrls_.back();
        if (f.kind == FrameKind::Func) {
          if (!f.unreachable) returnValues();
          ctrls_.pop_back();
          return;
        }
        if (f.kind == FrameKind::If) bind(f.elseLabel);  // no else: the parameters pass through
        bind(f.end);
        height_ = f.height + f.results;
        if (height_ > maxHeight_) maxHeight_ = height_;
        ctrls_.pop_back();
        return;
      }
      case 0x0c:
        branchTo(in.a);
        setUnreachable();
        return;
      case 0x0d: {  // br_if
        conditionFlags();
        Label skip;
        jcc(kE, skip);
        branchTo(in.a);
        bind(skip);
        return;
      }
      case 0x0e: brTable(in); return;
      case 0x0f:
        returnValues();
        setUnreachable();
        return;
      case 0x10: callFunction(in.a); return;
      case 0x11: {  // call_indirect type table
        const FuncType& t = m_.types[in.a];
        height_--;
        instanceArgs(height_);
        a_.movImm64(RDX, in.b);
        a_.movImm64(RCX, cm_.typeIds[in.a]);
        callHandler(reinterpret_cast<const void*>(&rt::resolveIndirect));
        uint32_t base = height_ - units(t.params);
        callFuncInstance(base);
        height_ = base;
        push(units(t.results));
        return;
      }
      case 0x1a:  // drop (the validator wrote the type)
        height_ -= units(static_cast<ValType>(in.y));
        consume(height_);
        return;
      case 0x1b: case 0x1c: {  // select
        uint32_t n = units(static_cast<ValType>(in.y));
        height_ -= 1 + 2 * n;
        Label keep;
        a_.load32(RAX, kFrame, slot(height_ + 2 * n));
        a_.test(RAX, RAX, false);
        jcc(kNE, keep);
        copyValue(n, kFrame, slot(height_ + n), kFrame, slot(height_));
        bind(keep);
        push(n);
        return;
      }
      case 0x20: {
        uint32_t n = localSize(in.a);
        if (n == 1) {
          pend_.push_back({height_, false, in.a, 0});  // deferred: no code yet
        } else {
          spillReg();
          a_.sse(0xf3, 0x6f, 0, kFrame, local(in.a));  // a v128 local is loaded into xmm0 and stays there
          setReg(height_, InReg::V128);
        }
        push(n);
        return;
      }
      case 0x21: case 0x22: {  // local.set, local.tee
        uint32_t n = localSize(in.a);
        uint32_t h = height_ - n;
        keepRegOnlyAt(h);
        if (n == 2 && reg_ == InReg::V128) {
          a_.sse(0xf3, 0x7f, 0, kFrame, local(in.a));
          if (in.op == 0x21) consume(h);
        } else if (n == 2) {
          copyValue(n, kFrame, slot(h), kFrame, local(in.a));
        } else if (const Pending* p = pending(h); p && p->isConst) {
          uint64_t bits = p->bits;
          if (in.op == 0x21) consume(h);
          materializeLocal(in.a);
          storeUnit(local(in.a), bits);
        } else if (pendingLocal(h) != static_cast<int64_t>(in.a)) {  // else the value is local i already
          Operand v = operand(h, reg_);
          if (in.op == 0x21) consume(h);  // local.tee: a register-held value stays there
          materializeLocal(in.a);  // what still reads i must see its old value
          storeOperand(v, kFrame, local(in.a));
        } else if (in.op == 0x21) {
          consume(h);
        }
        if (in.op == 0x21) height_ = h;
        return;
      }
      case 0x23: {
        uint32_t n = units(m_.globals[in.a].type);
        spillReg();
        a_.load64(RCX, kInstance, kOffGlobals);
        a_.load64(RCX, RCX, static_cast<int32_t>(8 * in.a));
        copyValue(n, RCX, 0, kFrame, slot(height_));
        push(n);
        return;
      }
      case 0x24: {
        if (m_.globals[in.a].type == ValType::FuncRef) {
          flush();  // global.set reads deferred operands itself (readsDeferred): the handler reads the frame
          return instanceCall(&rt::globalSetRef, 1, 0, in.a);
        }
        uint32_t n = units(m_.globals[in.a].type);
        height_ -= n;
        Operand v = take(height_, n == 1 ? reg_ : InReg::None);
        a_.load64(RCX, kInstance, kOffGlobals);
        a_.load64(RCX, RCX, static_cast<int32_t>(8 * in.a));
        if (n == 1) storeOperand(v, RCX, 0);
        else copyValue(n, v.base, v.disp, RCX, 0);
        return;
      }
      case 0x25: instanceCall(&rt::tableGet, 1, 1, in.a); return;
      case 0x26: instanceCall(&rt::tableSet, 2, 0, in.a); return;
      case 0x3f: instanceCall(&rt::memorySize, 0, 1); return;
      case 0x40: instanceCall(&rt::memoryGrow, 1, 1); return;
      case 0x41: constant(static_cast<uint64_t>(in.a)); return;
      case 0x42: case 0x43: case 0x44: constant(in.c); return;
      case 0xd0: constant(0); return;
      case 0xd1:  // ref.is_null
        a_.load64(RAX, kFrame, slot(height_ - 1));
        a_.test(RAX, RAX, true);
        a_.setcc(kE, RAX);
        a_.store64(kFrame, slot(height_ - 1), RAX);
        return;
      case 0xd2: instanceCall(&rt::refFunc, 0, 1, in.a); return;
      case kKeyFC + 8: instanceCall(&rt::memoryInit, 3, 0, in.a); return;
      case kKeyFC + 9: instanceCall(&rt::dataDrop, 0, 0, in.a); return;
      case kKeyFC + 10: instanceCall(&rt::memoryCopy, 3, 0); return;
      case kKeyFC + 11: instanceCall(&rt::memoryFill, 3, 0); return;
      case kKeyFC + 12: instanceCall(&rt::tableInit, 3, 0, in.a, in.b); return;
      case kKeyFC + 13: instanceCall(&rt::elemDrop, 0, 0, in.a); return;
      case kKeyFC + 14: instanceCall(&rt::tableCopy, 3, 0, in.a, in.b); return;
      case kKeyFC + 15: instanceCall(&rt::tableGrow, 2, 1, in.a); return;
      case kKeyFC + 16: instanceCall(&rt::tableSize, 0, 1, in.a); return;
      case kKeyFC + 17: instanceCall(&rt::tableFill, 3, 0, in.a); return;
      default:
        if (in.op >= kKeyFD) throw std::runtime_error("SIMD instructions are not compiled by tier 1 yet");
        throw std::runtime_error("cannot compile opcode key " + std::to_string(in.op));
    }
  }

  void constant(uint64_t bits) {
    pend_.push_back({height_, true, 0, bits});  // deferred: no code yet
    push();
  }

  /** Writes a constant to [frame + disp] (through rcx: rax may hold a value). */
  void storeUnit(int32_t disp, uint64_t bits) {
    if (bits <= 0x7fffffffu) {
      a_.storeImm64(kFrame, disp, static_cast<int32_t>(bits));
    } else {
      a_.movImm64(RCX, bits);
      a_.store64(kFrame, disp, RCX);
    }
  }

  // ---- SIMD ---------------------------------------------------------------------------------------
  // Memory accesses are inline (a fault in this code is a trap); the lane transforms of the
  // extending, splatting and lane loads/stores reuse the handlers of the matching lane instructions.

  /** Calls the SIMD handler of `code` on the operands from height `base`, with `imm` in rsi. */
  void simdHandler(uint32_t code, uint32_t base, uint64_t imm = 0) {
    SimdHandler fn = simdTable().fn[code];
    if (!fn) throw std::runtime_error("no SIMD handler for opcode 0xfd " + std::to_string(code));
    a_.lea(RDI, kFrame, slot(base));
    a_.movImm64(RSI, imm);
    callHandler(reinterpret_cast<const void*>(fn));
  }

  /** A load of `op` from the address at the top into rdx, which goes to the address's unit. */
  void loadToUnit(const Instr& in, const MemOp& op) {
    uint32_t addrH = height_ - 1;
    int32_t disp = effectiveAddress(in, addrH);
    a_.memAccess(op, RDX, kMemory, RAX, disp);
    a_.store64(kFrame, slot(addrH), RDX);
  }

  /** A load into xmm0 (zero-extended to 128 bits) from the address at the top; the v128 replaces it. */
  void loadXmm(const Instr& in, const MemOp& op) {
    uint32_t addrH = height_ - 1;
    int32_t disp = effectiveAddress(in, addrH);
    a_.memAccess(op, RAX /* xmm0 */, kMemory, RAX, disp);
    a_.sse(0xf3, 0x7f, 0, kFrame, slot(addrH));
    height_ = addrH;
    push(2);
  }

  void simd(const Instr& in) {
    if (!simdAvailable()) throw std::runtime_error("SIMD needs a CPU with SSE4.1");
    static const MemOp* const kLaneLoad[4] = {&kLoad8U, &kLoad16U, &kLoad32, &kLoad64};
    static const MemOp* const kLaneStore[4] = {&kStore8, &kStore16, &kStore32, &kStore64};
    uint32_t code = in.op - kKeyFD;
    switch (code) {
      case 0x00: {  // v128.load: the value stays in xmm0
        uint32_t addrH = height_ - 1;
        int32_t disp = effectiveAddress(in, take(addrH, InReg::Rax));
        a_.memAccess(kLoadV128, RAX /* xmm0 */, kMemory, RAX, disp);
        height_ = addrH;
        push(2);
        setReg(addrH, InReg::V128);
        return;
      }
      case 0x01: case 0x02: case 0x03: case 0x04: case 0x05: case 0x06: {  // load 8 bytes, extend
        static const uint8_t kExtendLow[6] = {0x87, 0x89, 0xa7, 0xa9, 0xc7, 0xc9};
        loadXmm(in, kLoadXmm64);  // one 16-byte store: the handler's 16-byte load is forwarded
        simdHandler(kExtendLow[code - 1], height_ - 2);
        return;
      }
      case 0x07: case 0x08: case 0x09: case 0x0a:  // load and splat
        loadToUnit(in, *kLaneLoad[code - 7]);
        height_--;
        simdHandler(0x0f + (code - 7), height_);
        push(2);
        return;
      case 0x0b: {  // v128.store
        height_ -= 3;
        keepRegOnlyAt(height_, height_ + 1);
        Operand v = operand(height_ + 1, InReg::V128);  // xmm0 survives the address computation
        int32_t disp = effectiveAddress(in, operand(height_, InReg::Rax));
        consume(height_);
        if (v.reg != InReg::V128) a_.sse(0xf3, 0x6f, 0, kFrame, slot(height_ + 1));
        a_.memAccess(kStoreV128, RAX /* xmm0 */, kMemory, RAX, disp);
        return;
      }
      case 0x0c:  // v128.const: 16 bytes from the module's constant table (which outlives the code) into xmm0
        spillReg();
        a_.movImm64(RCX, reinterpret_cast<uint64_t>(expr_->v128s[in.c].data()));
        a_.sse(0xf3, 0x6f, 0, RCX, 0);
        setReg(height_, InReg::V128);
        push(2);
        return;
      case 0x54: case 0x55: case 0x56: case 0x57: {  // load lane: [addr][v] -> [v']
        static const uint8_t kReplace[4] = {0x17, 0x1a, 0x1c, 0x1e};
        uint32_t addrH = height_ - 3;
        int32_t disp = effectiveAddress(in, addrH);
        a_.memAccess(*kLaneLoad[code - 0x54], RDX, kMemory, RAX, disp);
        a_.store64(kFrame, slot(height_), RDX);  // the lane value, above the top: [addr][v][x]
        push(1);
        simdHandler(kReplace[code - 0x54], addrH + 1, in.y);
        copyValue(2, kFrame, slot(addrH + 1), kFrame, slot(addrH));
        height_ = addrH;
        push(2);
        return;
      }
      case 0x58: case 0x59: case 0x5a: case 0x5b: {  // store lane: [addr][v] -> []
        static const uint8_t kExtract[4] = {0x16, 0x19, 0x1b, 0x1d};
        uint32_t addrH = height_ - 3;
        simdHandler(kExtract[code - 0x58], addrH + 1, in.y);  // the lane replaces v
        int32_t disp = effectiveAddress(in, addrH);
        a_.load64(RDX, kFrame, slot(addrH + 1));
        a_.memAccess(*kLaneStore[code - 0x58], RDX, kMemory, RAX, disp);
        height_ = addrH;
        return;
      }
      case 0x5c: case 0x5d:  // load32_zero, load64_zero
        loadXmm(in, code == 0x5c ? kLoadXmm32 : kLoadXmm64);
        return;
      default: {
        if (const SimdInline* si = simdInline(code)) {
          height_ -= 4;
          keepRegOnlyAt(height_, height_ + 2);
          Operand b = operand(height_ + 2, InReg::V128), a = operand(height_, InReg::V128);
          consume(height_);
          const Operand& first = si->swap ? b : a;  // the instruction's destination operand
          const Operand& second = si->swap ? a : b;
          if (second.reg == InReg::V128) {
            a_.sseRR(0, false, 0x28, 1, 0);  // movaps xmm1, xmm0
          } else {
            a_.sse(0xf3, 0x6f, 1, second.base, second.disp);  // movdqu xmm1, second
          }
          if (first.reg != InReg::V128) a_.sse(0xf3, 0x6f, 0, first.base, first.disp);  // movdqu xmm0, first
          a_.sseRR(si->prefix, si->esc38, si->op, 0, 1);
          push(2);
          setReg(height_ - 2, InReg::V128);
          return;
        }
        const OpInfo& info = opInfo(kPrefixFD, code);
        const char* colon = info.sig;
        while (*colon != ':') colon++;
        uint32_t pops = 0, pushes = 0;
        for (const char* p = info.sig; p < colon; p++) pops += *p == 'V' ? 2 : 1;
        for (const char* p = colon + 1; *p; p++) pushes += *p == 'V' ? 2 : 1;
        uint64_t imm = in.y;
        if (info.imm == Imm::Shuffle) imm = reinterpret_cast<uint64_t>(expr_->v128s[in.c].data());
        height_ -= pops;
        simdHandler(code, height_, imm);
        push(pushes);
        return;
      }
    }
  }

  /** A runtime handler taking (instance, first operand slot, immediates…); it pops and pushes in place. */
  template <typename Fn>
  void instanceCall(Fn fn, uint32_t pops, uint32_t pushes, uint32_t imm1 = 0, uint32_t imm2 = 0) {
    height_ -= pops;
    instanceArgs(height_);
    a_.movImm64(RDX, imm1);
    a_.movImm64(RCX, imm2);
    callHandler(reinterpret_cast<const void*>(fn));
    push(pushes);
  }

  void brTable(const Instr& in) {
    height_--;
    uint32_t n = in.a;
    const uint32_t* targets = &expr_->labels[in.b];
    a_.load32(RAX, kFrame, slot(height_));
    a_.aluImm(Alu::Cmp, RAX, static_cast<int32_t>(n), false);
    size_t toDefault = a_.jccRel(kAE);
    size_t tableRel = a_.leaRip(RCX);
    a_.loadTableEntry();
    a_.alu(Alu::Add, RAX, RCX, true);
    a_.jmpReg(RAX);
    size_t table = a_.pos();
    a_.patch(tableRel, table);
    for (uint32_t i = 0; i < n; i++) a_.u32(0);
    for (uint32_t i = 0; i <= n; i++) {
      size_t stub = a_.pos();
      if (i < n) a_.patchU32(table + 4 * i, static_cast<uint32_t>(stub - table));
      else a_.patch(toDefault, stub);
      branchTo(targets[i]);
    }
    setUnreachable();
  }

  const CompiledModule& cm_;
  const Module& m_;
  Assembler& a_;
  std::vector<std::pair<size_t, uint32_t>>& directCalls_;
  const Expr* expr_ = nullptr;
  std::vector<Pending> pend_;  // deferred local.get entries, by ascending height
  InReg reg_ = InReg::None;    // the entry at height regH_ is in this register
  uint32_t regH_ = 0;
  std::vector<uint32_t> localOffsets_;  // in units, one past the last local included
  uint32_t paramUnits_ = 0, localUnits_ = 0;
  uint32_t height_ = 0, maxHeight_ = 0;
  uint32_t deadDepth_ = 0;
  size_t frameSizePatch_ = 0;
  Label exhausted_;
  std::deque<CtrlFrame> ctrls_;
};

}  // namespace

void compileModule(CompiledModule& cm) {
  Assembler a;
  std::vector<std::pair<size_t, uint32_t>> directCalls;
  const Module& m = cm.module;
  for (uint32_t i = m.importedFuncs; i < m.funcs.size(); i++) {
    while (a.pos() % 16) a.byte(0xcc);  // aligned entries
    cm.funcOffsets.push_back(static_cast<uint32_t>(a.pos()));
    FunctionCompiler(cm, a, directCalls).compile(i);
  }
  for (auto [at, callee] : directCalls) a.patch(at, cm.funcOffsets[callee]);
  // W^X: written while writable, then read+execute only.
  size_t size = (a.bytes().size() + 4095) & ~size_t(4095);
  if (size == 0) size = 4096;
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw ResourceError("out of memory: cannot map the module's code");
  if (!a.bytes().empty()) std::memcpy(p, a.bytes().data(), a.bytes().size());  // a module without functions has no code
  if (mprotect(p, size, PROT_READ | PROT_EXEC) != 0) {
    munmap(p, size);
    throw ResourceError("cannot make the module's code executable");
  }
  if (!registerCode(static_cast<uint8_t*>(p), size)) {
    munmap(p, size);
    throw ResourceError("out of resources: too many compiled modules alive at once");
  }
  cm.code = static_cast<uint8_t*>(p);
  cm.codeSize = size;
}

CompiledModule::~CompiledModule() {
  if (code) {
    unregisterCode(code);
    munmap(code, codeSize);
  }
}

}  // namespace mitey
