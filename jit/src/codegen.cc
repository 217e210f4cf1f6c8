// One pass per function over its instructions, with a model of the operand stack's height. Target-
// independent: the machine is reached through the macro-assembler (macro_assembler.h), which names
// registers by role (Reg::Acc, Reg::Frame, FpReg::Acc …) and chooses the instructions.
#include "codegen.h"

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <system_error>
#include <thread>
#include <array>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <limits>
#include <new>
#include <stdexcept>

#include "atomic_handlers.h"
#include "code_buffer.h"
#include "code_registry.h"
#include "code_space.h"
#include "decoder.h"
#include "error.h"
#include "exceptions.h"
#include "gc_handlers.h"
#include "macro_assembler.h"
#include "numeric_handlers.h"
#include "opcode_visitor.h"
#include "opcodes.h"
#include "runtime_handlers.h"
#include "simd_handlers.h"
#include "trap.h"
#include "validator.h"
#include "value_stack.h"

namespace mitey {
namespace {

constexpr uint32_t kNoHeight = std::numeric_limits<uint32_t>::max();

/** The opcode keys (instr.h) that tier 1 names, from the opcode tables (opcode_visitor.h). */
enum Op : uint16_t {
  kUnreachable = op("unreachable"), kNop = op("nop"), kBlock = op("block"), kLoop = op("loop"), kIf = op("if"),
  kElse = op("else"), kEnd = op("end"), kBr = op("br"), kBrIf = op("br_if"), kBrTable = op("br_table"),
  kReturn = op("return"), kCall = op("call"), kCallIndirect = op("call_indirect"),
  kReturnCall = op("return_call"), kReturnCallIndirect = op("return_call_indirect"), kReturnCallRef = op("return_call_ref"),
  kDrop = op("drop"), kSelect = op("select"), kSelectT = op("select", 1),
  kLocalGet = op("local.get"), kLocalSet = op("local.set"), kLocalTee = op("local.tee"),
  kGlobalGet = op("global.get"), kGlobalSet = op("global.set"),
  kTableGet = op("table.get"), kTableSet = op("table.set"), kMemorySize = op("memory.size"), kMemoryGrow = op("memory.grow"),
  kI32Const = op("i32.const"), kI64Const = op("i64.const"), kF32Const = op("f32.const"), kF64Const = op("f64.const"),
  kI32Eqz = op("i32.eqz"), kI32Eq = op("i32.eq"), kI32GeU = op("i32.ge_u"), kI64Eqz = op("i64.eqz"), kI64Eq = op("i64.eq"),
  kI64GeU = op("i64.ge_u"), kI32Mul = op("i32.mul"), kI64Mul = op("i64.mul"), kI32WrapI64 = op("i32.wrap_i64"),
  kF32Eq = op("f32.eq"), kF32Ge = op("f32.ge"), kF64Eq = op("f64.eq"), kF64Ge = op("f64.ge"),
  kI64ExtendI32S = op("i64.extend_i32_s"), kI64ExtendI32U = op("i64.extend_i32_u"), kI64Extend32S = op("i64.extend32_s"),
  kRefNull = op("ref.null"), kRefIsNull = op("ref.is_null"), kRefFunc = op("ref.func"),
  kMemoryInit = op("memory.init"), kDataDrop = op("data.drop"), kMemoryCopy = op("memory.copy"), kMemoryFill = op("memory.fill"),
  kTableInit = op("table.init"), kElemDrop = op("elem.drop"), kTableCopy = op("table.copy"), kTableGrow = op("table.grow"),
  kTableSize = op("table.size"), kTableFill = op("table.fill"),
  kTry = op("try"), kCatch = op("catch"), kCatchAll = op("catch_all"), kDelegate = op("delegate"), kRethrow = op("rethrow"),
  kThrow = op("throw"), kThrowRef = op("throw_ref"), kTryTable = op("try_table"),
  kCallRef = op("call_ref"), kRefAsNonNull = op("ref.as_non_null"), kBrOnNull = op("br_on_null"), kBrOnNonNull = op("br_on_non_null"),
};

/** 0xFD opcodes that tier 1 treats one by one (the rest: inline binary operations or handlers), by code. */
enum SimdOp : uint32_t {
  kV128Load = op("v128.load") - kKeyFD, kV128Load8x8S = op("v128.load8x8_s") - kKeyFD,
  kV128Load32x2U = op("v128.load32x2_u") - kKeyFD, kV128Load8Splat = op("v128.load8_splat") - kKeyFD,
  kV128Load64Splat = op("v128.load64_splat") - kKeyFD, kV128Store = op("v128.store") - kKeyFD,
  kV128Const = op("v128.const") - kKeyFD, kI8x16Splat = op("i8x16.splat") - kKeyFD,
  kV128Load8Lane = op("v128.load8_lane") - kKeyFD, kV128Load64Lane = op("v128.load64_lane") - kKeyFD,
  kV128Store8Lane = op("v128.store8_lane") - kKeyFD, kV128Store64Lane = op("v128.store64_lane") - kKeyFD,
  kV128Load32Zero = op("v128.load32_zero") - kKeyFD, kV128Load64Zero = op("v128.load64_zero") - kKeyFD,
};

enum class FrameKind : uint8_t { Func, Block, Loop, If, Else, Try, Catch };

struct CtrlFrame {
  FrameKind kind = FrameKind::Block;
  size_t values = 0;    // the operand stack's values below the block's parameters
  uint32_t height = 0;  // their height
  std::vector<ValType> params, results;
  uint32_t resultUnits = 0;
  Label end;
  Label elseLabel;
  Label loopStart;
  bool unreachable = false;
  // Exception handling: try_table (a Block with clauses) and the legacy try (Try, then Catch).
  int32_t handler = -1;  // the index of its HandlerRecord in the frame, or -1
  bool active = false;   // the record is on the chain (the try's body runs)
  const std::vector<CatchClause>* clauses = nullptr;  // try_table's
  Label pad;             // the landing pad
  Label nextCatch;       // legacy: where the next catch's test starts
  bool catchTested = false;  // legacy: the last catch tested a tag (no match goes on to nextCatch)
  /** Where a branch to this frame goes, and what it carries there: the loop's parameters, else the results. */
  Label& target() { return kind == FrameKind::Loop ? loopStart : end; }
  const std::vector<ValType>& labelTypes() const { return kind == FrameKind::Loop ? params : results; }
};

/** The memory operation of a load/store opcode. */
struct MemInstr {
  bool ok;
  MemKind kind;
  bool store;
};

constexpr MemInstr memInstr(uint16_t op) {
  switch (op) {
    case mitey::op("i32.load"): return {true, MemKind::Load32, false};
    case mitey::op("i64.load"): return {true, MemKind::Load64, false};
    case mitey::op("f32.load"): return {true, MemKind::Load32, false};
    case mitey::op("f64.load"): return {true, MemKind::Load64, false};
    case mitey::op("i32.load8_s"): return {true, MemKind::Load8S32, false};
    case mitey::op("i32.load8_u"): return {true, MemKind::Load8U, false};
    case mitey::op("i32.load16_s"): return {true, MemKind::Load16S32, false};
    case mitey::op("i32.load16_u"): return {true, MemKind::Load16U, false};
    case mitey::op("i64.load8_s"): return {true, MemKind::Load8S64, false};
    case mitey::op("i64.load8_u"): return {true, MemKind::Load8U, false};
    case mitey::op("i64.load16_s"): return {true, MemKind::Load16S64, false};
    case mitey::op("i64.load16_u"): return {true, MemKind::Load16U, false};
    case mitey::op("i64.load32_s"): return {true, MemKind::Load32S64, false};
    case mitey::op("i64.load32_u"): return {true, MemKind::Load32, false};
    case mitey::op("i32.store"): return {true, MemKind::Store32, true};
    case mitey::op("i64.store"): return {true, MemKind::Store64, true};
    case mitey::op("f32.store"): return {true, MemKind::Store32, true};
    case mitey::op("f64.store"): return {true, MemKind::Store64, true};
    case mitey::op("i32.store8"): return {true, MemKind::Store8, true};
    case mitey::op("i32.store16"): return {true, MemKind::Store16, true};
    case mitey::op("i64.store8"): return {true, MemKind::Store8, true};
    case mitey::op("i64.store16"): return {true, MemKind::Store16, true};
    case mitey::op("i64.store32"): return {true, MemKind::Store32, true};
  }
  return {false, MemKind::Load32, false};
}

class FunctionCompiler {
 public:
  FunctionCompiler(const CompiledModule& cm, MacroAssembler& a, std::vector<std::pair<size_t, uint32_t>>& directCalls, StackMaps& maps)
      : cm_(cm), m_(cm.module), a_(a), directCalls_(directCalls), maps_(maps) {}

  /** Compiles one function; a compiler takes one after another, keeping its containers' memory. */
  void compile(uint32_t funcIndex) {
    reset();
    const FuncType& t = m_.funcType(m_.funcs[funcIndex]);
    const FuncBody& body = m_.bodies[funcIndex - m_.importedFuncs];
    expr_ = &body.code;
    layoutLocals(t, body);
    prologue();
    ctrls_.emplace_back();
    ctrls_.back().kind = FrameKind::Func;
    ctrls_.back().results = t.results;
    ctrls_.back().resultUnits = units(t.results);
    const std::vector<Instr>& code = body.code.code;
    for (size_t i = 0; i < code.size();) i += instruction(code[i], i + 1 < code.size() ? &code[i + 1] : nullptr);
    // The stack check's frame size is known now.
    a_.setFrameSize(frameSizePatch_, static_cast<uint32_t>(8 * (localUnits_ + stack_.maxHeight() + 2)));
    a_.bind(exhausted_);
    a_.movImm(Reg::Arg0, static_cast<uint64_t>(Trap::CallStackExhausted));
    a_.callHandler(reinterpret_cast<const void*>(&rt::trap));
    a_.illegal();
    for (size_t t = 0; t < traps_.size(); t++) {  // the out-of-line traps this function jumps to
      if (traps_[t].patches.empty()) continue;
      a_.bind(traps_[t]);
      a_.movImm(Reg::Arg0, t);
      a_.callHandler(reinterpret_cast<const void*>(&rt::trap));
      a_.illegal();
    }
  }

  void reset() {
    localRefUnits_.clear();
    returnOffsets_.clear();
    stack_.clear();
    localOffsets_.clear();
    localTypes_.clear();
    paramUnits_ = localUnits_ = handlerBase_ = deadDepth_ = activeTries_ = 0;
    fpLocals_.clear();
    intLocals_.clear();
    localReg_.clear();
    cachedLocals_ = 0;
    next_ = nullptr;
    fused_ = false;
    frameSizePatch_ = 0;
    exhausted_ = Label();
    for (Label& l : traps_) l = Label();
    ctrls_.clear();
  }

  /** Where code that finds a trap jumps: one out-of-line call per trap kind and function. */
  Label& trapLabel(Trap t) { return traps_[static_cast<size_t>(t)]; }

 private:
  // ---- frame layout ----------------------------------------------------------------------------
  // The frame is 8-byte units: the locals (parameters first), then the operand stack. A v128 takes
  // two units, any other value one; heights and arities below are counted in units.
  static uint32_t units(ValType t) { return frameUnits(t); }
  static uint32_t units(const std::vector<ValType>& ts) { return static_cast<uint32_t>(frameUnits(ts)); }
  int32_t slot(uint32_t h) const { return static_cast<int32_t>(8 * (localUnits_ + h)); }
  int32_t local(uint32_t i) const { return static_cast<int32_t>(8 * localOffsets_[i]); }
  uint32_t localSize(uint32_t i) const { return localOffsets_[i + 1] - localOffsets_[i]; }

  void layoutLocals(const FuncType& t, const FuncBody& body) {
    uint64_t nlocals = t.params.size() + body.localCount;
    if (nlocals > (1u << 24)) throw std::runtime_error("a function with more than 16 million locals");
    localOffsets_.reserve(nlocals + 1);
    uint32_t u = 0;
    localTypes_.reserve(nlocals);
    for (ValType p : t.params) {
      localOffsets_.push_back(u);
      localTypes_.push_back(p);
      if (holdsGcWord(p)) localRefUnits_.push_back(u);
      u += units(p);
    }
    paramUnits_ = u;
    for (const LocalRun& run : body.locals)
      for (uint32_t i = 0; i < run.count; i++) {
        localOffsets_.push_back(u);
        localTypes_.push_back(run.type);
        if (holdsGcWord(run.type)) localRefUnits_.push_back(u);
        u += units(run.type);
      }
    localOffsets_.push_back(u);  // the end: local i has localOffsets_[i + 1] - localOffsets_[i] units
    localReg_.assign(localTypes_.size(), -1);
    handlerBase_ = u;  // then the records of nested tries (exceptions.h), as deep as the body nests them
    u += maxTryNesting(body.code) * kHandlerUnits;
    localUnits_ = u;
  }

  /** How deeply try and try_table nest in a body (a legacy try keeps its record through its catches). */
  static uint32_t maxTryNesting(const Expr& e) {
    std::vector<bool> isTry;
    uint32_t depth = 0, most = 0;
    for (const Instr& in : e.code) {
      if (in.op == kBlock || in.op == kLoop || in.op == kIf) isTry.push_back(false);
      if (in.op == kTry || in.op == kTryTable) {
        isTry.push_back(true);
        most = std::max(most, ++depth);
      }
      if ((in.op == kEnd || in.op == kDelegate) && !isTry.empty()) {
        if (isTry.back()) depth--;
        isTry.pop_back();
      }
    }
    return most;
  }

  /** The frame offset of the k-th nested try's record. */
  int32_t record(int32_t k) const { return static_cast<int32_t>(8 * (handlerBase_ + static_cast<uint32_t>(k) * kHandlerUnits)); }
  int32_t caughtSlot(int32_t k) const { return record(k) + static_cast<int32_t>(offsetof(HandlerRecord, caught)); }
  /** The records in use by the open frames (a try's from its start to its end). */
  int32_t openTries() const {
    int32_t n = 0;
    for (const CtrlFrame& f : ctrls_) n += f.handler >= 0;
    return n;
  }

  /** Control leaves frames ctrls_[from..]: the chain drops their records (the outermost one's predecessor becomes the head). */
  void leaveHandlersFrom(size_t from) {
    if (activeTries_ == 0) return;  // (most functions: a branch out of deep nesting need not walk it)
    for (size_t i = from; i < ctrls_.size(); i++)
      if (ctrls_[i].active) return a_.leaveHandler(record(ctrls_[i].handler), kOffHandlerHead);
  }

  /** Copies n units from [fromBase + from] to [toBase + to], through `scratch`. */
  void copyUnits(uint32_t n, Reg fromBase, int32_t from, Reg toBase, int32_t to, Reg scratch = Reg::Acc) {
    for (uint32_t i = 0; i < n; i++) {
      a_.load64(scratch, fromBase, from + static_cast<int32_t>(8 * i));
      a_.store64(toBase, to + static_cast<int32_t>(8 * i), scratch);
    }
  }

