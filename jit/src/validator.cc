// The typing rules of Wasm 2.0 over decoded instructions, and of the later proposals the decoder reads.
#include "validator.h"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "error.h"
#include "linear_memory.h"
#include "opcode_visitor.h"
#include "opcodes.h"
#include "type_canon.h"
#include "type_validation.h"

namespace mitey {
namespace {

unsigned log2(unsigned n) {
  unsigned k = 0;
  while ((1u << k) < n) k++;
  return k;
}

std::string indexed(const char* what, uint32_t i) { return std::string(what) + " " + std::to_string(i); }

enum class CtrlKind : uint8_t { Func, Block, Loop, If, Else, Try, Catch, CatchAll };

struct Ctrl {
  CtrlKind kind;
  std::vector<ValType> params, results;
  size_t height;
  size_t initHeight = 0;  // the locals set inside the block stop counting as set at its end (initLog_)
  bool unreachable = false;
  const std::vector<ValType>& labelTypes() const { return kind == CtrlKind::Loop ? params : results; }
};

/** The constant instructions (an opcode visitor): every other opcode is "constant expression required". */
struct ConstantRule {
  const Module& m;
  uint32_t globalLimit;

  void on(const Instr&, OpTag<op("i32.const")>) {}
  void on(const Instr&, OpTag<op("i64.const")>) {}
  void on(const Instr&, OpTag<op("f32.const")>) {}
  void on(const Instr&, OpTag<op("f64.const")>) {}
  void on(const Instr&, OpTag<op("v128.const")>) {}
  void on(const Instr&, OpTag<op("ref.null")>) {}
  void on(const Instr&, OpTag<op("ref.func")>) {}
  void on(const Instr&, OpTag<op("end")>) {}
  // GC: allocations and conversions (decoded only with GC).
  void on(const Instr&, OpTag<op("struct.new")>) {}
  void on(const Instr&, OpTag<op("struct.new_default")>) {}
  void on(const Instr&, OpTag<op("array.new")>) {}
  void on(const Instr&, OpTag<op("array.new_default")>) {}
  void on(const Instr&, OpTag<op("array.new_fixed")>) {}
  void on(const Instr&, OpTag<op("ref.i31")>) {}
  void on(const Instr&, OpTag<op("any.convert_extern")>) {}
  void on(const Instr&, OpTag<op("extern.convert_any")>) {}

  void on(const Instr& in, OpTag<op("global.get")>) {
    if (in.a >= globalLimit) invalid(indexed("unknown global", in.a), in.offset);
    if (m.globals[in.a].mut) invalid("constant expression required", in.offset);
  }

  // Extended constant expressions: integer add, sub and mul.
  void on(const Instr& in, OpTag<op("i32.add")>) { extended(in); }
  void on(const Instr& in, OpTag<op("i32.sub")>) { extended(in); }
  void on(const Instr& in, OpTag<op("i32.mul")>) { extended(in); }
  void on(const Instr& in, OpTag<op("i64.add")>) { extended(in); }
  void on(const Instr& in, OpTag<op("i64.sub")>) { extended(in); }
  void on(const Instr& in, OpTag<op("i64.mul")>) { extended(in); }
  void extended(const Instr& in) {
    if (!m.features.has(Feature::ExtendedConst)) unsupported(in);
  }

  [[noreturn]] void unsupported(const Instr& in) { invalid("constant expression required", in.offset); }
};

/** Validates one instruction sequence: a function body, or a constant expression. */
class ExprValidator {
 public:
  explicit ExprValidator(const Module& m) : m_(m) {}

  /** Validates a function body. */
  void function(uint32_t index, FuncBody& body) {
    stack_.clear();  // (a validator may take one function after another, keeping its stacks' memory)
    ctrls_.clear();
    initialized_.clear();
    initLog_.clear();
    const FuncType& t = m_.funcType(m_.funcs[index]);
    params_ = &t.params;
    locals_ = &body.locals;
    // Locals without a default (non-nullable references) must be set before they are read.
    // Parameters and locals with a default are set from the start.
    for (const LocalRun& run : body.locals)
      if (!defaultable(run.type)) {
        initialized_.assign(t.params.size() + body.localCount, true);
        size_t i = t.params.size();
        for (const LocalRun& r : body.locals) {
          if (!defaultable(r.type)) std::fill_n(initialized_.begin() + i, r.count, false);
          i += r.count;
        }
        break;
      }
    run(body.code, t.results);
  }

  /** Only constant instructions; `globalLimit` globals (the imported ones in Wasm 2.0) readable. */
  void constant(const Expr& e, ValType expected, uint32_t globalLimit) {
    ConstantRule rule{m_, globalLimit};
    for (const Instr& in : e.code) visitOpcode(in, rule);
    run(e, {expected});
  }


 private:
  void run(const Expr& e, std::vector<ValType> results) {
    expr_ = &e;
    pushCtrl(CtrlKind::Func, {}, std::move(results));
    for (const Instr& in : e.code) instruction(in);
  }

  // ---- operand and control stacks -----------------------------------------------------

  void push(ValType t) { stack_.push_back(t); }

  /** Pops an operand; Bot when the frame is unreachable and empty (the polymorphic stack). */
  ValType pop(const Instr& in) {
    const Ctrl& c = ctrls_.back();
    if (stack_.size() == c.height) {
      if (c.unreachable) return ValType::Bot;
      invalid("type mismatch", in.offset);
    }
    ValType t = stack_.back();
    stack_.pop_back();
    return t;
  }

  ValType pop(ValType expected, const Instr& in) {
    ValType actual = pop(in);
    if (expected != ValType::Bot && !isSubtype(m_.typeIds, actual, expected)) invalid("type mismatch", in.offset);
    return actual;
  }

  /** Pops a reference of any type (Bot in unreachable code). */
  ValType popRef(const Instr& in) {
    ValType t = pop(in);
    if (t != ValType::Bot && !t.isRef()) invalid("type mismatch", in.offset);
    return t;
  }

