// Section by section decoding with the ordering rules of the binary format, and module-level validation.
#include "decoder.h"

#include <set>
#include <string>

#include "reader.h"
#include "validator.h"

namespace mitey {
namespace {

constexpr uint64_t kMaxPages = 65536;

// Rank of each known section id in the required order (data count sits between element and code).
int sectionRank(uint8_t id) {
  switch (id) {
    case 1: return 1;   // type
    case 2: return 2;   // import
    case 3: return 3;   // function
    case 4: return 4;   // table
    case 5: return 5;   // memory
    case 6: return 6;   // global
    case 7: return 7;   // export
    case 8: return 8;   // start
    case 9: return 9;   // element
    case 12: return 10; // data count
    case 10: return 11; // code
    case 11: return 12; // data
    default: return -1;
  }
}

class ModuleDecoder {
 public:
  ModuleDecoder(const uint8_t* bytes, size_t size) : r_(bytes, size) {}

  Module decode() {
    header();
    int lastRank = 0;
    bool sawFunctionSection = false, sawCodeSection = false, sawDataSection = false;
    while (!r_.atEnd()) {
      size_t idAt = r_.pos();
      uint8_t id = r_.u8();
      uint32_t size = r_.u32();
      if (id != 0) {
        int rank = sectionRank(id);
        if (rank < 0) malformed("malformed section id", idAt);
        if (rank <= lastRank) malformed("unexpected content after last section", idAt);
        lastRank = rank;
      }
      size_t outer = r_.limit(size);
      switch (id) {
        case 0: customSection(); break;
        case 1: typeSection(); break;
        case 2: importSection(); break;
        case 3: functionSection(); sawFunctionSection = true; break;
        case 4: tableSection(); break;
        case 5: memorySection(); break;
        case 6: globalSection(); break;
        case 7: exportSection(); break;
        case 8: startSection(); break;
        case 9: elementSection(); break;
        case 12: m_.dataCount = r_.u32(); break;
        case 10: codeSection(); sawCodeSection = true; break;
        case 11: dataSection(); sawDataSection = true; break;
      }
      if (!r_.atEnd()) malformed("section size mismatch", r_.pos());
      r_.restore(outer);
    }
    (void)sawFunctionSection;
    if (!sawCodeSection && definedFuncs_ > 0) malformed("function and code section have inconsistent lengths", r_.pos());
    if (m_.dataUseWithoutCount) {
      const Module::DataUse& use = *m_.dataUseWithoutCount;
      if (sawDataSection) malformed("data count section required", use.offset);
      invalid("unknown data segment " + std::to_string(use.index), use.offset);
    }
    if (!sawDataSection && m_.dataCount && *m_.dataCount != 0)
      malformed("data count and data section have inconsistent lengths", r_.pos());
    return std::move(m_);
  }

 private:
  void header() {
    static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
    for (int i = 0; i < 4; i++) {
      if (r_.atEnd()) malformed("unexpected end", r_.pos());
      if (r_.u8() != magic[i]) malformed("magic header not detected", 0);
    }
    if (r_.remaining() < 4) malformed("unexpected end", r_.pos());
    if (r_.fixed<uint32_t>() != 1) malformed("unknown binary version", 4);
  }

  void customSection() {
    r_.name();
    r_.bytes(r_.remaining());
  }

  void typeSection() {
    uint32_t n = r_.u32();
    for (uint32_t i = 0; i < n; i++) {
      size_t at = r_.pos();
      uint8_t form = r_.u8();
      if (form != 0x60) {
        if (form == 0x5e || form == 0x5f || form == 0x50 || form == 0x4f || form == 0x4e) unsupported("GC type definitions (Wasm 3.0)", at);
        malformed("integer representation too long", at);
      }
      FuncType t;
      uint32_t np = r_.u32();
      for (uint32_t k = 0; k < np; k++) t.params.push_back(readValType(r_));
      uint32_t nr = r_.u32();
      for (uint32_t k = 0; k < nr; k++) t.results.push_back(readValType(r_));
      m_.types.push_back(std::move(t));
    }
  }

  Limits limits(bool memory) {
    size_t at = r_.pos();
    uint8_t flags = r_.u8();
    // Wasm 2.0 knows flags 0 and 1; later proposals' flags are unsupported where they make sense,
    // malformed (as the 2.0 suite expects) where they do not.
    if (flags == 0x03 && memory) unsupported("shared memories (threads)", at);
    if (flags == 0x04 || flags == 0x05) unsupported(memory ? "64-bit memories (memory64)" : "64-bit tables (memory64)", at);
    if (flags > 0x01) malformed("integer too large", at);
    Limits l;
    l.min = r_.u32();
    if (flags & 1) l.max = r_.u32();
    return l;
  }

  void checkTableLimits(const Limits& l, size_t at) {
    if (l.max && l.min > *l.max) invalid("size minimum must not be greater than maximum", at);
  }