  // ---- prologue, epilogue -----------------------------------------------------------------------
  void prologue() {
    frameSizePatch_ = a_.prologue(exhausted_);
    // Declared locals start at zero.
    if (localUnits_ > paramUnits_) {
      a_.zero(Reg::Acc);
      for (uint32_t u = paramUnits_; u < localUnits_; u++) a_.store64(Reg::Frame, static_cast<int32_t>(8 * u), Reg::Acc);
    }
  }

  /** Copies one value of n units; a v128 goes through FpReg::Acc in one 16-byte load and store, so a
   * later 16-byte load of it is forwarded from the store (two 8-byte stores would stall it). */
  void copyValue(uint32_t n, Reg fromBase, int32_t from, Reg toBase, int32_t to) {
    if (n != 2) return copyUnits(n, fromBase, from, toBase, to);
    a_.loadV128(FpReg::Acc, fromBase, from);
    a_.storeV128(toBase, to, FpReg::Acc);
  }

  /** Copies values of these types, from height `from` to the frame offset `to`, value by value. */
  void moveValues(const std::vector<ValType>& types, uint32_t from, int32_t to) {
    if (slot(from) == to) return;
    uint32_t u = 0;
    for (ValType t : types) {
      copyValue(units(t), Reg::Frame, slot(from + u), Reg::Frame, to + static_cast<int32_t>(8 * u));
      u += units(t);
    }
  }

  // ---- the abstract stack: deferred local.get and constants, a held register ----------------------
  // A scalar local.get or constant emits nothing at first: the stack entry stays "a copy of local i"
  // or "the constant c" (value_stack.h), and the instruction that consumes it reads the local
  // directly or takes the constant as an immediate (Liftoff keeps such entries the same way). Any
  // instruction that does not know about them reads the frame, so it writes them out first (flush);
  // local.set/tee of i materializes the entries that still refer to i before i changes.
  // The result of the last inline operation may stay in a register (InReg::Acc for integers and
  // loaded bits, FpAcc for floats, V128) until an instruction consumes it. When Acc must take
  // another value, the one it holds moves to a free cache register (Reg::Cache0..) rather than to
  // its slot; integer consumers read cache registers directly. Everything is written out before
  // calls and at block boundaries (flush), so a value crosses a label only in its slot.

  struct Operand {
    Reg base = Reg::Frame;
    int32_t disp = 0;
    InReg reg = InReg::None;  // when set, the value is in that register and base/disp mean nothing
  };

  static Reg cacheReg(InReg r) { return static_cast<Reg>(static_cast<int>(Reg::Cache0) + cacheIndex(r)); }
  static FpReg fpCacheReg(InReg r) { return static_cast<FpReg>(static_cast<int>(FpReg::Cache0) + cacheIndex(r)); }

  /** Writes a register-held value to its slot (8 bytes: an f32's upper half is zero in FpReg::Acc). */
  void spill(StackValue& v) {
    if (v.reg == InReg::Acc) a_.store64(Reg::Frame, slot(v.unit), Reg::Acc);
    if (v.reg == InReg::FpAcc) a_.storeFp64(Reg::Frame, slot(v.unit), FpReg::Acc);
    if (v.reg == InReg::V128) a_.storeV128(Reg::Frame, slot(v.unit), FpReg::Acc);
    if (isCache(v.reg)) a_.store64(Reg::Frame, slot(v.unit), cacheReg(v.reg));
    if (isFpCache(v.reg)) a_.storeFp64(Reg::Frame, slot(v.unit), fpCacheReg(v.reg));
    v.loc = Loc::Slot;
    v.reg = InReg::None;
  }

  /** Acc and FpReg::Acc are free for other values: what they hold moves to a cache register or its slot. */
  void freeAccs() {
    freeAcc();
    freeFpAcc();
  }

  /** A cache register no value holds (a float one when fp), or None. */
  InReg freeCache(bool fp) {
    for (int k = 0; k < kCacheRegs; k++)
      if (InReg r = fp ? fpCacheAt(k) : cacheAt(k); !stack_.holder(r)) return r;
    return InReg::None;
  }

  /** The value in Acc, if any, moves to a free cache register, else to its slot. */
  void freeAcc() {
    StackValue* v = stack_.holder(InReg::Acc);
    if (!v) return;
    InReg r = freeCache(false);
    if (r == InReg::None) return spill(*v);
    a_.move(cacheReg(r), Reg::Acc);
    v->reg = r;
  }

  /** The f32/f64 in FpReg::Acc, if any, moves to a free float cache register, else to its slot (a v128: its slot). */
  void freeFpAcc() {
    StackValue* v = stack_.holder(InReg::FpAcc);
    if (!v) return;
    InReg r = v->reg == InReg::FpAcc ? freeCache(true) : InReg::None;
    if (r == InReg::None) return spill(*v);
    a_.moveFp(fpCacheReg(r), FpReg::Acc);
    v->reg = r;
  }

  /** The register a value is held in, or None: what its consumer accepts to read it where it is. */
  static InReg heldIn(const StackValue& v) { return v.loc == Loc::Reg ? v.reg : InReg::None; }

  /** Frees Acc and FpReg::Acc unless what they hold is at one of these heights (the operands consumed next). */
  void keepRegOnlyAt(uint32_t h1, uint32_t h2 = kNoHeight) {
    if (StackValue* v = stack_.holder(InReg::Acc); v && v->unit != h1 && v->unit != h2) freeAcc();
    if (StackValue* v = stack_.holder(InReg::FpAcc); v && v->unit != h1 && v->unit != h2) freeFpAcc();
  }

  /** Where the scalar at height h can be read: its local while deferred, the register `accept` if it
   * is held there (accept Acc: also an integer cache register; FpAcc: a float one), else its slot (a deferred constant, or a
   * value held in another register, is written to its slot here: call this before emitting the
   * consumer's code). */
  Operand operand(uint32_t h, InReg accept = InReg::None) {
    StackValue* v = stack_.at(h);
    if (!v) return {Reg::Frame, slot(h)};
    switch (v->loc) {
      case Loc::Reg:
        if (v->reg == accept || (accept == InReg::Acc && isCache(v->reg)) || (accept == InReg::FpAcc && isFpCache(v->reg)))
          return {Reg::Frame, 0, v->reg};
        spill(*v);
        break;
      case Loc::Local:
        if (int k = localReg_[v->local]; k >= 0) {
          if (accept == InReg::FpAcc && isFloat(v->type)) return {Reg::Frame, 0, fpCacheAt(kCacheRegs + k)};
          if (accept == InReg::Acc && (v->type == ValType::I32 || v->type == ValType::I64)) return {Reg::Frame, 0, cacheAt(kCacheRegs + k)};
        }
        return {Reg::Frame, local(v->local)};
      case Loc::Const:
        storeUnit(slot(h), v->bits);
        v->loc = Loc::Slot;
        break;
      case Loc::Slot: break;
    }
    return {Reg::Frame, slot(h)};
  }

  /** The local the value at height h is a deferred copy of, or -1. */
  int64_t pendingLocal(uint32_t h) {
    const StackValue* v = stack_.at(h);
    return v && v->loc == Loc::Local ? v->local : -1;
  }

  /** An immediate operand: a deferred constant that fits the instruction's imm32. */
  struct Imm32 {
    bool ok = false;
    int32_t value = 0;
  };

  /** Takes the operand at height h, the top, for a consumer: other register-held values spilled,
   * the value popped (its location is returned). */
  Operand take(uint32_t h, InReg accept) {
    keepRegOnlyAt(h);
    Operand v = operand(h, accept);
    stack_.dropFrom(h);
    return v;
  }

  /** The operands of an integer binary operation at heights a and a + 1, popped: the second as an
   * immediate when it is a deferred constant that fits (and `allowImm`). */
  struct IntOperands {
    Operand x, y;
    Imm32 imm;
  };
  IntOperands takeIntOperands(uint32_t a, bool wide, bool allowImm) {
    keepRegOnlyAt(a, a + 1);
    IntOperands o;
    if (allowImm) o.imm = pendingImm(a + 1, wide);
    if (!o.imm.ok) o.y = operand(a + 1, InReg::Acc);
    o.x = operand(a, InReg::Acc);
    stack_.dropFrom(a);
    return o;
  }

  void loadAcc(const Operand& v, bool wide = true) {
    if (v.reg == InReg::Acc) return;
    if (isCache(v.reg)) return a_.move(Reg::Acc, cacheReg(v.reg));  // an i32 there is zero-extended, as in Acc
    if (wide) a_.load64(Reg::Acc, v.base, v.disp);
    else a_.load32(Reg::Acc, v.base, v.disp);
  }

  /** The deferred constant at height h as the (sign-extended) imm32 of a 32- or 64-bit operation. */
  Imm32 pendingImm(uint32_t h, bool wide) {
    const StackValue* v = stack_.at(h);
    if (!v || v->loc != Loc::Const) return {};
    if (!wide) return {true, static_cast<int32_t>(static_cast<uint32_t>(v->bits))};
    auto x = static_cast<int64_t>(v->bits);
    if (x < INT32_MIN || x > INT32_MAX) return {};
    return {true, static_cast<int32_t>(x)};
  }

  /** Stores a scalar operand (memory, Acc or FpAcc) to [base + disp]; memory goes through Acc. */
  void storeOperand(const Operand& v, Reg base, int32_t disp) {
    if (v.reg == InReg::Acc) {
      a_.store64(base, disp, Reg::Acc);
    } else if (v.reg == InReg::FpAcc) {
      a_.storeFp64(base, disp, FpReg::Acc);
    } else if (isCache(v.reg)) {
      a_.store64(base, disp, cacheReg(v.reg));
    } else if (isFpCache(v.reg)) {
      a_.storeFp64(base, disp, fpCacheReg(v.reg));
    } else {
      a_.load64(Reg::Acc, v.base, v.disp);
      a_.store64(base, disp, Reg::Acc);
    }
  }

  /** Writes every deferred or register-held value to its slot (through Scratch1: Acc may hold a value). */
  void flush() {
    for (size_t i = stack_.firstUnwritten(); i < stack_.size(); i++) {
      StackValue& v = stack_[i];
      if (v.loc == Loc::Reg) spill(v);
      else if (v.loc == Loc::Const) storeUnit(slot(v.unit), v.bits);
      else if (v.loc == Loc::Local) copyUnits(1, Reg::Frame, local(v.local), Reg::Frame, slot(v.unit), Reg::Scratch1);
      v.loc = Loc::Slot;
    }
    stack_.allWritten();
  }

  /** Writes the deferred values that are copies of local i to their slots (i is about to change). */
  void materializeLocal(uint32_t i) {
    for (size_t k = stack_.firstUnwritten(); k < stack_.size(); k++) {
      StackValue& v = stack_[k];
      if (v.loc != Loc::Local || v.local != i) continue;
      copyUnits(1, Reg::Frame, local(i), Reg::Frame, slot(v.unit), Reg::Scratch1);
      v.loc = Loc::Slot;
    }
  }

  /** Writes a constant to [frame + disp] (through Scratch1: Acc may hold a value). */
  void storeUnit(int32_t disp, uint64_t bits) {
    if (bits <= 0x7fffffffu) {
      a_.storeImm64(Reg::Frame, disp, static_cast<int32_t>(bits));
    } else {
      a_.movImm(Reg::Scratch1, bits);
      a_.store64(Reg::Frame, disp, Reg::Scratch1);
    }
  }

  void pushAll(const std::vector<ValType>& ts) {
    for (ValType t : ts) stack_.push(t);
  }

  // ---- branches ----------------------------------------------------------------------------------
  /** The results go to the start of the frame, where the caller finds them. */
  void returnValues() {
    leaveHandlersFrom(0);
    const CtrlFrame& f = ctrls_.front();
    moveValues(f.results, stack_.height() - f.resultUnits, 0);
    a_.epilogue();
  }

  void branchTo(uint32_t depth) {
    CtrlFrame& f = ctrls_[ctrls_.size() - 1 - depth];
    if (f.kind == FrameKind::Func) {
      returnValues();
      return;
    }
    size_t index = ctrls_.size() - 1 - depth;
    leaveHandlersFrom(f.kind == FrameKind::Loop ? index + 1 : index);  // a loop's start is inside it
    const std::vector<ValType>& carried = f.labelTypes();
    moveValues(carried, stack_.height() - units(carried), slot(f.height));
    a_.jump(f.target());
  }

  void setUnreachable() { ctrls_.back().unreachable = true; }

  void popCtrl() {
    if (ctrls_.back().active) activeTries_--;
    ctrls_.pop_back();
  }

  // ---- calls -------------------------------------------------------------------------------------
  /** Arg0 = instance, Arg1 = &slot(h); immediates go in Arg2, Arg3. */
  void instanceArgs(uint32_t h) {
    a_.move(Reg::Arg0, Reg::Instance);
    a_.addressOf(Reg::Arg1, Reg::Frame, slot(h));
  }

  /** A runtime handler taking (instance, first operand slot, immediates…) on scalar operands; it pops
   * `pops` values and pushes its result, if any, in place. */
  template <typename Fn>
  void instanceCall(Fn fn, uint32_t pops, ValType result, uint32_t imm1 = 0, uint64_t imm2 = 0) {
    stack_.pop(pops);
    instanceArgs(stack_.height());
    a_.movImm(Reg::Arg2, imm1);
    a_.movImm(Reg::Arg3, imm2);
    a_.callHandler(reinterpret_cast<const void*>(fn));
    if (result != ValType::Bot) stack_.push(result);
  }

  void callFunction(uint32_t f) {
    const FuncType& t = m_.funcType(m_.funcs[f]);
    stack_.pop(t.params.size());
    uint32_t base = stack_.height();
    if (f >= m_.importedFuncs) {
      a_.move(Reg::Arg0, Reg::Instance);
      a_.addressOf(Reg::Arg1, Reg::Frame, slot(base));
      directCalls_.emplace_back(a_.callDirect(), f - m_.importedFuncs);
      returnOffsets_ = {a_.pos()};
    } else {
      a_.load64(Reg::Acc, Reg::Instance, kOffFuncs);
      a_.load64(Reg::Acc, Reg::Acc, static_cast<int32_t>(8 * f));
      callFuncInstance(base);
    }
    recordStackMap(base);
    pushAll(t.results);
  }

  /** The handler that resolves call_indirect's callee in table t (its index type known here). */
  const void* resolveIndirectFor(uint32_t t) const {
    return m_.tables[t].limits.is64 ? reinterpret_cast<const void*>(&rt::resolveIndirect64) : reinterpret_cast<const void*>(&rt::resolveIndirect);
  }