  bool subtypes(const std::vector<ValType>& a, const std::vector<ValType>& b) const {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); i++)
      if (!isSubtype(m_.typeIds, a[i], b[i])) return false;
    return true;
  }

  /** A type an instruction names: its type index must exist. */
  ValType checked(ValType t, const Instr& in) {
    if (t.isRef() && (t.heap() & ValType::kConcrete) && (t.heap() & ~ValType::kConcrete) >= m_.types.size())
      invalid(indexed("unknown type", t.heap() & ~ValType::kConcrete), in.offset);
    return t;
  }

  /** Pops a sequence and returns what was actually there (Bot included), for br_table. */
  std::vector<ValType> popVals(const std::vector<ValType>& types, const Instr& in) {
    std::vector<ValType> out(types.size());
    for (size_t i = types.size(); i-- > 0;) out[i] = pop(types[i], in);
    return out;
  }

  void pushVals(const std::vector<ValType>& types) {
    for (ValType t : types) push(t);
  }

  void pushCtrl(CtrlKind kind, std::vector<ValType> params, std::vector<ValType> results) {
    ctrls_.push_back(Ctrl{kind, std::move(params), std::move(results), stack_.size(), initLog_.size()});
    pushVals(ctrls_.back().params);
  }

  Ctrl popCtrl(const Instr& in) {
    Ctrl& c = ctrls_.back();
    popVals(c.results, in);
    if (stack_.size() != c.height) invalid("type mismatch", in.offset);
    while (initLog_.size() > c.initHeight) {  // what was set inside counts as unset after
      initialized_[initLog_.back()] = false;
      initLog_.pop_back();
    }
    Ctrl out = std::move(c);
    ctrls_.pop_back();
    return out;
  }

  void setUnreachable() {
    stack_.resize(ctrls_.back().height);
    ctrls_.back().unreachable = true;
  }

  const Ctrl& label(uint32_t depth, const Instr& in) {
    if (depth >= ctrls_.size()) invalid("unknown label", in.offset);
    return ctrls_[ctrls_.size() - 1 - depth];
  }

  // ---- index spaces ------------------------------------------------------------------------

  ValType local(const Instr& in) {
    uint32_t i = in.a;
    if (i < params_->size()) return (*params_)[i];
    uint64_t k = i - params_->size();
    for (const LocalRun& run : *locals_) {
      if (k < run.count) return run.type;
      k -= run.count;
    }
    invalid(indexed("unknown local", i), in.offset);
  }

  const GlobalType& global(const Instr& in) {
    if (in.a >= m_.globals.size()) invalid(indexed("unknown global", in.a), in.offset);
    return m_.globals[in.a];
  }

  const TableType& table(uint32_t t, const Instr& in) {
    if (t >= m_.tables.size()) invalid(indexed("unknown table", t), in.offset);
    return m_.tables[t];
  }

  const Limits& memory(uint32_t i, const Instr& in) {
    if (i >= m_.memories.size()) invalid(indexed("unknown memory", i), in.offset);
    return m_.memories[i];
  }
  /** The type of memory i's addresses. */
  ValType memAddr(uint32_t i, const Instr& in) { return addressType(memory(i, in)); }
  /** The type of table t's indices. */
  ValType tableAddr(uint32_t t, const Instr& in) { return addressType(table(t, in).limits); }
  /** Of two address types, the narrower (memory.copy's and table.copy's length). */
  static ValType narrower(ValType a, ValType b) { return a == ValType::I64 && b == ValType::I64 ? ValType::I64 : ValType::I32; }

  /** An exception tag's type (its parameters are the payload). */
  const FuncType& tagType(uint32_t t, const Instr& in) {
    if (t >= m_.tags.size()) invalid(indexed("unknown tag", t), in.offset);
    return m_.funcType(m_.tags[t]);
  }

  const FuncType& funcType(uint32_t f, const Instr& in) {
    if (f >= m_.funcs.size()) invalid(indexed("unknown function", f), in.offset);
    return m_.funcType(m_.funcs[f]);
  }

  const ElemSegment& elem(uint32_t e, const Instr& in) {
    if (e >= m_.elems.size()) invalid(indexed("unknown elem segment", e), in.offset);
    return m_.elems[e];
  }

  void data(uint32_t d, const Instr& in) {
    if (d >= m_.dataCount.value_or(0)) invalid(indexed("unknown data segment", d), in.offset);
  }

  /** A type index that blocks and calls name: a function type. */
  const FuncType& funcTypeAt(uint32_t x, const Instr& in) {
    if (x >= m_.types.size()) invalid(indexed("unknown type", x), in.offset);
    if (m_.types[x].kind != Composite::Func) invalid("type mismatch", in.offset);
    return m_.funcType(x);
  }

  void blockType(const Instr& in, std::vector<ValType>& params, std::vector<ValType>& results) {
    if (in.x == 1) results.push_back(checked(ValType::fromBits(in.c), in));
    if (in.x == 2) {
      const FuncType& t = funcTypeAt(in.a, in);
      params = t.params;
      results = t.results;
    }
  }

  void memArg(const OpInfo& info, const Instr& in) {
    const Limits& mem = memory(in.b, in);
    if (in.op >= kKeyFE) {  // atomics (on shared and unshared memories alike)
      if (in.x != log2(info.arg)) invalid("atomic alignment must be natural", in.offset);
    } else if (in.x > log2(info.arg)) {
      invalid("alignment must not be larger than natural", in.offset);
    }
    if (!mem.is64 && in.c > 0xffffffffu) invalid("offset out of range", in.offset);
  }

  void lane(unsigned lanes, const Instr& in) {
    if (in.y >= lanes) invalid("invalid lane index", in.offset);
  }

  /** Pops the operands and pushes the results of a table signature such as "ii:i"; `address`, when
   * given, is the type of the first operand (a memory access's address). */
  void signature(const char* sig, const Instr& in, ValType address = ValType::Bot) {
    const char* colon = sigColon(sig);
    for (const char* p = colon; p-- > sig;) pop(p == sig && address != ValType::Bot ? address : sigLetterType(*p), in);
    for (const char* p = colon + 1; *p; p++) push(sigLetterType(*p));
  }