  void checkMemoryLimits(const Limits& l, size_t at) {
    if (l.min > kMaxPages || (l.max && *l.max > kMaxPages)) invalid("memory size must be at most 65536 pages (4GiB)", at);
    if (l.max && l.min > *l.max) invalid("size minimum must not be greater than maximum", at);
    if (m_.memories.size() > 1) invalid("multiple memories", at);
  }

  TableType tableType() {
    TableType t;
    t.elem = readRefType(r_);
    size_t at = r_.pos();
    t.limits = limits(false);
    checkTableLimits(t.limits, at);
    return t;
  }

  GlobalType globalType() {
    GlobalType g;
    g.type = readValType(r_);
    size_t at = r_.pos();
    uint8_t mut = r_.u8();
    if (mut > 1) malformed("malformed mutability", at);
    g.mut = mut == 1;
    return g;
  }

  void importSection() {
    uint32_t n = r_.u32();
    for (uint32_t i = 0; i < n; i++) {
      Import imp;
      imp.module = r_.name();
      imp.name = r_.name();
      size_t at = r_.pos();
      uint8_t kind = r_.u8();
      switch (kind) {
        case 0: {
          imp.kind = ExternKind::Func;
          size_t tat = r_.pos();
          imp.typeIndex = r_.u32();
          if (imp.typeIndex >= m_.types.size()) invalid("unknown type " + std::to_string(imp.typeIndex), tat);
          m_.funcs.push_back(imp.typeIndex);
          m_.importedFuncs++;
          break;
        }
        case 1:
          imp.kind = ExternKind::Table;
          imp.table = tableType();
          m_.tables.push_back(imp.table);
          m_.importedTables++;
          break;
        case 2: {
          imp.kind = ExternKind::Memory;
          size_t lat = r_.pos();
          imp.memory = limits(true);
          m_.memories.push_back(imp.memory);
          checkMemoryLimits(imp.memory, lat);
          m_.importedMemories++;
          break;
        }
        case 3:
          imp.kind = ExternKind::Global;
          imp.global = globalType();
          m_.globals.push_back(imp.global);
          m_.importedGlobals++;
          break;
        default:  // 4, a tag, belongs to exception handling: malformed in Wasm 2.0
          malformed("malformed import kind", at);
      }
      m_.imports.push_back(std::move(imp));
    }
  }

  void functionSection() {
    uint32_t n = r_.u32();
    for (uint32_t i = 0; i < n; i++) {
      size_t at = r_.pos();
      uint32_t t = r_.u32();
      if (t >= m_.types.size()) invalid("unknown type " + std::to_string(t), at);
      m_.funcs.push_back(t);
    }
    definedFuncs_ = n;
    m_.declaredFuncs.assign(m_.funcs.size(), false);
  }

  void tableSection() {
    uint32_t n = r_.u32();
    for (uint32_t i = 0; i < n; i++) {
      if (r_.peek() == 0x40) unsupported("tables with initialisers (Wasm 3.0)", r_.pos());
      m_.tables.push_back(tableType());
    }
  }

  void memorySection() {
    uint32_t n = r_.u32();
    for (uint32_t i = 0; i < n; i++) {
      size_t at = r_.pos();
      Limits l = limits(true);
      m_.memories.push_back(l);
      checkMemoryLimits(l, at);
    }
  }

  void globalSection() {
    uint32_t n = r_.u32();
    for (uint32_t i = 0; i < n; i++) {
      Global g;
      g.type = globalType();
      g.init = validateConstExpr(m_, r_, g.type.type, m_.importedGlobals);
      m_.globals.push_back(g.type);
      m_.globalInits.push_back(g);
    }
  }

  void declare(uint32_t func) {
    if (m_.declaredFuncs.size() < m_.funcs.size()) m_.declaredFuncs.resize(m_.funcs.size(), false);
    m_.declaredFuncs[func] = true;
  }

  void exportSection() {
    uint32_t n = r_.u32();
    std::set<std::string> names;
    for (uint32_t i = 0; i < n; i++) {
      size_t at = r_.pos();
      Export e;
      e.name = r_.name();
      size_t kat = r_.pos();
      uint8_t kind = r_.u8();
      size_t iat = r_.pos();
      e.index = r_.u32();
      switch (kind) {
        case 0:
          if (e.index >= m_.funcs.size()) invalid("unknown function " + std::to_string(e.index), iat);
          declare(e.index);
          break;
        case 1:
          if (e.index >= m_.tables.size()) invalid("unknown table " + std::to_string(e.index), iat);
          break;
        case 2:
          if (e.index >= m_.memories.size()) invalid("unknown memory " + std::to_string(e.index), iat);
          break;
        case 3:
          if (e.index >= m_.globals.size()) invalid("unknown global " + std::to_string(e.index), iat);
          break;
        default:  // 4, a tag, belongs to exception handling: malformed in Wasm 2.0
          malformed("malformed export kind", kat);
      }
      e.kind = static_cast<ExternKind>(kind);
      if (!names.insert(e.name).second) invalid("duplicate export name", at);
      m_.exports.push_back(std::move(e));
    }
  }