  void callIndirect(const Instr& in) {
    const FuncType& t = m_.funcType(in.a);
    stack_.pop(1);
    instanceArgs(stack_.height());
    a_.movImm(Reg::Arg2, in.b);
    a_.movImm(Reg::Arg3, cm_.typeIds[in.a]);
    a_.callHandler(resolveIndirectFor(in.b));
    stack_.pop(t.params.size());
    callFuncInstance(stack_.height());
    recordStackMap(stack_.height());
    pushAll(t.results);
  }

  /** Calls the FuncInstance in Acc with its frame at height `base`; a host function without the return predictor. */
  void callFuncInstance(uint32_t base) {
    a_.load64(Reg::Arg0, Reg::Acc, offsetof(FuncInstance, ctx));
    a_.load32(Reg::Scratch1, Reg::Acc, offsetof(FuncInstance, returnsByJump));
    a_.load64(Reg::Acc, Reg::Acc, offsetof(FuncInstance, code));
    a_.addressOf(Reg::Arg1, Reg::Frame, slot(base));
    Label host, done;
    a_.testZero(Reg::Scratch1, false);
    a_.branch(Cond::Ne, host);
    a_.callIndirect(Reg::Acc);
    returnOffsets_ = {a_.pos()};
    a_.jump(done);
    a_.bind(host);
    a_.callIndirectReturnedByJump(Reg::Acc);
    a_.bind(done);
    returnOffsets_.push_back(a_.pos());
  }

  // ---- tail calls --------------------------------------------------------------------------------
  // The frame is reused: the arguments move to its start (where the callee's frame begins, as its
  // parameters) and the callee is jumped to with this function's return address still on top, so a
  // chain of tail calls runs in constant native and value stack space. Every operand is in its
  // slot (flush), above the locals: the moves go to lower addresses, value by value upwards, so
  // an argument is read before any move overwrites it.

  void tailCallFunction(uint32_t f) {
    leaveHandlersFrom(0);  // the frame goes: so do its tries
    const FuncType& t = m_.funcType(m_.funcs[f]);
    stack_.pop(t.params.size());
    moveValues(t.params, stack_.height(), 0);
    if (f >= m_.importedFuncs) {
      a_.move(Reg::Arg0, Reg::Instance);
      a_.move(Reg::Arg1, Reg::Frame);
      directCalls_.emplace_back(a_.tailJumpDirect(), f - m_.importedFuncs);
    } else {
      a_.load64(Reg::Acc, Reg::Instance, kOffFuncs);
      a_.load64(Reg::Acc, Reg::Acc, static_cast<int32_t>(8 * f));
      tailCallFuncInstance();
    }
  }

  void tailCallIndirect(const Instr& in) {
    leaveHandlersFrom(0);
    const FuncType& t = m_.funcType(in.a);
    stack_.pop(1);
    uint32_t index = stack_.height();
    stack_.pop(t.params.size());
    // The arguments move before the function is resolved (the moves go through Acc, where the
    // handler leaves it); the index's slot is above them and stays. A trap then ends the activation.
    moveValues(t.params, stack_.height(), 0);
    instanceArgs(index);
    a_.movImm(Reg::Arg2, in.b);
    a_.movImm(Reg::Arg3, cm_.typeIds[in.a]);
    a_.callHandler(resolveIndirectFor(in.b));
    tailCallFuncInstance();
  }

  /** Tail-calls the FuncInstance in Acc, its arguments at the start of the frame. */
  void tailCallFuncInstance() {
    a_.load64(Reg::Arg0, Reg::Acc, offsetof(FuncInstance, ctx));
    a_.load32(Reg::Scratch1, Reg::Acc, offsetof(FuncInstance, returnsByJump));
    a_.load64(Reg::Acc, Reg::Acc, offsetof(FuncInstance, code));
    a_.move(Reg::Arg1, Reg::Frame);
    Label host;
    a_.testZero(Reg::Scratch1, false);
    a_.branch(Cond::Ne, host);
    a_.tailJumpIndirect(Reg::Acc);
    // A host function (its stub must be called, stack_switch.h): a call, then this function
    // returns. Not constant space, but a chain of tail calls through it passes through JS anyway.
    // Its results land at the frame's start, where this function's caller reads them; nothing
    // else in the frame is live across it, so no stack map.
    a_.bind(host);
    a_.callIndirectReturnedByJump(Reg::Acc);
    a_.epilogue();
  }

  // ---- instructions ------------------------------------------------------------------------------
  /** Compiles one instruction, or two when a comparison fuses with the br_if or if after it. Returns how many. */
  size_t instruction(const Instr& in, const Instr* next) {
    if (ctrls_.back().unreachable) {
      deadInstruction(in);
      return 1;
    }
    next_ = next;
    fused_ = false;
    if (cachedLocals_ && !keepsLocalRegs(in.op)) forgetLocalRegs();
    visitOpcode(in, *this);
    return fused_ ? 2 : 1;
  }

  // ---- scalar locals in registers -------------------------------------------------------------------
  // A float written to a local from a float register is also kept in one of FpReg::Local0..5, an i32/i64
  // written from an integer register in Reg::Local0..1 (write-through: the local's slot is written as
  // before), and a consumer that reads such values from registers reads it there instead of from the slot
  // (operand()), in straight-line code: the copies are forgotten
  // before any instruction that may call (handlers clobber every xmm register) or bind a label (where
  // control arrives from elsewhere). What is left of a loop's values in memory is only what crosses its
  // back edge.

  /** Instructions that call nothing and bind no label. */
  static bool keepsLocalRegs(uint16_t op) {
    switch (op) {
      case kLocalGet: case kLocalSet: case kLocalTee: case kDrop: case kBlock: case kIf: case kBrIf:
      case kI32Const: case kI64Const: case kF32Const: case kF64Const:
      case kI32Eqz: case kI64Eqz: case kI32Mul: case kI64Mul: case kI32WrapI64: case kI64ExtendI32S: case kI64ExtendI32U: case kI64Extend32S:
      case mitey::op("f32.sqrt"): case mitey::op("f64.sqrt"):
      case mitey::op("i32.reinterpret_f32"): case mitey::op("i64.reinterpret_f64"): case mitey::op("f32.reinterpret_i32"):
      case mitey::op("f64.reinterpret_i64"): case mitey::op("f32.convert_i32_s"): case mitey::op("f32.convert_i32_u"):
      case mitey::op("f32.convert_i64_s"): case mitey::op("f64.convert_i32_s"): case mitey::op("f64.convert_i32_u"):
      case mitey::op("f64.convert_i64_s"): case mitey::op("f32.demote_f64"): case mitey::op("f64.promote_f32"):
        return true;
    }
    IntOp alu;
    ShiftOp shift;
    FloatOp fop;
    FloatCmp fc;
    Cond c;
    bool wide;
    if (inlineAlu(op, alu, wide) || inlineShift(op, shift, wide) || inlineCompare(op, c, wide) || inlineFloat(op, fop, wide) ||
        inlineFloatCompare(op, fc, wide))
      return true;
    return op < kKeyFD && memInstr(op).ok;  // loads and stores (a bounds check's trap does not come back)
  }

  void forgetLocalRegs() {
    forgetAll(fpLocals_);
    forgetAll(intLocals_);
    cachedLocals_ = 0;
  }

  /** Registers that hold copies of locals, taken round robin: the local each holds (or -1), the next to take. */
  template <int N>
  struct LocalRegFile {
    std::array<int64_t, N> holder;
    int next = 0;
    void clear() {
      holder.fill(-1);
      next = 0;
    }
  };

  template <int N>
  void forgetAll(LocalRegFile<N>& regs) {
    for (int64_t& l : regs.holder)
      if (l >= 0) localReg_[static_cast<size_t>(l)] = -1, l = -1;
  }

  /** The register of `regs` that holds local i: the one it has, else the next one round robin (its
   * local, if any, forgotten). */
  template <int N>
  int takeLocalReg(LocalRegFile<N>& regs, uint32_t i) {
    int k = localReg_[i];
    if (k >= 0) return k;
    k = regs.next;
    regs.next = (k + 1) % N;
    if (regs.holder[k] >= 0) localReg_[static_cast<size_t>(regs.holder[k])] = -1;
    else cachedLocals_++;
    regs.holder[k] = i;
    localReg_[i] = static_cast<int8_t>(k);
    return k;
  }

  /** Local i's value is in FpReg src: keep a copy in a float local register. */
  void keepLocalInReg(uint32_t i, FpReg src) { a_.moveFp(localFpReg(takeLocalReg(fpLocals_, i)), src); }

  /** Local i's value (an i32/i64) is in integer register src: keep a copy in Reg::Local0..1 (rdi, rsi). */
  void keepIntLocalInReg(uint32_t i, Reg src) { a_.move(localIntReg(takeLocalReg(intLocals_, i)), src); }

  static Reg localIntReg(int k) { return static_cast<Reg>(static_cast<int>(Reg::Local0) + k); }

  void forgetLocal(uint32_t i) {
    if (int k = localReg_[i]; k >= 0) {
      if (isFloat(localTypes_[i])) fpLocals_.holder[k] = -1;
      else intLocals_.holder[k] = -1;
      localReg_[i] = -1;
      cachedLocals_--;
    }
  }

  static bool isFloat(ValType t) { return t == ValType::F32 || t == ValType::F64; }

  static FpReg localFpReg(int k) { return static_cast<FpReg>(static_cast<int>(FpReg::Local0) + k); }

  // The opcode visitor's methods (opcode_visitor.h): one an opcode, or a constrained template for
  // a group of them (SIMD, loads and stores, numeric); unsupported for anything else. Each method
  // writes out the deferred entries (flush) first unless it reads them itself (or only pushes).
  friend struct mitey::OpcodeDispatch;

  template <uint16_t K>
    requires(K >= kKeyFD && K < kKeyFE)
  void on(const Instr& in, OpTag<K>) {
    constexpr uint32_t code = K - kKeyFD;
    if (!(code == kV128Load || code == kV128Store || code == kV128Const || MacroAssembler::hasV128Inline(code))) flush();
    simd(in);
  }

  template <uint16_t K>
    requires(K < kKeyFD && opInfoOf<K>.imm == Imm::MemArg)
  void on(const Instr& in, OpTag<K>) {
    constexpr MemInstr mi = memInstr(K);
    memoryAccess(in, mi, mi.store ? ValType::Bot : sigLetterType(opInfoOf<K>.sig[2]));
  }

  /** Threads: every access through its handler (atomic_handlers.h), with the memory and the memarg's offset. */
  template <uint16_t K>
    requires(K >= kKeyFE && opInfoOf<K>.imm == Imm::MemArg)
  void on(const Instr& in, OpTag<K>) {
    constexpr const char* sig = opInfoOf<K>.sig;
    constexpr const char* colon = sigColon(sig);
    flush();
    instanceCall(rt::atomicHandler(K - kKeyFE), static_cast<uint32_t>(colon - sig), colon[1] ? sigLetterType(colon[1]) : ValType::Bot, in.b, in.c);
  }

  void on(const Instr&, OpTag<op("atomic.fence")>) {
    flush();
    instanceCall(&rt::atomicFence, 0, ValType::Bot);
  }

  /** Numeric, or two instructions when a comparison fuses with the br_if or if after it. */
  template <uint16_t K>
    requires(K < kKeyFD && opInfoOf<K>.imm == Imm::None)
  void on(const Instr& in, OpTag<K>) {
    if constexpr (!(K >= kI32Eqz && K <= op("i64.extend32_s"))) flush();  // the rest: numeric() flushes before calling a handler
    NumericOp n = numericOp(K);
    if (!n.fn) unsupported(in);
    if (next_ && (next_->op == kBrIf || next_->op == kIf) && fusedCondition(K, *next_)) {
      fused_ = true;
      return;
    }
    numeric(K, n, sigColon(opInfoOf<K>.sig) + 1);
  }

  [[noreturn]] void unsupported(const Instr& in) {
    throw std::runtime_error("cannot compile opcode key " + std::to_string(in.op));
  }

  // ---- GC (gc_handlers.h): handlers on the operands in their slots --------------------------------
  // Types on the abstract stack stay module-relative; immediates are canonical ids, field offsets and
  // access codes, computed here. An allocating handler records a stack map with its operands still
  // on the stack: they are the new object's contents, only in the frame while it is made.

  /** A GC handler on the top `pops` values (flushed first), with its result pushed in place. */
  template <typename Fn>
  void gcCall(Fn fn, size_t pops, ValType result, uint32_t imm1 = 0, uint64_t imm2 = 0, bool allocates = false) {
    flush();
    uint32_t base = pops ? stack_[stack_.size() - pops].unit : stack_.height();
    instanceArgs(base);
    a_.movImm(Reg::Arg2, imm1);
    a_.movImm(Reg::Arg3, imm2);
    a_.callHandler(reinterpret_cast<const void*>(fn));
    if (allocates) {
      returnOffsets_ = {a_.pos()};
      recordStackMap(base);
    }
    stack_.pop(pops);
    if (result != ValType::Bot) stack_.push(result);
  }

  uint32_t typeId(uint32_t index) const { return cm_.typeIds[index]; }
  const CanonicalType& canonicalOf(uint32_t index) const { return canonicalType(typeId(index)); }
  /** A non-null reference to type index x, as validation types it. */
  static ValType refTo(uint32_t x) { return ValType::ref(ValType::kConcrete | x, false); }
  /** How a field reads: a packed one as i32. */
  static ValType unpacked(const FieldType& f) { return f.packed == Packed::None ? f.type : ValType::I32; }
  uint64_t elementAccess(uint32_t x, bool signedRead) const { return fieldAccess(canonicalOf(x).type.fields[0], signedRead); }

  void on(const Instr& in, OpTag<op("struct.new")>) {
    gcCall(&rt::structNew, m_.types[in.a].fields.size(), refTo(in.a), typeId(in.a), 0, true);
  }
  void on(const Instr& in, OpTag<op("struct.new_default")>) { gcCall(&rt::structNewDefault, 0, refTo(in.a), typeId(in.a), 0, true); }
  void structGet(const Instr& in, bool signedRead) {
    const CanonicalType& t = canonicalOf(in.a);
    gcCall(&rt::structGet, 1, unpacked(m_.types[in.a].fields[in.b]), t.fieldOffsets[in.b], fieldAccess(t.type.fields[in.b], signedRead));
  }
  void on(const Instr& in, OpTag<op("struct.get")>) { structGet(in, false); }
  void on(const Instr& in, OpTag<op("struct.get_s")>) { structGet(in, true); }
  void on(const Instr& in, OpTag<op("struct.get_u")>) { structGet(in, false); }
  void on(const Instr& in, OpTag<op("struct.set")>) {
    const CanonicalType& t = canonicalOf(in.a);
    gcCall(&rt::structSet, 2, kNone, t.fieldOffsets[in.b], fieldAccess(t.type.fields[in.b], false));
  }