  // ---- instructions (methods of the opcode visitor, opcode_visitor.h) ---------------------

  friend struct mitey::OpcodeDispatch;

  void instruction(const Instr& in) { visitOpcode(in, *this); }

  /** The tables' typed opcodes, by immediate kind: the immediate's rule, then the signature. */
  template <Imm I>
    requires(I != Imm::Special)
  void group(const Instr& in, const OpInfo& info, ImmTag<I>) {
    if constexpr (I == Imm::MemArg) memArg(info, in);
    if constexpr (I == Imm::MemArgLane) {
      memArg(info, in);
      lane(16 / info.arg, in);
    }
    if constexpr (I == Imm::Lane) lane(info.arg, in);
    if constexpr (I == Imm::Shuffle) {
      for (uint8_t l : expr_->v128s[in.c])
        if (l >= 32) invalid("invalid lane index", in.offset);
    }
    if constexpr (I == Imm::MemArg || I == Imm::MemArgLane) signature(info.sig, in, memAddr(in.b, in));
    else signature(info.sig, in);
  }

  /** Never reached: the decoder reads only the tables' opcodes, and every one has a method. */
  [[noreturn]] void unsupported(const Instr& in) {
    throw std::logic_error("the validator has no rule for opcode key " + std::to_string(in.op));
  }

  // Control.
  void on(const Instr&, OpTag<op("unreachable")>) { setUnreachable(); }
  void on(const Instr&, OpTag<op("nop")>) {}
  void on(const Instr& in, OpTag<op("block")>) { blockStart(in, CtrlKind::Block); }
  void on(const Instr& in, OpTag<op("loop")>) { blockStart(in, CtrlKind::Loop); }
  void on(const Instr& in, OpTag<op("if")>) { blockStart(in, CtrlKind::If); }

  void on(const Instr& in, OpTag<op("else")>) {
    Ctrl c = popCtrl(in);
    pushCtrl(CtrlKind::Else, std::move(c.params), std::move(c.results));
  }

  void on(const Instr& in, OpTag<op("end")>) {
    Ctrl c = popCtrl(in);
    if (c.kind == CtrlKind::If && !subtypes(c.params, c.results)) invalid("type mismatch", in.offset);  // the missing else passes the parameters on
    pushVals(c.results);
  }

  void on(const Instr& in, OpTag<op("br")>) {
    popVals(label(in.a, in).labelTypes(), in);
    setUnreachable();
  }

  void on(const Instr& in, OpTag<op("br_if")>) {
    const std::vector<ValType> types = label(in.a, in).labelTypes();
    pop(ValType::I32, in);
    popVals(types, in);
    pushVals(types);
  }

  void on(const Instr& in, OpTag<op("br_table")>) {
    const Ctrl& dflt = label(expr_->labels[in.b + in.a], in);
    size_t arity = dflt.labelTypes().size();
    pop(ValType::I32, in);
    for (uint32_t i = 0; i < in.a; i++) {
      const Ctrl& t = label(expr_->labels[in.b + i], in);
      if (t.labelTypes().size() != arity) invalid("type mismatch", in.offset);
      pushVals(popVals(t.labelTypes(), in));
    }
    popVals(dflt.labelTypes(), in);
    setUnreachable();
  }

  void on(const Instr& in, OpTag<op("return")>) {
    popVals(ctrls_.front().results, in);
    setUnreachable();
  }

  void on(const Instr& in, OpTag<op("call")>) {
    const FuncType& t = funcType(in.a, in);
    popVals(t.params, in);
    pushVals(t.results);
  }

  void on(const Instr& in, OpTag<op("call_indirect")>) {
    const TableType& tab = table(in.b, in);
    const FuncType& t = funcTypeAt(in.a, in);
    if (!isSubtype(m_.typeIds, tab.elem, ValType::FuncRef)) invalid("type mismatch", in.offset);
    pop(addressType(tab.limits), in);
    popVals(t.params, in);
    pushVals(t.results);
  }

  // Tail calls: the callee's results are subtypes of the function's, then the stack is polymorphic,
  // as after return.
  void on(const Instr& in, OpTag<op("return_call")>) {
    const FuncType& t = funcType(in.a, in);
    returnsAs(t, in);
    popVals(t.params, in);
    setUnreachable();
  }

  void on(const Instr& in, OpTag<op("return_call_indirect")>) {
    const TableType& tab = table(in.b, in);
    const FuncType& t = funcTypeAt(in.a, in);
    if (!isSubtype(m_.typeIds, tab.elem, ValType::FuncRef)) invalid("type mismatch", in.offset);
    returnsAs(t, in);
    pop(addressType(tab.limits), in);
    popVals(t.params, in);
    setUnreachable();
  }

  void on(const Instr& in, OpTag<op("return_call_ref")>) {
    const FuncType& t = funcTypeAt(in.a, in);
    returnsAs(t, in);
    pop(ValType::ref(ValType::kConcrete | in.a, true), in);
    popVals(t.params, in);
    setUnreachable();
  }

  void returnsAs(const FuncType& callee, const Instr& in) {
    if (!subtypes(callee.results, ctrls_.front().results)) invalid("type mismatch", in.offset);
  }

  // Exception handling.
  static constexpr ValType kExnRef = ValType::ref(0x69, true);

  void on(const Instr& in, OpTag<op("throw")>) {
    popVals(tagType(in.a, in).params, in);
    setUnreachable();
  }

  void on(const Instr& in, OpTag<op("throw_ref")>) {
    pop(kExnRef, in);
    setUnreachable();
  }

  /** The catch clauses' labels (outside the try_table) take the payload, and the exception for the _ref forms. */
  void on(const Instr& in, OpTag<op("try_table")>) {
    for (const CatchClause& c : expr_->catches[in.b]) {
      std::vector<ValType> carried;
      if (c.kind < 2) carried = tagType(c.tag, in).params;
      if (c.kind == 1 || c.kind == 3) carried.push_back(ValType::ref(0x69, false));
      if (!subtypes(carried, label(c.label, in).labelTypes())) invalid("type mismatch", in.offset);
    }
    blockStart(in, CtrlKind::Block);
  }

