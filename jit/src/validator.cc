// Function bodies and constant expressions, validated in one pass (the spec's appendix algorithm).
#include "validator.h"

#include <string>
#include <vector>

#include "opcodes.h"

namespace mitey {

ValType readValType(Reader& r) {
  size_t at = r.pos();
  uint8_t b = r.u8();
  switch (b) {
    case 0x7f: case 0x7e: case 0x7d: case 0x7c: case 0x7b: case 0x70: case 0x6f:
      return static_cast<ValType>(b);
    case 0x63: case 0x64: case 0x6e: case 0x6d: case 0x6c: case 0x6b: case 0x6a: case 0x69:
    case 0x71: case 0x72: case 0x73: case 0x74:
      unsupported("reference type of a later proposal (Wasm 3.0)", at);
    default:
      malformed("malformed value type", at);
  }
}

ValType readRefType(Reader& r) {
  size_t at = r.pos();
  uint8_t b = r.u8();
  if (b == 0x70 || b == 0x6f) return static_cast<ValType>(b);
  if (b == 0x63 || b == 0x64 || (b >= 0x69 && b <= 0x6e) || (b >= 0x71 && b <= 0x74)) unsupported("reference type of a later proposal (Wasm 3.0)", at);
  malformed("malformed reference type", at);
}

namespace {

ValType sigType(char c) {
  switch (c) {
    case 'i': return ValType::I32;
    case 'I': return ValType::I64;
    case 'f': return ValType::F32;
    case 'F': return ValType::F64;
    default: return ValType::V128;
  }
}

unsigned log2(unsigned n) {
  unsigned k = 0;
  while ((1u << k) < n) k++;
  return k;
}

enum class CtrlKind : uint8_t { Func, Block, Loop, If, Else };

struct Ctrl {
  CtrlKind kind;
  std::vector<ValType> params, results;
  size_t height;
  bool unreachable = false;
  const std::vector<ValType>& labelTypes() const { return kind == CtrlKind::Loop ? params : results; }
};

// Opcodes of later proposals, refused as unsupported rather than malformed.
const char* laterProposal(uint32_t prefix, uint32_t code) {
  if (prefix == 0) {
    switch (code) {
      case 0x06: case 0x07: case 0x08: case 0x09: case 0x18: case 0x19: case 0x0a: case 0x1f:
        return "exception handling";
      case 0x12: case 0x13: return "tail calls";
      case 0x14: case 0x15: case 0xd3: case 0xd4: case 0xd5: case 0xd6: return "typed function references";
      case 0xfb: return "garbage collection";
      case 0xfe: return "threads";
    }
    return nullptr;
  }
  if (prefix == kPrefixFD && code >= 0x100 && code <= 0x113) return "relaxed SIMD";
  return nullptr;
}

class FunctionValidator {
 public:
  FunctionValidator(Module& m, Reader& r) : m_(m), r_(r) {}

  void function(uint32_t index) {
    const FuncType& t = m_.types[m_.funcs[index]];
    body_ = &m_.bodies[index - m_.importedFuncs];
    params_ = &t.params;
    pushCtrl(CtrlKind::Func, {}, t.results);
    while (!ctrls_.empty()) instruction();
  }

  /** A constant expression: only constant instructions, one result of the expected type. */
  ConstExpr constExpr(ValType expected, uint32_t globalLimit) {
    ConstExpr e;
    e.start = r_.pos();
    pushCtrl(CtrlKind::Func, {}, {expected});
    for (;;) {
      size_t at = r_.pos();
      uint8_t op = r_.u8();
      switch (op) {
        case 0x0b: {
          popVals(ctrls_.back().results, at);
          if (stack_.size() != ctrls_.back().height) invalid("type mismatch", at);
          ctrls_.pop_back();
          e.end = r_.pos();
          return e;
        }
        case 0x41: r_.s32(); push(ValType::I32); break;
        case 0x42: r_.s64(); push(ValType::I64); break;
        case 0x43: r_.bytes(4); push(ValType::F32); break;
        case 0x44: r_.bytes(8); push(ValType::F64); break;
        case 0xd0: push(readRefType(r_)); break;
        case 0xd2: {
          uint32_t f = r_.u32();
          if (f >= m_.funcs.size()) invalid("unknown function " + std::to_string(f), at);
          referenced_.push_back(f);  // a reference outside functions declares it (C.refs)
          push(ValType::FuncRef);
          break;
        }
        case 0x23: {
          uint32_t g = r_.u32();
          if (g >= globalLimit) invalid("unknown global " + std::to_string(g), at);
          if (m_.globals[g].mut) invalid("constant expression required", at);
          push(m_.globals[g].type);
          break;
        }
        case 0xfd: {
          uint32_t sub = r_.u32();
          if (sub != 12) invalid("constant expression required", at);
          r_.bytes(16);
          push(ValType::V128);
          break;
        }
        default:
          if (!opInfo(0, op).name && !laterProposal(0, op)) malformed("illegal opcode", at);
          invalid("constant expression required", at);
      }
    }
  }