  void on(const Instr& in, OpTag<op("array.new")>) { gcCall(&rt::arrayNew, 2, refTo(in.a), typeId(in.a), 0, true); }
  void on(const Instr& in, OpTag<op("array.new_default")>) { gcCall(&rt::arrayNewDefault, 1, refTo(in.a), typeId(in.a), 0, true); }
  void on(const Instr& in, OpTag<op("array.new_fixed")>) { gcCall(&rt::arrayNewFixed, in.b, refTo(in.a), typeId(in.a), in.b, true); }
  void on(const Instr& in, OpTag<op("array.new_data")>) { gcCall(&rt::arrayNewData, 2, refTo(in.a), typeId(in.a), in.b, true); }
  void on(const Instr& in, OpTag<op("array.new_elem")>) { gcCall(&rt::arrayNewElem, 2, refTo(in.a), typeId(in.a), in.b, true); }
  void arrayGet(const Instr& in, bool signedRead) {
    gcCall(&rt::arrayGet, 2, unpacked(m_.types[in.a].fields[0]), 0, elementAccess(in.a, signedRead));
  }
  void on(const Instr& in, OpTag<op("array.get")>) { arrayGet(in, false); }
  void on(const Instr& in, OpTag<op("array.get_s")>) { arrayGet(in, true); }
  void on(const Instr& in, OpTag<op("array.get_u")>) { arrayGet(in, false); }
  void on(const Instr& in, OpTag<op("array.set")>) { gcCall(&rt::arraySet, 3, kNone, 0, elementAccess(in.a, false)); }
  void on(const Instr&, OpTag<op("array.len")>) { gcCall(&rt::arrayLen, 1, ValType::I32); }
  void on(const Instr& in, OpTag<op("array.fill")>) { gcCall(&rt::arrayFill, 4, kNone, 0, elementAccess(in.a, false)); }
  void on(const Instr&, OpTag<op("array.copy")>) { gcCall(&rt::arrayCopy, 5, kNone); }
  void on(const Instr& in, OpTag<op("array.init_data")>) { gcCall(&rt::arrayInitData, 4, kNone, in.b); }
  void on(const Instr& in, OpTag<op("array.init_elem")>) { gcCall(&rt::arrayInitElem, 4, kNone, in.b, elementAccess(in.a, false)); }

  void on(const Instr&, OpTag<op("ref.i31")>) { gcCall(&rt::refI31, 1, ValType::ref(heap::I31, false)); }
  void on(const Instr&, OpTag<op("i31.get_s")>) { gcCall(&rt::i31GetS, 1, ValType::I32); }
  void on(const Instr&, OpTag<op("i31.get_u")>) { gcCall(&rt::i31GetU, 1, ValType::I32); }
  void on(const Instr&, OpTag<op("ref.eq")>) { gcCall(&rt::refEq, 2, ValType::I32); }

  /** any.convert_extern, extern.convert_any: the same word (gc_heap.h), retyped. */
  void convert(uint32_t to) {
    flush();
    bool nullable = stack_.top().type.nullable();
    stack_.pop(1);
    stack_.push(ValType::ref(to, nullable));
  }
  void on(const Instr&, OpTag<op("any.convert_extern")>) { convert(heap::Any); }
  void on(const Instr&, OpTag<op("extern.convert_any")>) { convert(heap::Extern); }

  /** Acc = whether the reference on top (flushed, still on the stack) is of type t (module-relative). */
  void testTop(ValType t) {
    flush();
    uint32_t h = t.heap();
    if (h & ValType::kConcrete) h = ValType::kConcrete | typeId(h & ~ValType::kConcrete);
    a_.load64(Reg::Arg0, Reg::Frame, slot(stack_.top().unit));
    a_.movImm(Reg::Arg1, h);
    a_.movImm(Reg::Arg2, t.nullable() ? 1 : 0);
    a_.callHandler(reinterpret_cast<const void*>(&rt::refTest));
    a_.testZero(Reg::Acc, true);
  }
  void refTest(const Instr& in) {
    testTop(ValType::fromBits(in.c));
    a_.setCond(Cond::Ne, Reg::Acc);
    a_.store64(Reg::Frame, slot(stack_.top().unit), Reg::Acc);
    stack_.pop(1);
    stack_.push(ValType::I32);
  }
  void on(const Instr& in, OpTag<op("ref.test")>) { refTest(in); }
  void on(const Instr& in, OpTag<op("ref.test", 1)>) { refTest(in); }
  void refCast(const Instr& in) {
    ValType t = ValType::fromBits(in.c);
    testTop(t);
    a_.branch(Cond::Eq, trapLabel(Trap::CastFailure));
    stack_.pop(1);
    stack_.push(t);
  }
  void on(const Instr& in, OpTag<op("ref.cast")>) { refCast(in); }
  void on(const Instr& in, OpTag<op("ref.cast", 1)>) { refCast(in); }

  /** br_on_cast (onFail: br_on_cast_fail) l rt1 rt2: the branch carries the value as rt2 (as rt1 minus rt2 when failing). */
  void brOnCast(const Instr& in, bool onFail) {
    ValType rt1 = ValType::ref(static_cast<uint32_t>(in.c), (in.x & 1) != 0);
    ValType rt2 = ValType::ref(static_cast<uint32_t>(in.c >> 32), (in.x & 2) != 0);
    ValType diff = ValType::ref(rt1.heap(), rt1.nullable() && !rt2.nullable());
    testTop(rt2);
    Label stay;
    a_.branch(onFail ? Cond::Ne : Cond::Eq, stay);
    stack_.pop(1);
    stack_.push(onFail ? diff : rt2);
    branchTo(in.a);
    a_.bind(stay);
    stack_.pop(1);
    stack_.push(onFail ? rt2 : diff);
  }
  void on(const Instr& in, OpTag<op("br_on_cast")>) { brOnCast(in, false); }
  void on(const Instr& in, OpTag<op("br_on_cast_fail")>) { brOnCast(in, true); }

  /** After br, return or unreachable: nothing runs until the frame's else or end, but nesting counts. */
  void deadInstruction(const Instr& in) {
    switch (in.op) {
      case kBlock: case kLoop: case kIf: case kTry: case kTryTable: deadDepth_++; return;
      case kElse: if (deadDepth_ == 0) elseOf(); return;
      case kCatch: case kCatchAll: if (deadDepth_ == 0) legacyCatch(in); return;
      case kDelegate:
        if (deadDepth_ > 0) deadDepth_--;
        else delegate(in);
        return;
      case kEnd:
        if (deadDepth_ > 0) deadDepth_--;
        else endOf();
        return;
      default: return;
    }
  }

  // ---- control -----------------------------------------------------------------------------------
  /** Opens the frame of a block, loop or if with its block type. */
  void pushFrame(FrameKind kind, const Instr& in) {
    std::vector<ValType> params, results;
    if (in.x == 1) results.push_back(ValType::fromBits(in.c));
    if (in.x == 2) {
      params = m_.funcType(in.a).params;
      results = m_.funcType(in.a).results;
    }
    ctrls_.emplace_back();  // a deque: labels of outer frames stay where they are
    CtrlFrame& f = ctrls_.back();
    f.kind = kind;
    f.values = stack_.size() - params.size();
    f.height = stack_.height() - units(params);
    f.resultUnits = units(results);
    f.params = std::move(params);
    f.results = std::move(results);
  }

  // Control instructions and calls.
  void on(const Instr&, OpTag<kUnreachable>) {
    flush();
    a_.movImm(Reg::Arg0, static_cast<uint64_t>(Trap::Unreachable));
    a_.callHandler(reinterpret_cast<const void*>(&rt::trap));
    setUnreachable();
  }

  void on(const Instr&, OpTag<kNop>) { flush(); }
  void on(const Instr& in, OpTag<kBlock>) {
    flush();
    pushFrame(FrameKind::Block, in);
  }

  void on(const Instr& in, OpTag<kLoop>) {
    flush();
    pushFrame(FrameKind::Loop, in);
    a_.bind(ctrls_.back().loopStart);
  }

  void on(const Instr& in, OpTag<kIf>) {
    conditionFlags();
    pushFrame(FrameKind::If, in);
    a_.branch(Cond::Eq, ctrls_.back().elseLabel);
  }

  void on(const Instr&, OpTag<kElse>) {
    flush();
    elseOf();
  }
  void on(const Instr&, OpTag<kEnd>) {
    flush();
    endOf();
  }

  void on(const Instr& in, OpTag<kBr>) {
    flush();
    branchTo(in.a);
    setUnreachable();
  }

  void on(const Instr& in, OpTag<kBrIf>) {
    conditionFlags();
    branchIf(Cond::Ne, in.a);
  }

  /** After a compare or test: to label `depth` when c holds. One conditional jump when the branch moves no
   * value and leaves no try; else a jump over the branch's code when c does not hold. */
  void branchIf(Cond c, uint32_t depth) {
    CtrlFrame& f = ctrls_[ctrls_.size() - 1 - depth];
    size_t index = ctrls_.size() - 1 - depth;
    bool leavesTry = false;
    for (size_t i = f.kind == FrameKind::Loop ? index + 1 : index; activeTries_ && i < ctrls_.size(); i++) leavesTry |= ctrls_[i].active;
    uint32_t carried = units(f.labelTypes());
    if (f.kind != FrameKind::Func && !leavesTry && (carried == 0 || stack_.height() - carried == f.height)) return a_.branch(c, f.target());
    Label skip;
    a_.branch(negate(c), skip);
    branchTo(depth);
    a_.bind(skip);
  }

  void on(const Instr& in, OpTag<kBrTable>) {
    flush();
    brTable(in);
  }

  void on(const Instr&, OpTag<kReturn>) {
    flush();
    returnValues();
    setUnreachable();
  }

  void on(const Instr& in, OpTag<kCall>) {
    flush();
    callFunction(in.a);
  }
  void on(const Instr& in, OpTag<kCallIndirect>) {
    flush();
    callIndirect(in);
  }
  void on(const Instr& in, OpTag<kReturnCall>) {
    flush();
    tailCallFunction(in.a);
    setUnreachable();
  }
  /** return_call_ref: null traps; the arguments move below the reference's slot, which stays. */
  void on(const Instr& in, OpTag<kReturnCallRef>) {
    const FuncType& t = m_.funcType(in.a);
    testTopRef();
    a_.branch(Cond::Eq, trapLabel(Trap::NullFunctionReference));
    leaveHandlersFrom(0);
    stack_.pop(1);
    uint32_t ref = stack_.height();
    stack_.pop(t.params.size());
    moveValues(t.params, stack_.height(), 0);
    a_.load64(Reg::Acc, Reg::Frame, slot(ref));
    tailCallFuncInstance();
    setUnreachable();
  }

  void on(const Instr& in, OpTag<kReturnCallIndirect>) {
    flush();
    tailCallIndirect(in);
    setUnreachable();
  }

  // ---- exception handling (exceptions.h) --------------------------------------------------------
  // A try (try_table, or the legacy try) writes its record and makes it the chain's head; leaving it
  // in any way drops it (its end, branches, returns: leaveHandlersFrom). A throw resumes at the
  // landing pad with the exception in Acc and every operand in its slot (a try is a block boundary),
  // the operand stack as at the try's start.

  /** Opens a try's frame (after its block type's frame is pushed) with the next record. */
  void openTry() {
    CtrlFrame& f = ctrls_.back();
    f.handler = openTries();  // (this frame not counted yet: handler was -1)
    f.active = true;
    activeTries_++;
    a_.enterHandler(record(f.handler), kOffHandlerHead, f.pad);
  }

  void on(const Instr& in, OpTag<kTryTable>) {
    flush();
    pushFrame(FrameKind::Block, in);
    ctrls_.back().clauses = &expr_->catches[in.b];
    openTry();
  }

  void on(const Instr& in, OpTag<kTry>) {
    flush();
    pushFrame(FrameKind::Try, in);
    openTry();
  }

  void on(const Instr& in, OpTag<kThrow>) {
    flush();
    instanceCall(&rt::throwTag, static_cast<uint32_t>(m_.funcType(m_.tags[in.a]).params.size()), ValType::Bot, in.a);
    setUnreachable();
  }

  void on(const Instr&, OpTag<kThrowRef>) {
    flush();
    instanceCall(&rt::throwRef, 1, ValType::Bot);
    setUnreachable();
  }

  void on(const Instr& in, OpTag<kCatch>) {
    flush();
    legacyCatch(in);
  }
  void on(const Instr& in, OpTag<kCatchAll>) {
    flush();
    legacyCatch(in);
  }
  void on(const Instr& in, OpTag<kDelegate>) {
    flush();
    delegate(in);
  }

  void on(const Instr& in, OpTag<kRethrow>) {
    flush();
    const CtrlFrame& f = ctrls_[ctrls_.size() - 1 - in.a];  // a catch of a legacy try: its caught exception
    a_.load64(Reg::Arg0, Reg::Frame, caughtSlot(f.handler));
    a_.callHandler(reinterpret_cast<const void*>(&rt::rethrow));
    setUnreachable();
  }

  /** The landing pad's start: the exception (in Acc) kept in the record, the record dropped. */
  void padEntry(const CtrlFrame& f) {
    a_.bind(const_cast<Label&>(f.pad));
    a_.store64(Reg::Frame, caughtSlot(f.handler), Reg::Acc);
    a_.leaveHandler(record(f.handler), kOffHandlerHead);
  }

  /** The exception of record k goes on outward: no clause of its try took it. */
  void rethrowCaught(int32_t k) {
    a_.load64(Reg::Arg0, Reg::Frame, caughtSlot(k));
    a_.callHandler(reinterpret_cast<const void*>(&rt::rethrow));
    a_.illegal();
  }

  /** A legacy catch or catch_all: the previous part (the body or a catch) ends, and this clause's
   * test begins (a tag's payload lands at the try's base, as the clause's operands). */
  void legacyCatch(const Instr& in) {
    CtrlFrame& f = ctrls_.back();
    if (f.kind == FrameKind::Try) {  // the body ends: its record goes, the landing pad follows
      if (!f.unreachable) {
        a_.leaveHandler(record(f.handler), kOffHandlerHead);
        a_.jump(f.end);
      }
      padEntry(f);
      f.active = false;
      activeTries_--;
    } else {
      if (!f.unreachable) a_.jump(f.end);
      if (f.catchTested) a_.bind(f.nextCatch);
      f.nextCatch = Label();
    }
    f.kind = FrameKind::Catch;
    f.unreachable = false;
    stack_.truncate(f.values);
    f.catchTested = in.op == kCatch;
    if (in.op == kCatch) {
      a_.move(Reg::Arg0, Reg::Instance);
      a_.addressOf(Reg::Arg1, Reg::Frame, slot(f.height));
      a_.load64(Reg::Arg2, Reg::Frame, caughtSlot(f.handler));
      a_.movImm(Reg::Arg3, in.a);
      a_.callHandler(reinterpret_cast<const void*>(&rt::catchTag));
      a_.testZero(Reg::Acc, true);
      a_.branch(Cond::Eq, f.nextCatch);
      pushAll(m_.funcType(m_.tags[in.a]).params);
    }
  }