  // The legacy instructions (the spec's appendix): try … catch … catch_all … end, delegate, rethrow.
  void on(const Instr& in, OpTag<op("try")>) { blockStart(in, CtrlKind::Try); }

  void on(const Instr& in, OpTag<op("catch")>) {
    const FuncType& t = tagType(in.a, in);
    Ctrl c = popCtrl(in);
    ctrls_.push_back(Ctrl{CtrlKind::Catch, std::move(c.params), std::move(c.results), stack_.size(), initLog_.size()});
    pushVals(t.params);
  }

  void on(const Instr& in, OpTag<op("catch_all")>) {
    Ctrl c = popCtrl(in);
    ctrls_.push_back(Ctrl{CtrlKind::CatchAll, std::move(c.params), std::move(c.results), stack_.size(), initLog_.size()});
  }

  void on(const Instr& in, OpTag<op("delegate")>) {
    Ctrl c = popCtrl(in);
    label(in.a, in);  // relative to the try's own context
    pushVals(c.results);
  }

  void on(const Instr& in, OpTag<op("rethrow")>) {
    CtrlKind k = label(in.a, in).kind;
    if (k != CtrlKind::Catch && k != CtrlKind::CatchAll) invalid("invalid rethrow label", in.offset);
    setUnreachable();
  }

  // Parametric.
  void on(const Instr& in, OpTag<op("drop")>) { pop(in); }

  void on(const Instr& in, OpTag<op("select")>) {
    pop(ValType::I32, in);
    ValType t1 = pop(in), t2 = pop(in);
    if (isRef(t1) || isRef(t2)) invalid("type mismatch", in.offset);
    if (t1 != t2 && t1 != ValType::Bot && t2 != ValType::Bot) invalid("type mismatch", in.offset);
    push(t1 == ValType::Bot ? t2 : t1);
  }

  void on(const Instr& in, OpTag<op("select", 1)>) {  // select t*
    if (in.a != 1) invalid("invalid result arity", in.offset);
    ValType t = checked(ValType::fromBits(in.c), in);
    pop(ValType::I32, in);
    pop(t, in);
    pop(t, in);
    push(t);
  }

  // Variables.
  void on(const Instr& in, OpTag<op("local.get")>) {
    ValType t = local(in);
    if (in.a < initialized_.size() && !initialized_[in.a]) invalid("uninitialized local", in.offset);
    push(t);
  }

  void on(const Instr& in, OpTag<op("local.set")>) {
    pop(local(in), in);
    setLocal(in.a);
  }

  void on(const Instr& in, OpTag<op("local.tee")>) {
    ValType t = local(in);
    pop(t, in);
    push(t);
    setLocal(in.a);
  }

  void setLocal(uint32_t i) {
    if (i >= initialized_.size() || initialized_[i]) return;  // (no local without a default, or set already)
    initialized_[i] = true;
    initLog_.push_back(i);
  }

  void on(const Instr& in, OpTag<op("global.get")>) { push(global(in).type); }

  void on(const Instr& in, OpTag<op("global.set")>) {
    const GlobalType& g = global(in);
    if (!g.mut) invalid("global is immutable", in.offset);
    pop(g.type, in);
  }

  // Tables and memory.
  void on(const Instr& in, OpTag<op("table.get")>) {
    ValType t = table(in.a, in).elem;
    pop(tableAddr(in.a, in), in);
    push(t);
  }

  void on(const Instr& in, OpTag<op("table.set")>) {
    ValType t = table(in.a, in).elem;
    pop(t, in);
    pop(tableAddr(in.a, in), in);
  }

  void on(const Instr& in, OpTag<op("memory.size")>) { push(memAddr(in.a, in)); }

  void on(const Instr& in, OpTag<op("memory.grow")>) {
    ValType at = memAddr(in.a, in);
    pop(at, in);
    push(at);
  }

  // References.
  void on(const Instr& in, OpTag<op("ref.null")>) { push(checked(ValType::fromBits(in.c), in)); }

  void on(const Instr& in, OpTag<op("ref.is_null")>) {
    popRef(in);
    push(ValType::I32);
  }

  /** A function's own type with typed references (a non-null reference to it), funcref in Wasm 2.0. */
  void on(const Instr& in, OpTag<op("ref.func")>) {
    funcType(in.a, in);
    if (in.a >= m_.declaredFuncs.size() || !m_.declaredFuncs[in.a]) invalid("undeclared function reference", in.offset);
    push(m_.features.has(Feature::TypedFuncRefs) ? ValType::ref(ValType::kConcrete | m_.funcs[in.a], false) : ValType::FuncRef);
  }

  // Typed function references.
  void on(const Instr& in, OpTag<op("ref.as_non_null")>) {
    ValType t = popRef(in);
    push(t == ValType::Bot ? t : ValType::ref(t.heap(), false));
  }

  void on(const Instr& in, OpTag<op("br_on_null")>) {
    const std::vector<ValType> types = label(in.a, in).labelTypes();
    ValType t = popRef(in);
    popVals(types, in);
    pushVals(types);
    push(t == ValType::Bot ? t : ValType::ref(t.heap(), false));
  }

  /** The label takes the operands and the reference, non-null; without a branch the reference is dropped. */
  void on(const Instr& in, OpTag<op("br_on_non_null")>) {
    std::vector<ValType> types = label(in.a, in).labelTypes();
    if (types.empty() || !types.back().isRef()) invalid("type mismatch", in.offset);
    ValType last = types.back();
    types.pop_back();
    ValType t = popRef(in);
    if (t != ValType::Bot && !isSubtype(m_.typeIds, ValType::ref(t.heap(), false), last)) invalid("type mismatch", in.offset);
    popVals(types, in);
    pushVals(types);
  }