 private:
  // ---- operand and control stacks -----------------------------------------------------

  void push(ValType t) { stack_.push_back(t); }

  ValType pop(size_t at) {
    const Ctrl& c = ctrls_.back();
    if (stack_.size() == c.height) {
      if (c.unreachable) return ValType::Bot;
      invalid("type mismatch", at);
    }
    ValType t = stack_.back();
    stack_.pop_back();
    return t;
  }

  ValType pop(ValType expected, size_t at) {
    ValType actual = pop(at);
    if (actual != expected && actual != ValType::Bot && expected != ValType::Bot) invalid("type mismatch", at);
    return actual == ValType::Bot ? expected : actual;
  }

  std::vector<ValType> popVals(const std::vector<ValType>& types, size_t at) {
    std::vector<ValType> out(types.size());
    for (size_t i = types.size(); i-- > 0;) out[i] = pop(types[i], at);
    return out;
  }

  void pushVals(const std::vector<ValType>& types) {
    for (ValType t : types) push(t);
  }

  void pushCtrl(CtrlKind kind, std::vector<ValType> params, std::vector<ValType> results) {
    ctrls_.push_back(Ctrl{kind, std::move(params), std::move(results), stack_.size()});
    pushVals(ctrls_.back().params);
  }

  Ctrl popCtrl(size_t at) {
    Ctrl& c = ctrls_.back();
    popVals(c.results, at);
    if (stack_.size() != c.height) invalid("type mismatch", at);
    Ctrl out = std::move(c);
    ctrls_.pop_back();
    return out;
  }

  void setUnreachable() {
    stack_.resize(ctrls_.back().height);
    ctrls_.back().unreachable = true;
  }

  const Ctrl& label(size_t at) {
    uint32_t depth = r_.u32();
    if (depth >= ctrls_.size()) invalid("unknown label", at);
    return ctrls_[ctrls_.size() - 1 - depth];
  }

  // ---- immediates --------------------------------------------------------------------------

  void blockType(std::vector<ValType>& params, std::vector<ValType>& results) {
    size_t at = r_.pos();
    uint8_t b = r_.peek();
    if (b == 0x40) {
      r_.u8();
      return;
    }
    if (b == 0x7f || b == 0x7e || b == 0x7d || b == 0x7c || b == 0x7b || b == 0x70 || b == 0x6f) {
      results.push_back(static_cast<ValType>(r_.u8()));
      return;
    }
    int64_t index = r_.s33();
    if (index < 0) {
      if (b == 0x63 || b == 0x64 || (b >= 0x69 && b <= 0x6e) || (b >= 0x71 && b <= 0x74)) unsupported("reference type of a later proposal (Wasm 3.0)", at);
      malformed("malformed value type", at);
    }
    if (static_cast<uint64_t>(index) >= m_.types.size()) invalid("unknown type", at);
    params = m_.types[index].params;
    results = m_.types[index].results;
  }

  ValType local(size_t at) {
    uint32_t i = r_.u32();
    if (i < params_->size()) return (*params_)[i];
    uint64_t k = i - params_->size();
    for (const LocalRun& run : body_->locals) {
      if (k < run.count) return run.type;
      k -= run.count;
    }
    invalid("unknown local " + std::to_string(i), at);
  }

  const GlobalType& global(size_t at) {
    uint32_t g = r_.u32();
    if (g >= m_.globals.size()) invalid("unknown global " + std::to_string(g), at);
    return m_.globals[g];
  }

  const TableType& table(size_t at) {
    uint32_t t = r_.u32();
    if (t >= m_.tables.size()) invalid("unknown table " + std::to_string(t), at);
    return m_.tables[t];
  }

  void memory(size_t at) {
    if (m_.memories.empty()) invalid("unknown memory 0", at);
  }

  void zeroByte(size_t at) {
    size_t zat = r_.pos();
    if (r_.u8() != 0) malformed("zero byte expected", zat);
    memory(at);
  }

  void memArg(unsigned natural, size_t at) {
    size_t fat = r_.pos();
    uint32_t align = r_.u32();
    if (align >= 32) malformed("malformed memop flags", fat);  // bit 6 would name a memory (multi-memory)
    r_.u32();  // offset
    memory(at);
    if (align > log2(natural)) invalid("alignment must not be larger than natural", at);
  }

  void laneIndex(unsigned lanes, size_t at) {
    if (r_.u8() >= lanes) invalid("invalid lane index", at);
  }