  /** delegate l: the try ends; what its body throws goes to the handler of label l (the innermost try
   * at or around it), or out of the function when there is none. */
  void delegate(const Instr& in) {
    CtrlFrame f = std::move(ctrls_.back());
    popCtrl();
    if (!f.unreachable) {
      a_.leaveHandler(record(f.handler), kOffHandlerHead);
      a_.jump(f.end);
    }
    padEntry(f);
    size_t target = ctrls_.size() - 1 - in.a;
    bool found = false;
    for (size_t i = target + 1; i-- > 0;)
      if (ctrls_[i].active) {
        a_.setHandler(record(ctrls_[i].handler), kOffHandlerHead);
        found = true;
        break;
      }
    if (!found) leaveHandlersFrom(0);  // every try of this function is skipped: out to the caller's
    rethrowCaught(f.handler);
    a_.bind(f.end);
    stack_.truncate(f.values);
    pushAll(f.results);
  }

  /** The end of a try_table or a legacy try. */
  void endOfTry() {
    CtrlFrame f = std::move(ctrls_.back());
    popCtrl();
    if (f.kind == FrameKind::Catch) {  // legacy, after its catches
      if (f.catchTested) {
        if (!f.unreachable) a_.jump(f.end);
        a_.bind(f.nextCatch);
        rethrowCaught(f.handler);
      }
    } else {  // a try_table, or a legacy try without catches
      if (!f.unreachable) {
        a_.leaveHandler(record(f.handler), kOffHandlerHead);
        a_.jump(f.end);
      }
      padEntry(f);
      if (f.clauses) tryTableDispatch(f);
      rethrowCaught(f.handler);
    }
    a_.bind(f.end);
    stack_.truncate(f.values);
    pushAll(f.results);
  }

  /** try_table's clauses: the first that takes the exception branches to its label (outside the try). */
  void tryTableDispatch(const CtrlFrame& f) {
    stack_.truncate(f.values);
    a_.move(Reg::Arg0, Reg::Instance);
    a_.addressOf(Reg::Arg1, Reg::Frame, slot(f.height));
    a_.load64(Reg::Arg2, Reg::Frame, caughtSlot(f.handler));
    a_.movImm(Reg::Arg3, reinterpret_cast<uint64_t>(f.clauses));
    a_.callHandler(reinterpret_cast<const void*>(&rt::catchClause));
    for (size_t k = 0; k < f.clauses->size(); k++) {
      const CatchClause& c = (*f.clauses)[k];
      Label next;
      a_.intOpImm(IntOp::Cmp, Reg::Acc, static_cast<int32_t>(k), true);
      a_.branch(Cond::Ne, next);
      size_t before = stack_.size();
      if (c.kind < 2) pushAll(m_.funcType(m_.tags[c.tag]).params);
      if (c.kind == 1 || c.kind == 3) stack_.push(ValType::ref(0x69, false));
      branchTo(c.label);
      stack_.truncate(before);
      a_.bind(next);
    }
  }

  // Typed function references: the reference in its slot, null tested there.
  /** Acc = the reference on top (written out with everything else), flags for null. */
  void testTopRef() {
    flush();
    a_.load64(Reg::Acc, Reg::Frame, slot(stack_.top().unit));
    a_.testZero(Reg::Acc, true);
  }

  /** Its non-null form, for the stack model. */
  static ValType nonNull(ValType t) { return t.isRef() ? ValType::ref(t.heap(), false) : t; }

  void on(const Instr& in, OpTag<kCallRef>) {
    const FuncType& t = m_.funcType(in.a);
    testTopRef();
    a_.branch(Cond::Eq, trapLabel(Trap::NullFunctionReference));
    stack_.pop(1 + t.params.size());
    callFuncInstance(stack_.height());  // the FuncInstance in Acc, its arguments below the reference
    recordStackMap(stack_.height());
    pushAll(t.results);
  }

  void on(const Instr&, OpTag<kRefAsNonNull>) {
    testTopRef();
    a_.branch(Cond::Eq, trapLabel(Trap::NullReference));
    ValType t = stack_.top().type;
    stack_.pop(1);
    stack_.push(nonNull(t));
  }

  /** null: the reference dropped, a branch with the operands below it; else it stays, non-null. */
  void on(const Instr& in, OpTag<kBrOnNull>) {
    testTopRef();
    ValType t = stack_.top().type;
    Label skip;
    a_.branch(Cond::Ne, skip);
    stack_.pop(1);
    branchTo(in.a);
    a_.bind(skip);
    stack_.push(nonNull(t));
  }

  /** non-null: a branch carrying it; null: it is dropped. */
  void on(const Instr& in, OpTag<kBrOnNonNull>) {
    testTopRef();
    Label skip;
    a_.branch(Cond::Eq, skip);
    branchTo(in.a);
    a_.bind(skip);
    stack_.pop(1);
  }

  /** Whether values of t (module-relative) are words the collector traces: the any and extern hierarchies. */
  bool holdsGcWord(ValType t) const { return isGcWordType(canonical(t, cm_.typeIds)); }

  /**
   * The stack map at the call just emitted, its arguments (from height `base`) popped: the frame's
   * slots that hold the collector's references across it (the locals', and the operands' below the
   * arguments: flush() wrote every operand to its slot), at each of its return addresses. An
   * allocation's operands are still on the stack: they are roots while its object is made.
   */
  void recordStackMap(uint32_t base) {
    if (localRefUnits_.empty() && !stack_.hasRefs()) return;
    auto first = static_cast<uint32_t>(maps_.slots.size());
    maps_.slots.insert(maps_.slots.end(), localRefUnits_.begin(), localRefUnits_.end());
    if (stack_.hasRefs())
      for (size_t i = 0; i < stack_.size(); i++)
        if (holdsGcWord(stack_[i].type)) maps_.slots.push_back(localUnits_ + stack_[i].unit);
    auto count = static_cast<uint32_t>(maps_.slots.size()) - first;
    if (count == 0) return;
    for (size_t at : returnOffsets_) maps_.maps.push_back({static_cast<uint32_t>(at), first, count, localUnits_ + base});
  }

  void elseOf() {
    CtrlFrame& f = ctrls_.back();
    if (!f.unreachable) a_.jump(f.end);
    a_.bind(f.elseLabel);
    f.kind = FrameKind::Else;
    f.unreachable = false;
    stack_.truncate(f.values);
    pushAll(f.params);
  }

  void endOf() {
    CtrlFrame& f = ctrls_.back();
    if (f.kind == FrameKind::Func) {
      if (!f.unreachable) returnValues();
      popCtrl();
      return;
    }
    if (f.handler >= 0) return endOfTry();
    if (f.kind == FrameKind::If) a_.bind(f.elseLabel);  // no else: the parameters pass through
    a_.bind(f.end);
    stack_.truncate(f.values);
    pushAll(f.results);
    popCtrl();
  }

  void brTable(const Instr& in) {
    stack_.pop(1);
    const uint32_t* targets = &expr_->labels[in.b];
    a_.load32(Reg::Acc, Reg::Frame, slot(stack_.height()));
    JumpTable table = a_.jumpTable(Reg::Acc, in.a);
    for (uint32_t i = 0; i <= in.a; i++) {  // one stub a target, the default last
      a_.bindJumpTableEntry(table, i);
      branchTo(targets[i]);
    }
    setUnreachable();
  }

  /** The i32 condition on top of the stack, before a conditional jump: everything else written out. */
  void conditionFlags() {
    Operand c = take(stack_.top().unit, InReg::Acc);
    flush();  // both paths must see the same frame
    loadAcc(c, false);
    a_.testZero(Reg::Acc, false);
  }

  /** Compare or test setting flags for an integer comparison or eqz; false for other operations. */
  bool compareFlags(uint16_t op, Cond& c) {
    bool wide;
    if (inlineCompare(op, c, wide)) {
      IntOperands o = takeIntOperands(stack_.top(1).unit, wide, true);
      flush();
      intBinary(IntOp::Cmp, o.x, o.y, o.imm, wide);
      return true;
    }
    if (op == kI32Eqz || op == kI64Eqz) {
      Operand x = take(stack_.top().unit, InReg::Acc);
      flush();
      loadAcc(x);
      a_.testZero(Reg::Acc, op == kI64Eqz);
      c = Cond::Eq;
      return true;
    }
    // f32/f64 lt, gt, le, ge: ucomiss/ucomisd and "above (or equal)", operands swapped for lt and le, which a
    // NaN (unordered: ZF, PF and CF set) makes false, and its negation true. eq and ne need PF too: not fused.
    if (FloatCmp fc; inlineFloatCompare(op, fc, wide) && fc != FloatCmp::Eq && fc != FloatCmp::Ne) {
      loadFloatPair(stack_.top(1).unit, wide);
      flush();  // (through Scratch1 and the cache registers: FpReg::Acc and Scratch keep the operands)
      bool swap = fc == FloatCmp::Lt || fc == FloatCmp::Le;
      a_.floatCompareFlags(wide, swap ? FpReg::Scratch : FpReg::Acc, swap ? FpReg::Acc : FpReg::Scratch);
      c = fc == FloatCmp::Gt || fc == FloatCmp::Lt ? Cond::GtU : Cond::GeU;
      return true;
    }
    return false;
  }

  /** A comparison followed by br_if or if: one compare and one conditional jump, no boolean in between. */
  bool fusedCondition(uint16_t op, const Instr& next) {
    Cond c;
    if (!compareFlags(op, c)) return false;
    if (next.op == kBrIf) {
      branchIf(c, next.a);
    } else {
      pushFrame(FrameKind::If, next);
      a_.branch(negate(c), ctrls_.back().elseLabel);
    }
    return true;
  }

  // ---- memory ------------------------------------------------------------------------------------
  // A 32-bit memory of 64 KiB pages is guarded (linear_memory.h): the access goes to [base + address
  // + offset] unchecked, and memory 0's base is pinned (Reg::Memory). Any other memory (memory64,
  // 1-byte pages) is checked: address + offset + access size is compared with its current size first.

  /** Where a memory access goes: base + Acc + disp. */
  struct MemRef {
    Reg base;
    int32_t disp;
  };

  /** Acc = the address operand at height addrH, then as memRef below. */
  MemRef memRef(const Instr& in, uint32_t addrH, uint32_t bytes) { return memRef(in, operand(addrH), bytes); }

  /** Acc = the address (+ the offset when it does not fit a disp32), the memory's base in a register
   * (Reg::Memory, or Scratch1), after a bounds check where the memory needs one. */
  MemRef memRef(const Instr& in, const Operand& addr, uint32_t bytes) {
    const Limits& mem = m_.memories[in.b];
    if (isCache(addr.reg)) a_.move(Reg::Acc, cacheReg(addr.reg));  // an i32 there is zero-extended
    else if (addr.reg != InReg::Acc && mem.is64) a_.load64(Reg::Acc, addr.base, addr.disp);
    else if (addr.reg != InReg::Acc) a_.load32(Reg::Acc, addr.base, addr.disp);  // the address, zero-extended
    uint64_t offset = in.c;
    bool smallOffset = offset <= 0x7fffffffu;
    if (LinearMemory::schemeOf(mem.is64, mem.pageLog2) == BoundsScheme::Guard) {
      if (!smallOffset) a_.addConst(Reg::Acc, offset);  // within the 8 GiB reservation still
      if (in.b == 0) return {Reg::Memory, smallOffset ? static_cast<int32_t>(offset) : 0};
      loadMemView(in.b);
      a_.load64(Reg::Scratch1, Reg::Scratch1, offsetof(LinearMemory::View, base));
      return {Reg::Scratch1, smallOffset ? static_cast<int32_t>(offset) : 0};
    }
    loadMemView(in.b);
    uint64_t extent = offset > ~0ull - bytes ? 0 : offset + bytes;  // 0: never in bounds
    a_.checkBounds(Reg::Acc, extent, Reg::Scratch1, offsetof(LinearMemory::View, bytes), trapLabel(Trap::OutOfBoundsMemory));
    if (!smallOffset) a_.addConst(Reg::Acc, offset);
    a_.load64(Reg::Scratch1, Reg::Scratch1, offsetof(LinearMemory::View, base));
    return {Reg::Scratch1, smallOffset ? static_cast<int32_t>(offset) : 0};
  }

  /** Scratch1 = memory i's View (its base and size). */
  void loadMemView(uint32_t i) {
    a_.load64(Reg::Scratch1, Reg::Instance, kOffMemViews);
    a_.load64(Reg::Scratch1, Reg::Scratch1, static_cast<int32_t>(8 * i));
  }

  /** The type of memory i's addresses, of table t's indices. */
  ValType memAddr(uint32_t i) const { return addressType(m_.memories[i]); }
  ValType tableAddr(uint32_t t) const { return addressType(m_.tables[t].limits); }

  void memoryAccess(const Instr& in, const MemInstr& mi, ValType loaded) {
    uint32_t addrH = stack_.top(mi.store ? 1 : 0).unit;
    if (mi.store) {
      keepRegOnlyAt(addrH, addrH + 1);
      // A float held in a float register is stored from there (the address computation leaves those alone).
      ValType stored = stack_.top().type;
      if (const StackValue* k = stack_.at(addrH + 1); k && k->loc == Loc::Const) {  // a constant: from an immediate, not a slot
        uint64_t bits = k->bits;
        MemRef at = memRef(in, operand(addrH, InReg::Acc), accessBytes(mi.kind));
        stack_.dropFrom(addrH);
        a_.movImm(Reg::Scratch2, bits);  // (the address computation leaves Scratch2 alone)
        return a_.store(mi.kind, Reg::Scratch2, at.base, Reg::Acc, at.disp);
      }
      bool fp = stored == ValType::F32 || stored == ValType::F64;
      Operand value = operand(addrH + 1, fp ? InReg::FpAcc : InReg::Acc);
      if (value.reg == InReg::Acc) a_.move(Reg::Scratch2, Reg::Acc);  // before the address takes Acc
      Operand addr = operand(addrH, InReg::Acc);
      MemRef at = memRef(in, addr, accessBytes(mi.kind));
      stack_.dropFrom(addrH);
      if (value.reg == InReg::FpAcc || isFpCache(value.reg)) {
        FpReg src = value.reg == InReg::FpAcc ? FpReg::Acc : fpCacheReg(value.reg);
        return a_.storeVector(stored == ValType::F64 ? MemKind::StoreFp64 : MemKind::StoreFp32, src, at.base, Reg::Acc, at.disp);
      }
      Reg src = isCache(value.reg) ? cacheReg(value.reg) : Reg::Scratch2;
      if (value.reg == InReg::None) a_.load64(Reg::Scratch2, value.base, value.disp);
      a_.store(mi.kind, src, at.base, Reg::Acc, at.disp);
    } else {
      MemRef at = memRef(in, take(addrH, InReg::Acc), accessBytes(mi.kind));
      if (loaded == ValType::F32 || loaded == ValType::F64) {  // straight into FpReg::Acc, where float consumers read it
        a_.loadVector(loaded == ValType::F64 ? MemKind::LoadV64Zero : MemKind::LoadV32Zero, FpReg::Acc, at.base, Reg::Acc, at.disp);
        return stack_.pushReg(loaded, InReg::FpAcc);
      }
      a_.load(mi.kind, Reg::Acc, at.base, Reg::Acc, at.disp);  // the loaded bits stay in Acc
      stack_.pushReg(loaded, InReg::Acc);
    }
  }