  void on(const Instr& in, OpTag<op("call_ref")>) {
    const FuncType& t = funcTypeAt(in.a, in);
    pop(ValType::ref(ValType::kConcrete | in.a, true), in);
    popVals(t.params, in);
    pushVals(t.results);
  }

  // GC (0xFB), and ref.eq.
  static ValType refTo(uint32_t x, bool nullable) { return ValType::ref(ValType::kConcrete | x, nullable); }

  const SubType& definedType(uint32_t x, Composite kind, const Instr& in) {
    if (x >= m_.types.size()) invalid(indexed("unknown type", x), in.offset);
    if (m_.types[x].kind != kind) invalid("type mismatch", in.offset);
    return m_.types[x];
  }

  const FieldType& structField(const Instr& in) {
    const SubType& t = definedType(in.a, Composite::Struct, in);
    if (in.b >= t.fields.size()) invalid(indexed("unknown field", in.b), in.offset);
    return t.fields[in.b];
  }

  const FieldType& arrayElement(uint32_t x, const Instr& in) { return definedType(x, Composite::Array, in).fields[0]; }

  /** A field read: packed ones only by get_s / get_u, the others only by get. */
  void packing(const FieldType& f, bool extends, const Instr& in) {
    if (extends && f.packed == Packed::None) invalid("field is unpacked", in.offset);
    if (!extends && f.packed != Packed::None) invalid("field is packed", in.offset);
  }

  const FieldType& mutableElement(uint32_t x, const Instr& in) {
    const FieldType& e = arrayElement(x, in);
    if (!e.mut) invalid("immutable array", in.offset);
    return e;
  }

  /** array.new_data and array.init_data copy bytes: the element must be a number or a vector. */
  void numericElement(const FieldType& e, const Instr& in) {
    if (e.type.isRef()) invalid("array type is not numeric or vector", in.offset);
  }

  void elemInto(uint32_t e, const FieldType& f, const Instr& in) {
    if (!isSubtype(m_.typeIds, elem(e, in).type, f.type)) invalid("type mismatch", in.offset);
  }

  void on(const Instr& in, OpTag<op("struct.new")>) {
    const SubType& t = definedType(in.a, Composite::Struct, in);
    for (size_t k = t.fields.size(); k-- > 0;) pop(t.fields[k].type, in);
    push(refTo(in.a, false));
  }

  void on(const Instr& in, OpTag<op("struct.new_default")>) {
    for (const FieldType& f : definedType(in.a, Composite::Struct, in).fields)
      if (!defaultable(f.type)) invalid("field type is not defaultable", in.offset);
    push(refTo(in.a, false));
  }

  void structGet(const Instr& in, bool extends) {
    const FieldType& f = structField(in);
    packing(f, extends, in);
    pop(refTo(in.a, true), in);
    push(f.type);
  }
  void on(const Instr& in, OpTag<op("struct.get")>) { structGet(in, false); }
  void on(const Instr& in, OpTag<op("struct.get_s")>) { structGet(in, true); }
  void on(const Instr& in, OpTag<op("struct.get_u")>) { structGet(in, true); }

  void on(const Instr& in, OpTag<op("struct.set")>) {
    const FieldType& f = structField(in);
    if (!f.mut) invalid("immutable field", in.offset);
    pop(f.type, in);
    pop(refTo(in.a, true), in);
  }

  void on(const Instr& in, OpTag<op("array.new")>) {
    const FieldType& e = arrayElement(in.a, in);
    pop(ValType::I32, in);
    pop(e.type, in);
    push(refTo(in.a, false));
  }

  void on(const Instr& in, OpTag<op("array.new_default")>) {
    if (!defaultable(arrayElement(in.a, in).type)) invalid("array type is not defaultable", in.offset);
    pop(ValType::I32, in);
    push(refTo(in.a, false));
  }

  /** n operands: what the frame has (at most its height's worth, so a huge n costs nothing), the rest polymorphic or missing. */
  void on(const Instr& in, OpTag<op("array.new_fixed")>) {
    const FieldType& e = arrayElement(in.a, in);
    size_t present = stack_.size() - ctrls_.back().height;
    if (in.b > present && !ctrls_.back().unreachable) invalid("type mismatch", in.offset);
    for (size_t k = std::min<size_t>(in.b, present); k-- > 0;) pop(e.type, in);
    push(refTo(in.a, false));
  }

  void on(const Instr& in, OpTag<op("array.new_data")>) {
    const FieldType& e = arrayElement(in.a, in);
    numericElement(e, in);
    data(in.b, in);
    pop(ValType::I32, in);
    pop(ValType::I32, in);
    push(refTo(in.a, false));
  }

  void on(const Instr& in, OpTag<op("array.new_elem")>) {
    elemInto(in.b, arrayElement(in.a, in), in);
    pop(ValType::I32, in);
    pop(ValType::I32, in);
    push(refTo(in.a, false));
  }

  void arrayGet(const Instr& in, bool extends) {
    const FieldType& e = arrayElement(in.a, in);
    packing(e, extends, in);
    pop(ValType::I32, in);
    pop(refTo(in.a, true), in);
    push(e.type);
  }
  void on(const Instr& in, OpTag<op("array.get")>) { arrayGet(in, false); }
  void on(const Instr& in, OpTag<op("array.get_s")>) { arrayGet(in, true); }
  void on(const Instr& in, OpTag<op("array.get_u")>) { arrayGet(in, true); }

  void on(const Instr& in, OpTag<op("array.set")>) {
    const FieldType& e = mutableElement(in.a, in);
    pop(e.type, in);
    pop(ValType::I32, in);
    pop(refTo(in.a, true), in);
  }

  void on(const Instr& in, OpTag<op("array.len")>) {
    pop(ValType::ref(heap::Array, true), in);
    push(ValType::I32);
  }

  void on(const Instr& in, OpTag<op("array.fill")>) {
    const FieldType& e = mutableElement(in.a, in);
    pop(ValType::I32, in);
    pop(e.type, in);
    pop(ValType::I32, in);
    pop(refTo(in.a, true), in);
  }