  void dataIndex(uint32_t d, size_t at) {
    if (!m_.dataCount) {
      if (!m_.dataUseWithoutCount) m_.dataUseWithoutCount = Module::DataUse{at, d};
      return;
    }
    if (d >= *m_.dataCount) invalid("unknown data segment " + std::to_string(d), at);
  }

  const ElemSegment& elemSegment(size_t at) {
    uint32_t e = r_.u32();
    if (e >= m_.elems.size()) invalid("unknown elem segment " + std::to_string(e), at);
    return m_.elems[e];
  }

  /** Pops the operands and pushes the results of a table signature such as "ii:i". */
  void signature(const char* sig, size_t at) {
    const char* colon = sig;
    while (*colon != ':') colon++;
    for (const char* p = colon; p-- > sig;) pop(sigType(*p), at);
    for (const char* p = colon + 1; *p; p++) push(sigType(*p));
  }

  // ---- instructions ------------------------------------------------------------------------

  void instruction() {
    size_t at = r_.pos();
    uint32_t prefix = 0;
    uint32_t code = r_.u8();
    if (code == kPrefixFC || code == kPrefixFD) {
      prefix = code;
      code = r_.u32();
    }
    const OpInfo& info = opInfo(prefix, code);
    if (!info.name) {
      if (const char* proposal = laterProposal(prefix, code)) unsupported(std::string("instruction of a later proposal (") + proposal + ")", at);
      malformed("illegal opcode", at);
    }
    switch (info.imm) {
      case Imm::Special:
        return prefix == 0 ? special(code, at) : bulk(code, at);
      case Imm::None:
        break;
      case Imm::I32: r_.s32(); break;
      case Imm::I64: r_.s64(); break;
      case Imm::F32: r_.bytes(4); break;
      case Imm::F64: r_.bytes(8); break;
      case Imm::V128: r_.bytes(16); break;
      case Imm::MemArg: memArg(info.arg, at); break;
      case Imm::MemArgLane:
        memArg(info.arg, at);
        laneIndex(16 / info.arg, at);
        break;
      case Imm::Lane: laneIndex(info.arg, at); break;
      case Imm::Shuffle:
        for (int i = 0; i < 16; i++) laneIndex(32, at);
        break;
    }
    signature(info.sig, at);
  }

  void special(uint32_t op, size_t at) {
    switch (op) {
      case 0x00: setUnreachable(); return;  // unreachable
      case 0x01: return;                    // nop
      case 0x02: case 0x03: case 0x04: {    // block, loop, if
        std::vector<ValType> params, results;
        blockType(params, results);
        if (op == 0x04) pop(ValType::I32, at);
        popVals(params, at);
        pushCtrl(op == 0x02 ? CtrlKind::Block : op == 0x03 ? CtrlKind::Loop : CtrlKind::If, std::move(params), std::move(results));
        return;
      }
      case 0x05: {  // else
        if (ctrls_.back().kind != CtrlKind::If) malformed("else without if", at);
        Ctrl c = popCtrl(at);
        pushCtrl(CtrlKind::Else, std::move(c.params), std::move(c.results));
        return;
      }
      case 0x0b: {  // end
        Ctrl c = popCtrl(at);
        if (c.kind == CtrlKind::If && c.params != c.results) invalid("type mismatch", at);
        pushVals(c.results);
        return;
      }
      case 0x0c: {  // br
        popVals(label(at).labelTypes(), at);
        setUnreachable();
        return;
      }
      case 0x0d: {  // br_if
        const std::vector<ValType> types = label(at).labelTypes();
        pop(ValType::I32, at);
        popVals(types, at);
        pushVals(types);
        return;
      }
      case 0x0e: {  // br_table
        uint32_t n = r_.u32();
        std::vector<const Ctrl*> targets;
        for (uint32_t i = 0; i < n; i++) targets.push_back(&label(at));  // each costs a byte: bounded by the body
        const Ctrl& dflt = label(at);
        pop(ValType::I32, at);
        size_t arity = dflt.labelTypes().size();
        for (const Ctrl* t : targets) {
          if (t->labelTypes().size() != arity) invalid("type mismatch", at);
          pushVals(popVals(t->labelTypes(), at));
        }
        popVals(dflt.labelTypes(), at);
        setUnreachable();
        return;
      }
      case 0x0f:  // return
        popVals(ctrls_.front().results, at);
        setUnreachable();
        return;
      case 0x10: {  // call
        uint32_t f = r_.u32();
        if (f >= m_.funcs.size()) invalid("unknown function " + std::to_string(f), at);
        const FuncType& t = m_.types[m_.funcs[f]];
        popVals(t.params, at);
        pushVals(t.results);
        return;
      }
      case 0x11: {  // call_indirect
        uint32_t ti = r_.u32();
        const TableType& tab = table(at);
        if (ti >= m_.types.size()) invalid("unknown type", at);
        if (tab.elem != ValType::FuncRef) invalid("type mismatch", at);
        pop(ValType::I32, at);
        popVals(m_.types[ti].params, at);
        pushVals(m_.types[ti].results);
        return;
      }
      case 0x1a:  // drop
        pop(at);
        return;
      case 0x1b: {  // select
        pop(ValType::I32, at);
        ValType t1 = pop(at), t2 = pop(at);
        if (isRef(t1) || isRef(t2)) invalid("type mismatch", at);
        if (t1 != t2 && t1 != ValType::Bot && t2 != ValType::Bot) invalid("type mismatch", at);
        push(t1 == ValType::Bot ? t2 : t1);
        return;
      }
      case 0x1c: {  // select t
        uint32_t n = r_.u32();
        if (n != 1) invalid("invalid result arity", at);
        ValType t = readValType(r_);
        pop(ValType::I32, at);
        pop(t, at);
        pop(t, at);
        push(t);
        return;
      }
      case 0x20: push(local(at)); return;
      case 0x21: pop(local(at), at); return;
      case 0x22: { ValType t = local(at); pop(t, at); push(t); return; }
      case 0x23: push(global(at).type); return;
      case 0x24: {
        const GlobalType& g = global(at);
        if (!g.mut) invalid("global is immutable", at);
        pop(g.type, at);
        return;
      }
      case 0x25: { ValType t = table(at).elem; pop(ValType::I32, at); push(t); return; }
      case 0x26: { ValType t = table(at).elem; pop(t, at); pop(ValType::I32, at); return; }
      case 0x3f: zeroByte(at); push(ValType::I32); return;  // memory.size
      case 0x40: zeroByte(at); pop(ValType::I32, at); push(ValType::I32); return;  // memory.grow
      case 0xd0: push(readRefType(r_)); return;
      case 0xd1: {
        ValType t = pop(at);
        if (t != ValType::Bot && !isRef(t)) invalid("type mismatch", at);
        push(ValType::I32);
        return;
      }
      case 0xd2: {
        uint32_t f = r_.u32();
        if (f >= m_.funcs.size()) invalid("unknown function " + std::to_string(f), at);
        if (f >= m_.declaredFuncs.size() || !m_.declaredFuncs[f]) invalid("undeclared function reference", at);
        push(ValType::FuncRef);
        return;
      }
    }
  }