  // ---- numeric -----------------------------------------------------------------------------------
  /** Inline code for the commonest integer and float operations, handlers for the rest. Results
   * of inline code stay in Acc or FpReg::Acc (see freeAcc). `results`: the signature's result
   * letters, one but for wide arithmetic (whose handlers write two slots). */
  void numeric(uint16_t op, const NumericOp& n, const char* results) {
    uint32_t a = stack_.top(n.arity - 1).unit;
    ValType result = sigLetterType(results[0]);
    FloatOp fop;
    bool wide;
    if (inlineInt(op, a)) {
      stack_.pushReg(result, InReg::Acc);
    } else if (inlineFloat(op, fop, wide)) {
      floatBinary(a, fop, wide);
      stack_.pushReg(result, InReg::FpAcc);
    } else if (FloatCmp fc; inlineFloatCompare(op, fc, wide)) {
      floatCompare(a, fc, wide);
      stack_.pushReg(result, InReg::Acc);
    } else if (op == kI32Eqz || op == kI64Eqz) {
      loadAcc(take(a, InReg::Acc));
      a_.testZero(Reg::Acc, op == kI64Eqz);
      a_.setCond(Cond::Eq, Reg::Acc);
      stack_.pushReg(result, InReg::Acc);
    } else if (op == kI32WrapI64 || op == kI64ExtendI32U) {
      // An i32 is zero-extended wherever it is held (a slot's upper half is read as zero by a 32-bit load, Acc and
      // the caches hold i32s zero-extended): i64.extend_i32_u is a 32-bit load or nothing, i32.wrap_i64 the same
      // plus a 32-bit move where the i64 is in a register.
      Operand x = take(a, InReg::Acc);
      bool inReg = x.reg == InReg::Acc || isCache(x.reg);
      loadAcc(x, false);
      if (op == kI32WrapI64 && inReg) a_.zeroExtend32(Reg::Acc);
      stack_.pushReg(result, InReg::Acc);
    } else if (op == kI64ExtendI32S || op == kI64Extend32S) {
      loadAcc(take(a, InReg::Acc), false);
      a_.signExtend32(Reg::Acc);
      stack_.pushReg(result, InReg::Acc);
    } else if (op == mitey::op("f32.sqrt") || op == mitey::op("f64.sqrt")) {
      bool f64 = op == mitey::op("f64.sqrt");
      loadFpAcc(take(a, InReg::FpAcc), f64);
      a_.floatSqrt(f64, FpReg::Acc, FpReg::Acc);
      stack_.pushReg(result, InReg::FpAcc);
    } else if (inlineConversion(op, a)) {
      stack_.pushReg(result, result == ValType::I32 || result == ValType::I64 ? InReg::Acc : InReg::FpAcc);
    } else {
      flush();  // handlers read the frame
      a_.addressOf(Reg::Arg0, Reg::Frame, slot(a));
      a_.callHandler(reinterpret_cast<const void*>(n.fn));
      stack_.pop(n.arity);
      for (const char* p = results; *p; p++) stack_.push(sigLetterType(*p));  // in the slots from a on
    }
  }

  /** An integer add/sub/logic, mul, shift or comparison with operands at a, a + 1 (popped), inline, the result in Acc; false for other opcodes. */
  bool inlineInt(uint16_t op, uint32_t a) {
    IntOp alu = IntOp::Add;
    bool wide = false;
    ShiftOp shift = ShiftOp::Shl;
    Cond c = Cond::Eq;
    bool isMul = op == kI32Mul || op == kI64Mul;
    bool isAlu = inlineAlu(op, alu, wide);
    bool isShift = !isAlu && inlineShift(op, shift, wide);
    bool isCompare = !isAlu && !isShift && inlineCompare(op, c, wide);
    if (isMul) wide = op == kI64Mul;
    if (!isAlu && !isMul && !isShift && !isCompare) return false;
    // A deferred constant as second operand becomes an immediate.
    auto [x, y, imm] = takeIntOperands(a, wide, true);
    if (isMul && imm.ok) {
      loadAcc(x);
      a_.mulImm(Reg::Acc, Reg::Acc, imm.value, wide);  // the 32-bit form zero-extends into Acc
    } else if (isMul) {
      if (y.reg == InReg::Acc) std::swap(x, y);  // commutative
      loadAcc(x);
      if (isCache(y.reg)) a_.mul(Reg::Acc, cacheReg(y.reg), wide);
      else a_.mulMem(Reg::Acc, y.base, y.disp, wide);  // the 32-bit form zero-extends into Acc
    } else if (isShift) {
      if (y.reg == InReg::Acc) a_.move(Reg::Scratch1, Reg::Acc);
      loadAcc(x);
      if (imm.ok) a_.movImm(Reg::Scratch1, static_cast<uint32_t>(imm.value));  // the count is taken modulo the width
      else if (isCache(y.reg)) a_.move(Reg::Scratch1, cacheReg(y.reg));
      else if (y.reg != InReg::Acc) a_.load64(Reg::Scratch1, y.base, y.disp);
      a_.shift(shift, Reg::Acc, Reg::Scratch1, wide);
    } else if (isCompare) {
      intBinary(IntOp::Cmp, x, y, imm, wide);
      a_.setCond(c, Reg::Acc);
    } else {
      intBinary(alu, x, y, imm, wide);  // 32-bit operations zero-extend into Acc
    }
    return true;
  }

  /**
   * The conversions of one instruction each, the operand at a (popped), the result in Acc (an integer) or
   * FpReg::Acc (a float); false for other opcodes. Reinterpretations move bits (a value's slot holds its
   * bits, an f32's in the low half: a load of the right width is the whole conversion); integers to floats
   * are cvtsi2ss/sd, signed 32- or 64-bit, and an unsigned i32 is its zero-extended 64 bits (exact);
   * promote and demote are cvtss2sd / cvtsd2ss (a NaN stays a NaN, quieted: an arithmetic NaN, as the spec
   * allows). The unsigned i64 conversions and the truncations stay handlers.
   */
  bool inlineConversion(uint16_t code, uint32_t a) {
    switch (code) {
      case mitey::op("i32.reinterpret_f32"):
      case mitey::op("i64.reinterpret_f64"): {
        bool wide = code == mitey::op("i64.reinterpret_f64");
        Operand x = take(a, InReg::FpAcc);
        if (x.reg == InReg::FpAcc) a_.fpBitsToInt(wide, Reg::Acc, FpReg::Acc);
        else if (isFpCache(x.reg)) a_.fpBitsToInt(wide, Reg::Acc, fpCacheReg(x.reg));
        else if (wide) a_.load64(Reg::Acc, x.base, x.disp);
        else a_.load32(Reg::Acc, x.base, x.disp);
        return true;
      }
      case mitey::op("f32.reinterpret_i32"):
      case mitey::op("f64.reinterpret_i64"): {
        bool wide = code == mitey::op("f64.reinterpret_i64");
        Operand x = take(a, InReg::Acc);
        if (x.reg == InReg::Acc) a_.intBitsToFp(wide, FpReg::Acc, Reg::Acc);
        else if (isCache(x.reg)) a_.intBitsToFp(wide, FpReg::Acc, cacheReg(x.reg));
        else a_.loadFloat(wide, FpReg::Acc, x.base, x.disp);
        return true;
      }
      case mitey::op("f32.convert_i32_s"): case mitey::op("f32.convert_i32_u"): case mitey::op("f32.convert_i64_s"):
      case mitey::op("f64.convert_i32_s"): case mitey::op("f64.convert_i32_u"): case mitey::op("f64.convert_i64_s"): {
        bool f64 = code >= mitey::op("f64.convert_i32_s");
        bool fromI64 = code == mitey::op("f32.convert_i64_s") || code == mitey::op("f64.convert_i64_s");
        bool unsigned32 = code == mitey::op("f32.convert_i32_u") || code == mitey::op("f64.convert_i32_u");
        loadAcc(take(a, InReg::Acc), fromI64);  // an i32 zero-extended
        a_.intToFloat(fromI64 || unsigned32, f64, FpReg::Acc, Reg::Acc);
        return true;
      }
      case mitey::op("f32.demote_f64"):
      case mitey::op("f64.promote_f32"): {
        bool toF64 = code == mitey::op("f64.promote_f32");
        Operand x = take(a, InReg::FpAcc);
        loadFpAcc(x, !toF64);
        a_.floatToFloat(toF64, FpReg::Acc, FpReg::Acc);
        return true;
      }
    }
    return false;
  }

  /** Acc = (x cond y) for f32/f64 eq … ge with operands at a, a + 1 (popped): x in FpReg::Acc, y in Scratch. */
  void floatCompare(uint32_t a, FloatCmp c, bool wide) {
    loadFloatPair(a, wide);
    a_.floatCompare(c, wide, Reg::Acc, FpReg::Acc, FpReg::Scratch);
  }

  /** FpReg::Acc = the float at a, FpReg::Scratch = the one at a + 1 (both popped; a constant from its bits). */
  void loadFloatPair(uint32_t a, bool wide) {
    keepRegOnlyAt(a, a + 1);  // frees Acc too: the operands are floats
    if (const StackValue* k = stack_.at(a + 1); k && k->loc == Loc::Const) {  // x cond constant
      uint64_t bits = k->bits;
      loadFpAcc(operand(a, InReg::FpAcc), wide);
      stack_.dropFrom(a);
      return floatConstant(FpReg::Scratch, bits, wide);
    }
    Operand y = operand(a + 1, InReg::FpAcc);
    Operand x = operand(a, InReg::FpAcc);
    stack_.dropFrom(a);
    if (y.reg == InReg::FpAcc) {
      a_.moveFp(FpReg::Scratch, FpReg::Acc);
      loadFpAcc(x, wide);
    } else {
      loadFpAcc(x, wide);
      if (isFpCache(y.reg)) a_.moveFp(FpReg::Scratch, fpCacheReg(y.reg));
      else a_.loadFloat(wide, FpReg::Scratch, y.base, y.disp);
    }
  }

  /** FpReg::Acc = x op y for f32/f64 add, sub, mul, div with operands at a, a + 1 (popped). */
  void floatBinary(uint32_t a, FloatOp op, bool wide) {
    keepRegOnlyAt(a, a + 1);
    if (const StackValue* c = stack_.at(a + 1); c && c->loc == Loc::Const) {  // x op constant
      uint64_t bits = c->bits;
      loadFpAcc(operand(a, InReg::FpAcc), wide);
      stack_.dropFrom(a);
      floatConstant(FpReg::Scratch, bits, wide);
      return a_.floatOp(op, wide, FpReg::Acc, FpReg::Scratch);
    }
    Operand y = operand(a + 1, InReg::FpAcc);
    Operand x = operand(a, InReg::FpAcc);
    stack_.dropFrom(a);
    if (y.reg == InReg::FpAcc && (op == FloatOp::Add || op == FloatOp::Mul)) {
      // add, mul: either order (NaN bits are the spec's choice)
      if (isFpCache(x.reg)) a_.floatOp(op, wide, FpReg::Acc, fpCacheReg(x.reg));
      else a_.floatOpMem(op, wide, FpReg::Acc, x.base, x.disp);
    } else if (y.reg == InReg::FpAcc) {
      a_.moveFp(FpReg::Scratch, FpReg::Acc);
      loadFpAcc(x, wide);
      a_.floatOp(op, wide, FpReg::Acc, FpReg::Scratch);
    } else {
      loadFpAcc(x, wide);
      if (isFpCache(y.reg)) a_.floatOp(op, wide, FpReg::Acc, fpCacheReg(y.reg));
      else a_.floatOpMem(op, wide, FpReg::Acc, y.base, y.disp);
    }
  }

  /** r = a deferred f32/f64 constant's bits, through Scratch1 (not through a frame slot: a store, then a load). */
  void floatConstant(FpReg r, uint64_t bits, bool wide) {
    a_.movImm(Reg::Scratch1, wide ? bits : static_cast<uint32_t>(bits));
    a_.intBitsToFp(wide, r, Reg::Scratch1);
  }

  /** FpReg::Acc = the float operand x (a load from memory zeroes the rest of the register). */
  void loadFpAcc(const Operand& x, bool wide) {
    if (x.reg == InReg::FpAcc) return;
    if (isFpCache(x.reg)) a_.moveFp(FpReg::Acc, fpCacheReg(x.reg));
    else a_.loadFloat(wide, FpReg::Acc, x.base, x.disp);
  }

  /** Acc = x op y (flags set; Cmp leaves Acc = x) for an operation of IntOp. */
  void intBinary(IntOp op, const Operand& x, const Operand& y, Imm32 imm, bool wide) {
    bool commutative = op == IntOp::Add || op == IntOp::And || op == IntOp::Or || op == IntOp::Xor;
    if (y.reg == InReg::Acc && commutative) {
      if (isCache(x.reg)) a_.intOp(op, Reg::Acc, cacheReg(x.reg), wide);
      else a_.intOpMem(op, Reg::Acc, x.base, x.disp, wide);
    } else if (y.reg == InReg::Acc) {
      a_.move(Reg::Scratch1, Reg::Acc);
      loadAcc(x);
      a_.intOp(op, Reg::Acc, Reg::Scratch1, wide);
    } else {
      loadAcc(x);
      if (imm.ok) a_.intOpImm(op, Reg::Acc, imm.value, wide);
      else if (isCache(y.reg)) a_.intOp(op, Reg::Acc, cacheReg(y.reg), wide);
      else a_.intOpMem(op, Reg::Acc, y.base, y.disp, wide);
    }
  }

  static bool inlineAlu(uint16_t op, IntOp& alu, bool& wide) {
    wide = op >= mitey::op("i64.add");
    switch (op) {
      case mitey::op("i32.add"): case mitey::op("i64.add"): alu = IntOp::Add; return true;
      case mitey::op("i32.sub"): case mitey::op("i64.sub"): alu = IntOp::Sub; return true;
      case mitey::op("i32.and"): case mitey::op("i64.and"): alu = IntOp::And; return true;
      case mitey::op("i32.or"): case mitey::op("i64.or"): alu = IntOp::Or; return true;
      case mitey::op("i32.xor"): case mitey::op("i64.xor"): alu = IntOp::Xor; return true;
    }
    return false;
  }

