#include "gc_unsupported.h"

#include "error.h"
#include "opcode_visitor.h"
#include "type_canon.h"

namespace mitey {
namespace {

class GcScan {
 public:
  explicit GcScan(const Module& m) : m_(m) {}

  void module() {
    for (uint32_t f : m_.funcs) funcType(f, 0);
    for (uint32_t t : m_.tags) funcType(t, 0);
    for (const GlobalType& g : m_.globals) value(g.type, 0);
    for (const TableType& t : m_.tables) {
      value(t.elem, 0);
      if (t.init) expr(*t.init);
    }
    for (const Global& g : m_.globalInits) expr(g.init);
    for (const ElemSegment& s : m_.elems) {
      value(s.type, s.offsetInModule);
      expr(s.offset);
      for (const Expr& e : s.inits) expr(e);
    }
    for (const FuncBody& b : m_.bodies) {
      for (const LocalRun& run : b.locals) value(run.type, b.start);
      expr(b.code);
    }
  }

 private:
  bool isGc(ValType t) const {
    if (!t.isRef()) return false;
    uint32_t h = t.heap();
    if (h & ValType::kConcrete) return m_.types[h & ~ValType::kConcrete].kind != Composite::Func;
    return topHeap({}, h) == heap::Any;
  }

  void value(ValType t, size_t at) const {
    if (isGc(t)) unsupported("GC values (any, eq, i31, struct, array, none) do not run yet", at);
  }

  void funcType(uint32_t type, size_t at) const {
    for (ValType v : m_.funcType(type).params) value(v, at);
    for (ValType v : m_.funcType(type).results) value(v, at);
  }

  /** The instructions that name a type (a value type, or a function type of calls and blocks), and GC's own. */
  void expr(const Expr& e) const {
    for (const Instr& in : e.code) {
      if (in.op >= kKeyFB || in.op == op("ref.eq")) unsupported("GC instructions do not run yet", in.offset);
      if (in.op == op("ref.null") || in.op == op("select", 1) || ((in.op == op("block") || in.op == op("loop") || in.op == op("if") ||
                                                                    in.op == op("try") || in.op == op("try_table")) && in.x == 1))
        value(ValType::fromBits(in.c), in.offset);
      if ((in.op == op("block") || in.op == op("loop") || in.op == op("if") || in.op == op("try") || in.op == op("try_table")) && in.x == 2)
        funcType(in.a, in.offset);
      if (in.op == op("call_indirect") || in.op == op("return_call_indirect") || in.op == op("call_ref") || in.op == op("return_call_ref"))
        funcType(in.a, in.offset);
    }
  }

  const Module& m_;
};

}  // namespace

void requireNoGcValues(const Module& m) { GcScan(m).module(); }

}  // namespace mitey