  void bulk(uint32_t op, size_t at) {
    switch (op) {
      case 8: {  // memory.init
        uint32_t d = r_.u32();
        zeroByte(at);
        dataIndex(d, at);
        pop(ValType::I32, at), pop(ValType::I32, at), pop(ValType::I32, at);
        return;
      }
      case 9: dataIndex(r_.u32(), at); return;  // data.drop
      case 10: zeroByte(at); zeroByte(at); pop(ValType::I32, at), pop(ValType::I32, at), pop(ValType::I32, at); return;
      case 11: zeroByte(at); pop(ValType::I32, at), pop(ValType::I32, at), pop(ValType::I32, at); return;
      case 12: {  // table.init elem table
        const ElemSegment& e = elemSegment(at);
        const TableType& t = table(at);
        if (e.type != t.elem) invalid("type mismatch", at);
        pop(ValType::I32, at), pop(ValType::I32, at), pop(ValType::I32, at);
        return;
      }
      case 13: elemSegment(at); return;
      case 14: {  // table.copy dst src
        const TableType& dst = table(at);
        const TableType& src = table(at);
        if (dst.elem != src.elem) invalid("type mismatch", at);
        pop(ValType::I32, at), pop(ValType::I32, at), pop(ValType::I32, at);
        return;
      }
      case 15: { ValType t = table(at).elem; pop(ValType::I32, at); pop(t, at); push(ValType::I32); return; }
      case 16: table(at); push(ValType::I32); return;
      case 17: { ValType t = table(at).elem; pop(ValType::I32, at); pop(t, at); pop(ValType::I32, at); return; }
    }
  }

  Module& m_;
  Reader& r_;
  const FuncBody* body_ = nullptr;
  const std::vector<ValType>* params_ = nullptr;
  std::vector<ValType> stack_;
  std::vector<Ctrl> ctrls_;

 public:
  std::vector<uint32_t> referenced_;  // functions named by ref.func in a constant expression
};

}  // namespace

void validateFunction(Module& m, uint32_t index, Reader& r) { FunctionValidator(m, r).function(index); }

ConstExpr validateConstExpr(Module& m, Reader& r, ValType expected, uint32_t globalLimit) {
  FunctionValidator v(m, r);
  ConstExpr e = v.constExpr(expected, globalLimit);
  for (uint32_t f : v.referenced_) {
    if (m.declaredFuncs.size() < m.funcs.size()) m.declaredFuncs.resize(m.funcs.size(), false);
    m.declaredFuncs[f] = true;
  }
  return e;
}

}  // namespace mitey