  static bool inlineShift(uint16_t op, ShiftOp& s, bool& wide) {
    wide = op >= mitey::op("i64.shl");
    switch (op) {
      case mitey::op("i32.shl"): case mitey::op("i64.shl"): s = ShiftOp::Shl; return true;
      case mitey::op("i32.shr_s"): case mitey::op("i64.shr_s"): s = ShiftOp::ShrS; return true;
      case mitey::op("i32.shr_u"): case mitey::op("i64.shr_u"): s = ShiftOp::ShrU; return true;
      case mitey::op("i32.rotl"): case mitey::op("i64.rotl"): s = ShiftOp::Rotl; return true;
      case mitey::op("i32.rotr"): case mitey::op("i64.rotr"): s = ShiftOp::Rotr; return true;
    }
    return false;
  }

  /** Float add/sub/mul/div: IEEE results and quiet NaNs, as wasm wants. */
  static bool inlineFloat(uint16_t op, FloatOp& f, bool& wide) {
    wide = op >= mitey::op("f64.add");
    switch (op) {
      case mitey::op("f32.add"): case mitey::op("f64.add"): f = FloatOp::Add; return true;
      case mitey::op("f32.sub"): case mitey::op("f64.sub"): f = FloatOp::Sub; return true;
      case mitey::op("f32.mul"): case mitey::op("f64.mul"): f = FloatOp::Mul; return true;
      case mitey::op("f32.div"): case mitey::op("f64.div"): f = FloatOp::Div; return true;
    }
    return false;
  }

  /** f32/f64 eq … ge: the comparison, in the same order as FloatCmp. */
  static bool inlineFloatCompare(uint16_t op, FloatCmp& c, bool& wide) {
    if (op >= kF32Eq && op <= kF32Ge) { c = static_cast<FloatCmp>(op - kF32Eq); wide = false; return true; }
    if (op >= kF64Eq && op <= kF64Ge) { c = static_cast<FloatCmp>(op - kF64Eq); wide = true; return true; }
    return false;
  }

  /** i32/i64 eq … ge_u: the condition, in the same order as Cond. */
  static bool inlineCompare(uint16_t op, Cond& c, bool& wide) {
    if (op >= kI32Eq && op <= kI32GeU) { c = static_cast<Cond>(op - kI32Eq); wide = false; return true; }
    if (op >= kI64Eq && op <= kI64GeU) { c = static_cast<Cond>(op - kI64Eq); wide = true; return true; }
    return false;
  }

  // ---- parametric and variable instructions ------------------------------------------------------
  // drop, select, local.*, global.*, constants, ref.null, ref.is_null.
  void on(const Instr&, OpTag<kDrop>) { stack_.pop(1); }

  void on(const Instr&, OpTag<kSelect>) {
    flush();
    select();
  }
  void on(const Instr&, OpTag<kSelectT>) {
    flush();
    select();
  }
  void on(const Instr& in, OpTag<kLocalGet>) { localGet(in.a); }
  void on(const Instr& in, OpTag<kLocalSet>) { localSet(in.a, false); }
  void on(const Instr& in, OpTag<kLocalTee>) { localSet(in.a, true); }
  void on(const Instr& in, OpTag<kGlobalGet>) { globalGet(in.a); }
  void on(const Instr& in, OpTag<kGlobalSet>) { globalSet(in.a); }
  void on(const Instr& in, OpTag<kI32Const>) { stack_.pushConst(ValType::I32, static_cast<uint64_t>(in.a)); }
  void on(const Instr& in, OpTag<kI64Const>) { stack_.pushConst(ValType::I64, in.c); }
  void on(const Instr& in, OpTag<kF32Const>) { stack_.pushConst(ValType::F32, in.c); }
  void on(const Instr& in, OpTag<kF64Const>) { stack_.pushConst(ValType::F64, in.c); }
  void on(const Instr& in, OpTag<kRefNull>) { stack_.pushConst(ValType::fromBits(in.c), 0); }

  void on(const Instr&, OpTag<kRefIsNull>) {
    flush();
    int32_t at = slot(stack_.top().unit);
    a_.load64(Reg::Acc, Reg::Frame, at);
    a_.testZero(Reg::Acc, true);
    a_.setCond(Cond::Eq, Reg::Acc);
    a_.store64(Reg::Frame, at, Reg::Acc);
    stack_.pop(1);
    stack_.push(ValType::I32);
  }

  /** [x][y][c] -> x or y: y is copied over x unless c is true (every operand in its slot). */
  void select() {
    ValType t = stack_.top(1).type;
    uint32_t n = units(t), h = stack_.top(2).unit;
    Label keep;
    a_.load32(Reg::Acc, Reg::Frame, slot(stack_.top().unit));
    a_.testZero(Reg::Acc, false);
    a_.branch(Cond::Ne, keep);
    copyValue(n, Reg::Frame, slot(h + n), Reg::Frame, slot(h));
    a_.bind(keep);
    stack_.pop(3);
    stack_.push(t);
  }

  void localGet(uint32_t i) {
    ValType t = localTypes_[i];
    if (units(t) == 1) {
      stack_.pushLocal(t, i);  // deferred: no code yet
    } else {
      freeAccs();
      a_.loadV128(FpReg::Acc, Reg::Frame, local(i));  // a v128 local is loaded into FpReg::Acc and stays there
      stack_.pushReg(t, InReg::V128);
    }
  }

  void localSet(uint32_t i, bool tee) {
    uint32_t n = localSize(i);
    StackValue& top = stack_.top();
    uint32_t h = top.unit;
    keepRegOnlyAt(h);
    if (n == 2 && top.loc == Loc::Reg) {
      a_.storeV128(Reg::Frame, local(i), FpReg::Acc);  // (a v128 local is never kept in a register)
    } else if (n == 2) {
      copyValue(n, Reg::Frame, slot(h), Reg::Frame, local(i));
    } else if (top.loc == Loc::Const) {
      uint64_t bits = top.bits;
      materializeLocal(i);  // (the constant itself stays deferred for local.tee)
      storeUnit(local(i), bits);
      forgetLocal(i);
    } else if (pendingLocal(h) != static_cast<int64_t>(i)) {  // else the value is local i already
      Operand v = operand(h, heldIn(top));
      if (!tee) stack_.pop(1);  // local.tee: a register-held value stays there
      materializeLocal(i);  // what still reads i must see its old value
      storeOperand(v, Reg::Frame, local(i));
      ValType t = localTypes_[i];
      bool integer = t == ValType::I32 || t == ValType::I64;
      if (isFloat(t) && v.reg == InReg::FpAcc) keepLocalInReg(i, FpReg::Acc);
      else if (isFloat(t) && isFpCache(v.reg)) keepLocalInReg(i, fpCacheReg(v.reg));
      else if (integer && v.reg == InReg::Acc) keepIntLocalInReg(i, Reg::Acc);
      else if (integer && isCache(v.reg)) keepIntLocalInReg(i, cacheReg(v.reg));
      else forgetLocal(i);
      return;
    }
    if (!tee) stack_.pop(1);
  }

  void globalGet(uint32_t g) {
    ValType t = m_.globals[g].type;
    freeAccs();
    a_.load64(Reg::Scratch1, Reg::Instance, kOffGlobals);
    a_.load64(Reg::Scratch1, Reg::Scratch1, static_cast<int32_t>(8 * g));
    copyValue(units(t), Reg::Scratch1, 0, Reg::Frame, slot(stack_.height()));
    stack_.push(t);
  }

  void globalSet(uint32_t g) {
    if (ValType t = canonical(m_.globals[g].type, cm_.typeIds); isFuncRef(t) || isExnRef(t)) {  // the stored reference must be kept (a function's instance) or escapes (an exception)
      flush();  // the handler reads the frame
      return instanceCall(&rt::globalSetRef, 1, ValType::Bot, g);
    }
    uint32_t n = units(m_.globals[g].type);
    const StackValue& top = stack_.top();
    Operand v = take(top.unit, n == 1 ? heldIn(top) : InReg::None);
    a_.load64(Reg::Scratch1, Reg::Instance, kOffGlobals);
    a_.load64(Reg::Scratch1, Reg::Scratch1, static_cast<int32_t>(8 * g));
    if (n == 1) storeOperand(v, Reg::Scratch1, 0);
    else copyValue(n, v.base, v.disp, Reg::Scratch1, 0);
  }

  // ---- tables, references, bulk memory: runtime handlers -----------------------------------------
  static constexpr ValType kNone = ValType::Bot;  // a handler without a result
  ValType tableElem(uint32_t t) const { return m_.tables[t].elem; }

  void on(const Instr& in, OpTag<kTableGet>) { flush(); instanceCall(&rt::tableGet, 1, tableElem(in.a), in.a); }
  void on(const Instr& in, OpTag<kTableSet>) { flush(); instanceCall(&rt::tableSet, 2, kNone, in.a); }
  void on(const Instr& in, OpTag<kMemorySize>) { flush(); instanceCall(&rt::memorySize, 0, memAddr(in.a), in.a); }
  void on(const Instr& in, OpTag<kMemoryGrow>) { flush(); instanceCall(&rt::memoryGrow, 1, memAddr(in.a), in.a); }
  void on(const Instr& in, OpTag<kRefFunc>) { flush(); instanceCall(&rt::refFunc, 0, ValType::FuncRef, in.a); }
  void on(const Instr& in, OpTag<kMemoryInit>) { flush(); instanceCall(&rt::memoryInit, 3, kNone, in.a, in.b); }
  void on(const Instr& in, OpTag<kDataDrop>) { flush(); instanceCall(&rt::dataDrop, 0, kNone, in.a); }
  void on(const Instr& in, OpTag<kMemoryCopy>) { flush(); instanceCall(&rt::memoryCopy, 3, kNone, in.a, in.b); }
  void on(const Instr& in, OpTag<kMemoryFill>) { flush(); instanceCall(&rt::memoryFill, 3, kNone, in.a); }
  void on(const Instr& in, OpTag<kTableInit>) { flush(); instanceCall(&rt::tableInit, 3, kNone, in.a, in.b); }
  void on(const Instr& in, OpTag<kElemDrop>) { flush(); instanceCall(&rt::elemDrop, 0, kNone, in.a); }
  void on(const Instr& in, OpTag<kTableCopy>) { flush(); instanceCall(&rt::tableCopy, 3, kNone, in.a, in.b); }
  void on(const Instr& in, OpTag<kTableGrow>) { flush(); instanceCall(&rt::tableGrow, 2, tableAddr(in.a), in.a); }
  void on(const Instr& in, OpTag<kTableSize>) { flush(); instanceCall(&rt::tableSize, 0, tableAddr(in.a), in.a); }
  void on(const Instr& in, OpTag<kTableFill>) { flush(); instanceCall(&rt::tableFill, 3, kNone, in.a); }

  // ---- SIMD ---------------------------------------------------------------------------------------
  // Memory accesses are inline (a fault in this code is a trap); the lane transforms of the
  // extending, splatting and lane loads/stores reuse the handlers of the matching lane instructions.

  /** Calls the SIMD handler of `code` on the operands from height `base`, with `imm` in Arg1. */
  void simdHandler(uint32_t code, uint32_t base, uint64_t imm = 0) {
    SimdHandler fn = simdTable().fn[code];
    if (!fn) throw std::runtime_error("no SIMD handler for opcode 0xfd " + std::to_string(code));
    a_.addressOf(Reg::Arg0, Reg::Frame, slot(base));
    a_.movImm(Reg::Arg1, imm);
    a_.callHandler(reinterpret_cast<const void*>(fn));
  }

  /** A load of `kind` from the address at the top into Scratch2, which goes to the address's unit (popped). */
  void loadToUnit(const Instr& in, MemKind kind) {
    uint32_t addrH = stack_.top().unit;
    MemRef at = memRef(in, addrH, accessBytes(kind));
    a_.load(kind, Reg::Scratch2, at.base, Reg::Acc, at.disp);
    a_.store64(Reg::Frame, slot(addrH), Reg::Scratch2);
    stack_.pop(1);
  }

  /** A load into FpReg::Acc (zero-extended to 128 bits) from the address at the top; the v128 replaces it. */
  void loadVectorToSlot(const Instr& in, MemKind kind) {
    uint32_t addrH = stack_.top().unit;
    MemRef at = memRef(in, addrH, accessBytes(kind));
    a_.loadVector(kind, FpReg::Acc, at.base, Reg::Acc, at.disp);
    a_.storeV128(Reg::Frame, slot(addrH), FpReg::Acc);
    stack_.pop(1);
    stack_.push(ValType::V128);
  }

  void simd(const Instr& in) {
    if (!simdAvailable()) throw std::runtime_error("SIMD needs a CPU with SSE4.1");
    uint32_t code = in.op - kKeyFD;
    if (simdMemory(in, code)) return;
    if (code == kV128Const) {  // 16 bytes from the module's constant table (which outlives the code) into FpReg::Acc
      freeAccs();
      a_.movImm(Reg::Scratch1, reinterpret_cast<uint64_t>(expr_->v128s[in.c].data()));
      a_.loadV128(FpReg::Acc, Reg::Scratch1, 0);
      stack_.pushReg(ValType::V128, InReg::V128);
      return;
    }
    if (MacroAssembler::hasV128Inline(code)) return simdInlineBinary(code);
    const OpInfo& info = opInfo(kPrefixFD, code);
    uint64_t imm = in.y;
    if (info.imm == Imm::Shuffle) imm = reinterpret_cast<uint64_t>(expr_->v128s[in.c].data());
    const char* colon = sigColon(info.sig);
    stack_.pop(static_cast<size_t>(colon - info.sig));
    simdHandler(code, stack_.height(), imm);
    for (const char* p = colon + 1; *p; p++) stack_.push(sigLetterType(*p));
  }

  /** A v128 binary operation of one machine instruction, its result left in FpReg::Acc. */
  void simdInlineBinary(uint32_t code) {
    uint32_t h = stack_.top(1).unit;
    keepRegOnlyAt(h, h + 2);
    Operand b = operand(h + 2, InReg::V128), a = operand(h, InReg::V128);
    stack_.dropFrom(h);
    bool swap = MacroAssembler::v128InlineSwapped(code);
    const Operand& first = swap ? b : a;  // the instruction's destination operand
    const Operand& second = swap ? a : b;
    if (second.reg == InReg::V128) a_.moveFp(FpReg::Scratch, FpReg::Acc);
    else a_.loadV128(FpReg::Scratch, second.base, second.disp);
    if (first.reg != InReg::V128) a_.loadV128(FpReg::Acc, first.base, first.disp);
    a_.v128Inline(code);
    stack_.pushReg(ValType::V128, InReg::V128);
  }