  /** The source's elements must be storable in the destination: the same packing, or a value subtype. */
  void on(const Instr& in, OpTag<op("array.copy")>) {
    const FieldType& dst = mutableElement(in.a, in);
    const FieldType& src = arrayElement(in.b, in);
    if (src.packed != dst.packed || !isSubtype(m_.typeIds, src.type, dst.type)) invalid("array types do not match", in.offset);
    pop(ValType::I32, in);
    pop(ValType::I32, in);
    pop(refTo(in.b, true), in);
    pop(ValType::I32, in);
    pop(refTo(in.a, true), in);
  }

  void on(const Instr& in, OpTag<op("array.init_data")>) {
    const FieldType& e = mutableElement(in.a, in);
    numericElement(e, in);
    data(in.b, in);
    for (int k = 0; k < 3; k++) pop(ValType::I32, in);
    pop(refTo(in.a, true), in);
  }

  void on(const Instr& in, OpTag<op("array.init_elem")>) {
    const FieldType& e = mutableElement(in.a, in);
    elemInto(in.b, e, in);
    for (int k = 0; k < 3; k++) pop(ValType::I32, in);
    pop(refTo(in.a, true), in);
  }

  /** ref.test and ref.cast: the operand is any reference of the target's hierarchy. */
  ValType castOperand(ValType target, const Instr& in) {
    checked(target, in);
    ValType t = popRef(in);
    if (t != ValType::Bot && topHeap(m_.typeIds, t.heap()) != topHeap(m_.typeIds, target.heap())) invalid("type mismatch", in.offset);
    return t;
  }

  void on(const Instr& in, OpTag<op("ref.test")>) { refTest(in); }
  void on(const Instr& in, OpTag<op("ref.test", 1)>) { refTest(in); }
  void refTest(const Instr& in) {
    castOperand(ValType::fromBits(in.c), in);
    push(ValType::I32);
  }

  void on(const Instr& in, OpTag<op("ref.cast")>) { refCast(in); }
  void on(const Instr& in, OpTag<op("ref.cast", 1)>) { refCast(in); }
  void refCast(const Instr& in) {
    ValType target = ValType::fromBits(in.c);
    castOperand(target, in);
    push(target);
  }

  /**
   * br_on_cast l rt1 rt2 (rt2 <: rt1): the label takes rt2 (its last type must be a supertype) and
   * the operands below; without a branch the value stays as rt1 minus rt2 (non-null if rt2 takes null).
   * br_on_cast_fail: the other way round.
   */
  void brOnCast(const Instr& in, bool onFail) {
    ValType rt1 = checked(ValType::ref(static_cast<uint32_t>(in.c), (in.x & 1) != 0), in);
    ValType rt2 = checked(ValType::ref(static_cast<uint32_t>(in.c >> 32), (in.x & 2) != 0), in);
    if (!isSubtype(m_.typeIds, rt2, rt1)) invalid("type mismatch", in.offset);
    ValType diff = ValType::ref(rt1.heap(), rt1.nullable() && !rt2.nullable());
    std::vector<ValType> types = label(in.a, in).labelTypes();
    if (types.empty() || !isSubtype(m_.typeIds, onFail ? diff : rt2, types.back())) invalid("type mismatch", in.offset);
    types.pop_back();
    pop(rt1, in);
    popVals(types, in);
    pushVals(types);
    push(onFail ? rt2 : diff);
  }
  void on(const Instr& in, OpTag<op("br_on_cast")>) { brOnCast(in, false); }
  void on(const Instr& in, OpTag<op("br_on_cast_fail")>) { brOnCast(in, true); }

  /** Between the any and extern hierarchies, nullability kept (non-null in unreachable code: the more permissive). */
  void convert(uint32_t from, uint32_t to, const Instr& in) {
    ValType t = pop(ValType::ref(from, true), in);
    push(ValType::ref(to, t != ValType::Bot && t.nullable()));
  }
  void on(const Instr& in, OpTag<op("any.convert_extern")>) { convert(heap::Extern, heap::Any, in); }
  void on(const Instr& in, OpTag<op("extern.convert_any")>) { convert(heap::Any, heap::Extern, in); }

  void on(const Instr& in, OpTag<op("ref.i31")>) {
    pop(ValType::I32, in);
    push(ValType::ref(heap::I31, false));
  }

  void i31Get(const Instr& in) {
    pop(ValType::ref(heap::I31, true), in);
    push(ValType::I32);
  }
  void on(const Instr& in, OpTag<op("i31.get_s")>) { i31Get(in); }
  void on(const Instr& in, OpTag<op("i31.get_u")>) { i31Get(in); }

  void on(const Instr& in, OpTag<op("ref.eq")>) {
    pop(ValType::ref(heap::Eq, true), in);
    pop(ValType::ref(heap::Eq, true), in);
    push(ValType::I32);
  }

  // Threads (0xFE): the rest are typed by their table signatures (group).
  void on(const Instr&, OpTag<op("atomic.fence")>) {}

  // Bulk memory and tables (0xFC).
  void on(const Instr& in, OpTag<op("memory.init")>) {
    ValType at = memAddr(in.b, in);
    data(in.a, in);
    pop(ValType::I32, in);
    pop(ValType::I32, in);
    pop(at, in);
  }

  void on(const Instr& in, OpTag<op("data.drop")>) { data(in.a, in); }

  void on(const Instr& in, OpTag<op("memory.copy")>) {
    ValType dst = memAddr(in.a, in), src = memAddr(in.b, in);
    pop(narrower(dst, src), in);
    pop(src, in);
    pop(dst, in);
  }

  void on(const Instr& in, OpTag<op("memory.fill")>) {
    ValType at = memAddr(in.a, in);
    pop(at, in);
    pop(ValType::I32, in);
    pop(at, in);
  }