  void startSection() {
    size_t at = r_.pos();
    uint32_t f = r_.u32();
    if (f >= m_.funcs.size()) invalid("unknown function " + std::to_string(f), at);
    const FuncType& t = m_.types[m_.funcs[f]];
    if (!t.params.empty() || !t.results.empty()) invalid("start function", at);
    m_.start = f;
  }

  uint32_t funcIndex() {
    size_t at = r_.pos();
    uint32_t f = r_.u32();
    if (f >= m_.funcs.size()) invalid("unknown function " + std::to_string(f), at);
    declare(f);
    return f;
  }

  void elementSection() {
    uint32_t n = r_.u32();
    for (uint32_t i = 0; i < n; i++) {
      ElemSegment s;
      size_t at = r_.pos();
      uint32_t flags = r_.u32();
      if (flags > 7) malformed("malformed elements segment kind", at);
      bool passiveOrDeclarative = flags & 1;
      bool explicitTable = flags & 2;
      bool usesExprs = flags & 4;
      s.mode = !passiveOrDeclarative ? SegmentMode::Active : explicitTable ? SegmentMode::Declarative : SegmentMode::Passive;
      if (s.mode == SegmentMode::Active) {
        size_t tat = r_.pos();
        s.table = explicitTable ? r_.u32() : 0;
        if (s.table >= m_.tables.size()) invalid("unknown table " + std::to_string(s.table), tat);
        s.offset = validateConstExpr(m_, r_, ValType::I32, m_.importedGlobals);
      }
      if (passiveOrDeclarative || explicitTable) {
        if (usesExprs) {
          s.type = readRefType(r_);
        } else {
          size_t kat = r_.pos();
          if (r_.u8() != 0x00) malformed("malformed element kind", kat);
          s.type = ValType::FuncRef;
        }
      }
      uint32_t count = r_.u32();
      if (usesExprs) {
        for (uint32_t k = 0; k < count; k++) s.inits.push_back(validateConstExpr(m_, r_, s.type, m_.importedGlobals));
      } else {
        s.usesIndices = true;
        for (uint32_t k = 0; k < count; k++) s.funcIndices.push_back(funcIndex());
      }
      if (s.mode == SegmentMode::Active && m_.tables[s.table].elem != s.type) invalid("type mismatch", at);
      m_.elems.push_back(std::move(s));
    }
  }

  void codeSection() {
    size_t at = r_.pos();
    uint32_t n = r_.u32();
    if (n != definedFuncs_) malformed("function and code section have inconsistent lengths", at);
    if (m_.declaredFuncs.size() < m_.funcs.size()) m_.declaredFuncs.resize(m_.funcs.size(), false);
    for (uint32_t i = 0; i < n; i++) {
      uint32_t size = r_.u32();
      size_t outer = r_.limit(size);
      FuncBody body;
      body.start = r_.pos();
      body.end = r_.end();
      const FuncType& t = m_.types[m_.funcs[m_.importedFuncs + i]];
      body.localCount = t.params.size();
      uint32_t runs = r_.u32();
      for (uint32_t k = 0; k < runs; k++) {
        size_t lat = r_.pos();
        uint32_t count = r_.u32();
        ValType type = readValType(r_);
        body.localCount += count;
        if (body.localCount > 0xffffffffull) malformed("too many locals", lat);
        if (count) body.locals.push_back({count, type});
      }
      body.codeStart = r_.pos();
      m_.bodies.push_back(std::move(body));
      validateFunction(m_, m_.importedFuncs + i, r_);
      if (!r_.atEnd()) malformed("section size mismatch", r_.pos());
      r_.restore(outer);
    }
  }

  void dataSection() {
    size_t at = r_.pos();
    uint32_t n = r_.u32();
    if (m_.dataCount && *m_.dataCount != n) malformed("data count and data section have inconsistent lengths", at);
    for (uint32_t i = 0; i < n; i++) {
      DataSegment d;
      size_t fat = r_.pos();
      uint32_t flags = r_.u32();
      if (flags > 2) malformed("malformed data segment kind", fat);
      if (flags != 1) {
        size_t mat = r_.pos();
        d.memory = flags == 2 ? r_.u32() : 0;
        if (d.memory >= m_.memories.size()) invalid("unknown memory " + std::to_string(d.memory), mat);
        d.offset = validateConstExpr(m_, r_, ValType::I32, m_.importedGlobals);
      } else {
        d.mode = SegmentMode::Passive;
      }
      d.size = r_.u32();
      d.start = r_.pos();
      if (d.size > r_.remaining()) malformed("unexpected end of section or function", r_.pos());
      r_.bytes(d.size);
      m_.datas.push_back(d);
    }
  }

  Reader r_;
  Module m_;
  uint32_t definedFuncs_ = 0;
};

}  // namespace

Module decodeModule(const uint8_t* bytes, size_t size) { return ModuleDecoder(bytes, size).decode(); }

}  // namespace mitey