  /** The v128 loads and stores; false for other opcodes. */
  bool simdMemory(const Instr& in, uint32_t code) {
    static constexpr MemKind kLaneLoad[4] = {MemKind::Load8U, MemKind::Load16U, MemKind::Load32, MemKind::Load64};
    static constexpr MemKind kLaneStore[4] = {MemKind::Store8, MemKind::Store16, MemKind::Store32, MemKind::Store64};
    if (code == kV128Load) {  // the value stays in FpReg::Acc
      MemRef at = memRef(in, take(stack_.top().unit, InReg::Acc), 16);
      a_.loadVector(MemKind::LoadV128, FpReg::Acc, at.base, Reg::Acc, at.disp);
      stack_.pushReg(ValType::V128, InReg::V128);
    } else if (code >= kV128Load8x8S && code <= kV128Load32x2U) {  // load 8 bytes, extend
      static const uint8_t kExtendLow[6] = {0x87, 0x89, 0xa7, 0xa9, 0xc7, 0xc9};
      loadVectorToSlot(in, MemKind::LoadV64Zero);  // one 16-byte store: the handler's 16-byte load is forwarded
      simdHandler(kExtendLow[code - kV128Load8x8S], stack_.top().unit);
    } else if (code >= kV128Load8Splat && code <= kV128Load64Splat) {
      loadToUnit(in, kLaneLoad[code - kV128Load8Splat]);
      simdHandler(kI8x16Splat + (code - kV128Load8Splat), stack_.height());
      stack_.push(ValType::V128);
    } else if (code == kV128Store) {
      uint32_t h = stack_.top(1).unit;
      keepRegOnlyAt(h, h + 1);
      Operand v = operand(h + 1, InReg::V128);  // FpReg::Acc survives the address computation
      MemRef at = memRef(in, operand(h, InReg::Acc), 16);
      stack_.dropFrom(h);
      if (v.reg != InReg::V128) a_.loadV128(FpReg::Acc, Reg::Frame, slot(h + 1));
      a_.storeVector(MemKind::StoreV128, FpReg::Acc, at.base, Reg::Acc, at.disp);
    } else if (code >= kV128Load8Lane && code <= kV128Load64Lane) {  // [addr][v] -> [v']
      static const uint8_t kReplace[4] = {0x17, 0x1a, 0x1c, 0x1e};
      uint32_t addrH = stack_.top(1).unit;
      MemKind kind = kLaneLoad[code - kV128Load8Lane];
      MemRef at = memRef(in, addrH, accessBytes(kind));
      a_.load(kind, Reg::Scratch2, at.base, Reg::Acc, at.disp);
      a_.store64(Reg::Frame, slot(stack_.height()), Reg::Scratch2);  // the lane value above v: [addr][v][x]
      stack_.push(ValType::I64);
      simdHandler(kReplace[code - kV128Load8Lane], addrH + 1, in.y);
      copyValue(2, Reg::Frame, slot(addrH + 1), Reg::Frame, slot(addrH));
      stack_.pop(3);
      stack_.push(ValType::V128);
    } else if (code >= kV128Store8Lane && code <= kV128Store64Lane) {  // [addr][v] -> []
      static const uint8_t kExtract[4] = {0x16, 0x19, 0x1b, 0x1d};
      uint32_t addrH = stack_.top(1).unit;
      simdHandler(kExtract[code - kV128Store8Lane], addrH + 1, in.y);  // the lane replaces v
      MemKind kind = kLaneStore[code - kV128Store8Lane];
      MemRef at = memRef(in, addrH, accessBytes(kind));
      a_.load64(Reg::Scratch2, Reg::Frame, slot(addrH + 1));
      a_.store(kind, Reg::Scratch2, at.base, Reg::Acc, at.disp);
      stack_.pop(2);
    } else if (code == kV128Load32Zero || code == kV128Load64Zero) {
      loadVectorToSlot(in, code == kV128Load32Zero ? MemKind::LoadV32Zero : MemKind::LoadV64Zero);
    } else {
      return false;
    }
    return true;
  }

  const CompiledModule& cm_;
  const Module& m_;
  MacroAssembler& a_;
  std::vector<std::pair<size_t, uint32_t>>& directCalls_;
  StackMaps& maps_;
  std::vector<uint32_t> localRefUnits_;  // the parameters' and locals' slots that hold the collector's references
  std::vector<size_t> returnOffsets_;    // of the call just emitted (a host call returns elsewhere)
  const Expr* expr_ = nullptr;
  ValueStack stack_;  // the operand stack's values: their types and where they are
  std::vector<uint32_t> localOffsets_;  // in units, one past the last local included
  std::vector<ValType> localTypes_;
  uint32_t paramUnits_ = 0, localUnits_ = 0;
  uint32_t handlerBase_ = 0;  // the first unit of the try records (after the locals)
  uint32_t deadDepth_ = 0;
  uint32_t activeTries_ = 0;  // frames whose try record is on the chain
  LocalRegFile<kLocalFpRegs> fpLocals_;    // FpReg::Local0..5
  LocalRegFile<kLocalIntRegs> intLocals_;  // Reg::Local0..1
  std::vector<int8_t> localReg_;  // per local: the k of the register (of its type's file) holding it, or -1
  int cachedLocals_ = 0;
  const Instr* next_ = nullptr;  // the instruction after the one being compiled (a comparison may fuse with it)
  bool fused_ = false;           // it did: both are compiled
  size_t frameSizePatch_ = 0;
  Label exhausted_;
  std::array<Label, static_cast<size_t>(Trap::kCount)> traps_;  // trapLabel
  std::deque<CtrlFrame> ctrls_;
};

}  // namespace

static_assert(OpcodeDispatch::handlesAll<FunctionCompiler, const Instr>(), "tier 1 compiles every opcode of the tables");

namespace {

/** A bound on the machine code of these bodies, times `factor`: 12 bytes per byte of body (tier 1 writes
 * 1-4), room per function for its prologue, stack check and trap stubs, and 32 bytes per declared local
 * (the prologue zeroes each unit, a v128 two: a module may declare 50,000 locals in a few bytes; more than 16
 * million the compiler refuses). */
size_t codeBound(const Module& m, uint32_t lo, uint32_t hi, size_t factor) {
  size_t bound = 64u << 10;
  for (uint32_t i = lo; i < hi; i++) bound += 12 * (m.bodies[i].end - m.bodies[i].start) + 512 + 32 * std::min<uint64_t>(m.bodies[i].localCount, (1u << 24) + 1);
  return (bound * factor + 4095) & ~size_t(4095);
}

/** Unmaps a reservation unless released (a compile that threw). */
struct CodeMapping {
  uint8_t* base;
  size_t size;
  ~CodeMapping() {
    if (base) munmap(base, size);
  }
};

/** One thread's share of a module: defined functions [lo, hi) (body indices), compiled in order into
 * its own part of the reservation, at `offset` from its start. */
struct Share {
  uint32_t lo = 0, hi = 0;
  size_t offset = 0, bound = 0, used = 0;
  size_t kept = 0;  // the pages of the share's code (whole pages, one at least), when merged
  std::vector<std::pair<size_t, uint32_t>> directCalls;  // (position in the share, callee's body index)
  StackMaps maps;                                        // return offsets within the share
  std::vector<uint32_t> funcOffsets;                     // within the share
  std::vector<Expr> sideTables;  // of the bodies compiled, their instructions freed
  std::exception_ptr error;
};

/**
 * Compiles a share: each body decoded (when the decoder deferred it) and validated just before its
 * code is generated, and its instructions freed just after, so that a module's decoded instructions
 * never all exist at once. `failed` stops the other shares early.
 */
void compileShare(CompiledModule& cm, const uint8_t* bytes, size_t size, uint8_t* base, Share& s, std::atomic<bool>& failed) {
  try {
    Module& m = cm.module;
    CodeBuffer buffer(base + s.offset, s.bound);
    MacroAssembler a(buffer);
    FunctionCompiler compiler(cm, a, s.directCalls, s.maps);
    FunctionValidator validator(m);
    Expr scratch;  // a deferred body's instructions, decoded into the same memory function after function
    for (uint32_t b = s.lo; b < s.hi && !failed.load(std::memory_order_relaxed); b++) {
      FuncBody& body = m.bodies[b];
      if (m.bodiesDeferred) {
        body.code = std::move(scratch);
        body.code.code.clear();
        body.code.labels.clear();
        decodeFunctionBody(bytes, size, m, body);
        validator.validate(m.importedFuncs + b, body);
      }
      a.alignFunctionEntry();
      s.funcOffsets.push_back(static_cast<uint32_t>(a.pos()));
      compiler.compile(m.importedFuncs + b);
      if (m.bodiesDeferred) {  // the instructions go (a retry with a larger reservation decodes the body again)
        if (!body.code.v128s.empty() || !body.code.catches.empty()) {  // the code holds their addresses: moved, not copied
          Expr& kept = s.sideTables.emplace_back();
          kept.v128s = std::move(body.code.v128s);
          kept.catches = std::move(body.code.catches);
        }
        scratch = std::move(body.code);
        scratch.v128s.clear();
        scratch.catches.clear();
        body.code = Expr();
      }
    }
    s.used = a.pos();
  } catch (...) {
    s.error = std::current_exception();
    failed.store(true, std::memory_order_relaxed);
  }
}

/** How many threads compile a module of this many bytes of bodies: one for small ones (most modules
 * of a test suite; a thread costs more than it saves), else the machine's cores, at most 4.
 * MITEY_JIT_COMPILE_THREADS=n sets it for every module (tests run whole suites split that way). */
unsigned compileThreads(size_t bodyBytes, size_t funcs) {
  if (const char* forced = std::getenv("MITEY_JIT_COMPILE_THREADS"); forced && *forced)
    return static_cast<unsigned>(std::clamp(std::atoi(forced), 1, 16));
  if (bodyBytes < (64u << 10) || funcs < 8) return 1;
  return std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
}

/** Splits the bodies into n contiguous shares of about equal bytes. */
std::vector<Share> split(const Module& m, unsigned n) {
  size_t total = 0;
  for (const FuncBody& b : m.bodies) total += b.end - b.start;
  std::vector<Share> shares(n);
  auto count = static_cast<uint32_t>(m.bodies.size());
  uint32_t at = 0;
  size_t seen = 0;
  for (unsigned i = 0; i < n; i++) {
    shares[i].lo = at;
    size_t goal = total * (i + 1) / n;
    while (at < count && (i == n - 1 || seen < goal)) seen += m.bodies[at].end - m.bodies[at].start, at++;
    shares[i].hi = at;
  }
  return shares;
}

}  // namespace

void compileModule(CompiledModule& cm, const uint8_t* bytes, size_t size) {
  Module& m = cm.module;
  cm.funcTypes.resize(m.types.size());
  for (size_t i = 0; i < m.types.size(); i++)
    if (m.types[i].kind == Composite::Func) cm.funcTypes[i] = canonical(m.types[i].func, cm.typeIds);
  size_t bodyBytes = 0;
  for (const FuncBody& b : m.bodies) bodyBytes += b.end - b.start;
  auto threads = static_cast<unsigned>(std::clamp<size_t>(compileThreads(bodyBytes, m.bodies.size()), 1, std::max<size_t>(m.bodies.size(), 1)));
  for (size_t factor = 1;; factor *= 4) {
    std::vector<Share> shares = split(m, threads);
    size_t total = 0;
    for (Share& s : shares) {
      s.offset = total;
      s.bound = codeBound(m, s.lo, s.hi, factor);
      total += s.bound;
    }
    CodeMapping mapping{reserveCodePages(total), total};
    std::atomic<bool> failed{false};
    {
      std::vector<std::thread> helpers;
      helpers.reserve(shares.size());
      size_t started = 1;
      try {
        for (; started < shares.size(); started++)
          helpers.emplace_back(compileShare, std::ref(cm), bytes, size, mapping.base, std::ref(shares[started]), std::ref(failed));
      } catch (const std::system_error&) {  // no thread to be had: the rest on this one
      }
      compileShare(cm, bytes, size, mapping.base, shares[0], failed);
      for (size_t i = started; i < shares.size(); i++) compileShare(cm, bytes, size, mapping.base, shares[i], failed);
      for (std::thread& t : helpers) t.join();
    }
    bool full = false;
    for (Share& s : shares) {
      if (!s.error) continue;
      try {
        std::rethrow_exception(s.error);
      } catch (const CodeBufferFull&) {
        full = true;
        continue;
      }
    }
    if (full) {
      if (factor >= 256) throw ResourceError("out of memory: the module's code is too large");
      continue;  // a larger reservation
    }
    // One module: the shares' code where it was written, the unused pages between them unmapped.
    cm.funcOffsets.clear();
    cm.stackMaps = StackMaps();
    cm.sideTables.clear();
    size_t end = 0, bytesUsed = 0;
    for (Share& s : shares) {
      s.kept = std::max<size_t>((s.used + 4095) & ~size_t(4095), 4096);
      if (&s != &shares.back() && s.kept < s.bound) munmap(mapping.base + s.offset + s.kept, s.bound - s.kept);
      end = s.offset + s.kept;
      bytesUsed += s.used;
      for (uint32_t off : s.funcOffsets) cm.funcOffsets.push_back(static_cast<uint32_t>(s.offset + off));
      auto firstSlot = static_cast<uint32_t>(cm.stackMaps.slots.size());
      cm.stackMaps.slots.insert(cm.stackMaps.slots.end(), s.maps.slots.begin(), s.maps.slots.end());
      for (StackMap sm : s.maps.maps) {
        sm.returnOffset += static_cast<uint32_t>(s.offset);
        sm.first += firstSlot;
        cm.stackMaps.maps.push_back(sm);
      }
      for (Expr& e : s.sideTables) cm.sideTables.push_back(std::move(e));
    }
    if (end > UINT32_MAX) throw ResourceError("out of memory: the module's code is too large");
    trimCodePages(mapping.base, total, end);
    mapping.size = end;
    CodeBuffer whole(mapping.base, end);
    MacroAssembler a(whole);
    for (Share& s : shares)
      for (auto [at, callee] : s.directCalls) a.patchDirectCall(s.offset + at, cm.funcOffsets[callee]);
    // W^X: written while writable, then read+execute only (share by share: the pages between are unmapped).
    for (Share& s : shares) {
      if (mprotect(mapping.base + s.offset, s.kept, PROT_READ | PROT_EXEC) != 0) throw ResourceError("cannot make the module's code executable");
    }
    if (!registerCode(mapping.base, end)) throw ResourceError("out of resources: too many compiled modules alive at once");
    cm.code = mapping.base;
    cm.codeSize = end;
    cm.codeBytes = bytesUsed;
    mapping.base = nullptr;
    registerModuleCode(cm);
    return;
  }
}

const StackMap* StackMaps::at(uint32_t returnOffset) const {
  auto it = std::lower_bound(maps.begin(), maps.end(), returnOffset, [](const StackMap& m, uint32_t at) { return m.returnOffset < at; });
  return it != maps.end() && it->returnOffset == returnOffset ? &*it : nullptr;
}

CompiledModule::~CompiledModule() {
  if (code) {
    unregisterModuleCode(*this);
    unregisterCode(code);
    munmap(code, codeSize);
  }
}

}  // namespace mitey