  void on(const Instr& in, OpTag<op("table.init")>) {  // the table is checked first, as the spec orders it
    const TableType& t = table(in.b, in);
    const ElemSegment& e = elem(in.a, in);
    if (!isSubtype(m_.typeIds, e.type, t.elem)) invalid("type mismatch", in.offset);
    pop(ValType::I32, in);
    pop(ValType::I32, in);
    pop(addressType(t.limits), in);
  }

  void on(const Instr& in, OpTag<op("elem.drop")>) { elem(in.a, in); }

  void on(const Instr& in, OpTag<op("table.copy")>) {
    const TableType& dst = table(in.a, in);
    const TableType& src = table(in.b, in);
    if (!isSubtype(m_.typeIds, src.elem, dst.elem)) invalid("type mismatch", in.offset);
    ValType d = addressType(dst.limits), s = addressType(src.limits);
    pop(narrower(d, s), in);
    pop(s, in);
    pop(d, in);
  }

  void on(const Instr& in, OpTag<op("table.grow")>) {
    ValType t = table(in.a, in).elem;
    ValType at = tableAddr(in.a, in);
    pop(at, in);
    pop(t, in);
    push(at);
  }

  void on(const Instr& in, OpTag<op("table.size")>) { push(tableAddr(in.a, in)); }

  void on(const Instr& in, OpTag<op("table.fill")>) {
    ValType t = table(in.a, in).elem;
    ValType at = tableAddr(in.a, in);
    pop(at, in);
    pop(t, in);
    pop(at, in);
  }

  /** block, loop, if: the block type, the condition of an if, the parameters. */
  void blockStart(const Instr& in, CtrlKind kind) {
    std::vector<ValType> params, results;
    blockType(in, params, results);
    if (kind == CtrlKind::If) pop(ValType::I32, in);
    popVals(params, in);
    pushCtrl(kind, std::move(params), std::move(results));
  }

  const Module& m_;
  const Expr* expr_ = nullptr;
  const std::vector<ValType>* params_ = nullptr;
  const std::vector<LocalRun>* locals_ = nullptr;
  std::vector<ValType> stack_;
  std::vector<Ctrl> ctrls_;
  std::vector<bool> initialized_;  // per local, when the function has locals without a default
  std::vector<uint32_t> initLog_;  // the locals set since each open block began
};

static_assert(OpcodeDispatch::handlesAll<ExprValidator, const Instr>(), "the validator has a rule for every opcode of the tables");

class ModuleValidator {
 public:
  explicit ModuleValidator(Module& m) : m_(m) {}

  void validate(bool bodies = true) {
    types();
    declareReferencedFunctions();
    for (const Import& imp : m_.imports) {
      if (imp.kind == ExternKind::Func) funcTypeIndex(imp.typeIndex, imp.offset);
      if (imp.kind == ExternKind::Table) tableLimits(imp.table.limits, imp.offset);
      if (imp.kind == ExternKind::Memory) memoryLimits(imp.memory, imp.offset);
    }
    for (size_t i = 0; i < m_.tags.size(); i++) {
      size_t at = i < m_.importedTags ? 0 : m_.offsets.tags[i - m_.importedTags];
      funcTypeIndex(m_.tags[i], at);
      if (!m_.funcType(m_.tags[i]).results.empty()) invalid("non-empty tag result type", at);
    }
    for (uint32_t i = m_.importedFuncs; i < m_.funcs.size(); i++) {
      funcTypeIndex(m_.funcs[i], m_.offsets.funcTypes[i - m_.importedFuncs]);
    }
    for (size_t i = m_.importedTables; i < m_.tables.size(); i++) tableLimits(m_.tables[i].limits, m_.offsets.tables[i - m_.importedTables]);
    for (size_t i = m_.importedTables; i < m_.tables.size(); i++) {  // a table of a type without default needs an initializer
      const TableType& t = m_.tables[i];
      if (t.init) constant(*t.init, t.elem, m_.importedGlobals);  // the table section comes before the globals
      else if (!defaultable(t.elem)) invalid("type mismatch", m_.offsets.tables[i - m_.importedTables]);
    }
    for (size_t i = m_.importedMemories; i < m_.memories.size(); i++) memoryLimits(m_.memories[i], m_.offsets.memories[i - m_.importedMemories]);
    if (m_.memories.size() > 1 && !m_.features.has(Feature::MultiMemory))
      invalid("multiple memories", m_.offsets.memories.empty() ? 0 : m_.offsets.memories.back());
    // Wasm 2.0 reads only imported globals in constant expressions; 3.0 also the globals defined before.
    bool later = m_.features.has(Feature::ExtendedConst);
    for (size_t i = 0; i < m_.globalInits.size(); i++)
      constant(m_.globalInits[i].init, m_.globalInits[i].type.type, later ? m_.importedGlobals + static_cast<uint32_t>(i) : m_.importedGlobals);
    for (ElemSegment& s : m_.elems) elemSegment(s);
    for (DataSegment& d : m_.datas) {
      if (d.mode != SegmentMode::Active) continue;
      if (d.memory >= m_.memories.size()) invalid(indexed("unknown memory", d.memory), d.offsetInModule);
      constant(d.offset, addressType(m_.memories[d.memory]));
    }
    std::set<std::string> names;
    for (const Export& e : m_.exports) exportEntry(e, names);
    if (m_.start) {
      uint32_t f = *m_.start;
      if (f >= m_.funcs.size()) invalid(indexed("unknown function", f), m_.offsets.start);
      const FuncType& t = m_.funcType(m_.funcs[f]);
      if (!t.params.empty() || !t.results.empty()) invalid("start function", m_.offsets.start);
    }
    if (!bodies) return;
    for (uint32_t i = m_.importedFuncs; i < m_.funcs.size(); i++) ExprValidator(m_).function(i, m_.bodies[i - m_.importedFuncs]);
  }

 private:
  /** A type index that functions and tags name: a function type. */
  void funcTypeIndex(uint32_t x, size_t at) {
    if (x >= m_.types.size()) invalid(indexed("unknown type", x), at);
    if (m_.types[x].kind != Composite::Func) invalid("type mismatch", at);
  }

  /** The type section (type_validation.h, which sets the canonical ids), then every type index a
   * type outside it names exists. */
  void types() {
    validateTypes(m_);
    auto known = static_cast<uint32_t>(m_.types.size());
    for (const Import& imp : m_.imports) {
      if (imp.kind == ExternKind::Table) typeAt(imp.table.elem, known, imp.offset);
      if (imp.kind == ExternKind::Global) typeAt(imp.global.type, known, imp.offset);
    }
    for (size_t i = m_.importedTables; i < m_.tables.size(); i++) typeAt(m_.tables[i].elem, known, m_.offsets.tables[i - m_.importedTables]);
    for (size_t i = m_.importedGlobals; i < m_.globals.size(); i++) typeAt(m_.globals[i].type, known, m_.offsets.globals[i - m_.importedGlobals]);
    for (const ElemSegment& s : m_.elems) typeAt(s.type, known, s.offsetInModule);
    for (const FuncBody& b : m_.bodies)
      for (const LocalRun& run : b.locals) typeAt(run.type, known, b.start);
  }

  void typeAt(ValType t, uint32_t known, size_t at) {
    if (t.isRef() && (t.heap() & ValType::kConcrete) && (t.heap() & ~ValType::kConcrete) >= known)
      invalid(indexed("unknown type", t.heap() & ~ValType::kConcrete), at);
  }

  void tableLimits(const Limits& l, size_t at) {
    if (!l.is64 && (l.min > 0xffffffffu || (l.max && *l.max > 0xffffffffu))) invalid("table size must be at most 2^32-1", at);
    if (l.max && l.min > *l.max) invalid("size minimum must not be greater than maximum", at);
  }

  void memoryLimits(const Limits& l, size_t at) {
    if (l.pageLog2 != 0 && l.pageLog2 != 16) invalid("invalid custom page size", at);
    uint64_t most = LinearMemory::specMaxPages(l.is64, l.pageLog2);
    if (l.min > most || (l.max && *l.max > most)) {
      if (!l.is64 && l.pageLog2 == 16) invalid("memory size must be at most 65536 pages (4GiB)", at);
      invalid("memory size must be at most " + std::to_string(most) + " pages", at);
    }
    if (l.max && l.min > *l.max) invalid("size minimum must not be greater than maximum", at);
    if (l.shared && !l.max) invalid("shared memory must have maximum", at);
  }

  /**
   * C.refs: the functions that ref.func in code may name are those referenced outside functions,
   * in exports, element segments and global initialisers.
   */
  void declareReferencedFunctions() {
    m_.declaredFuncs.assign(m_.funcs.size(), false);
    auto declare = [&](uint32_t f) {
      if (f < m_.funcs.size()) m_.declaredFuncs[f] = true;
    };
    auto declareIn = [&](const Expr& e) {
      for (const Instr& in : e.code)
        if (in.op == op("ref.func")) declare(in.a);
    };
    for (const Export& e : m_.exports)
      if (e.kind == ExternKind::Func) declare(e.index);
    for (const Global& g : m_.globalInits) declareIn(g.init);
    for (const TableType& t : m_.tables)
      if (t.init) declareIn(*t.init);
    for (const ElemSegment& s : m_.elems) {
      for (uint32_t f : s.funcIndices) declare(f);
      for (const Expr& e : s.inits) declareIn(e);
    }
  }

  /** A constant expression of this type reading globals below `globalLimit` (by default every global
   * 3.0 lets segments read, or the imported ones of 2.0). */
  void constant(const Expr& e, ValType type, uint32_t globalLimit) { ExprValidator(m_).constant(e, type, globalLimit); }
  void constant(const Expr& e, ValType type) {
    constant(e, type, m_.features.has(Feature::ExtendedConst) ? static_cast<uint32_t>(m_.globals.size()) : m_.importedGlobals);
  }

  void elemSegment(ElemSegment& s) {
    if (s.mode == SegmentMode::Active) {
      if (s.table >= m_.tables.size()) invalid(indexed("unknown table", s.table), s.offsetInModule);
      constant(s.offset, addressType(m_.tables[s.table].limits));
    }
    for (uint32_t f : s.funcIndices) {
      if (f >= m_.funcs.size()) invalid(indexed("unknown function", f), s.funcIndicesOffset);
    }
    for (const Expr& e : s.inits) constant(e, s.type);
    if (s.mode == SegmentMode::Active && !isSubtype(m_.typeIds, s.type, m_.tables[s.table].elem)) invalid("type mismatch", s.offsetInModule);
  }

  void exportEntry(const Export& e, std::set<std::string>& names) {
    switch (e.kind) {
      case ExternKind::Func:
        if (e.index >= m_.funcs.size()) invalid(indexed("unknown function", e.index), e.offset);
        break;
      case ExternKind::Table:
        if (e.index >= m_.tables.size()) invalid(indexed("unknown table", e.index), e.offset);
        break;
      case ExternKind::Memory:
        if (e.index >= m_.memories.size()) invalid(indexed("unknown memory", e.index), e.offset);
        break;
      case ExternKind::Global:
        if (e.index >= m_.globals.size()) invalid(indexed("unknown global", e.index), e.offset);
        break;
      case ExternKind::Tag:
        if (e.index >= m_.tags.size()) invalid(indexed("unknown tag", e.index), e.offset);
        break;
    }
    if (!names.insert(e.name).second) invalid("duplicate export name", e.offset);
  }

  Module& m_;
};

}  // namespace

void validateModule(Module& m) { ModuleValidator(m).validate(); }

void validateModuleWithoutBodies(Module& m) { ModuleValidator(m).validate(false); }

struct FunctionValidator::State {
  ExprValidator v;
};

FunctionValidator::FunctionValidator(const Module& m) : state_(new State{ExprValidator(m)}) {}
FunctionValidator::~FunctionValidator() = default;
void FunctionValidator::validate(uint32_t index, FuncBody& body) { state_->v.function(index, body); }

}  // namespace mitey
