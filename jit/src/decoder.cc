// Decoding (the binary format's rules: malformed modules) of every section, then validation.
// Like the spec's reference decoder, sections are read forward and their sizes checked after.
#include "decoder.h"

#include <algorithm>

#include <string>

#include "expr_decoder.h"
#include "opcode_visitor.h"
#include "reader.h"
#include "validator.h"
#include "type_reader.h"

namespace mitey {
namespace {

// Rank of each known section id in the required order (data count sits between element and code).
int sectionRank(uint8_t id) {
  switch (id) {
    case 1: return 1;    // type
    case 2: return 2;    // import
    case 3: return 3;    // function
    case 4: return 4;    // table
    case 5: return 5;    // memory
    case 13: return 6;   // tag (exception handling)
    case 6: return 7;    // global
    case 7: return 8;    // export
    case 8: return 9;    // start
    case 9: return 10;   // element
    case 12: return 11;  // data count
    case 10: return 12;  // code
    case 11: return 13;  // data
    default: return -1;
  }
}

/** The first instruction naming a data segment (memory.init, data.drop, array.new_data, array.init_data), or null. */
const Instr* firstUseOfData(const Expr& e) {
  for (const Instr& in : e.code)
    if (in.op == kKeyFC + 8 || in.op == kKeyFC + 9 || in.op == op("array.new_data") || in.op == op("array.init_data")) return &in;
  return nullptr;
}

class ModuleDecoder {
 public:
  ModuleDecoder(const uint8_t* bytes, size_t size, Features features, Bodies bodies) : r_(bytes, size), deferred_(bodies == Bodies::Deferred) {
    m_.features = features;
    m_.bodiesDeferred = deferred_;
  }
  bool has(Feature f) const { return m_.features.has(f); }

  Module decode() {
    header();
    int lastRank = 0;
    bool sawData = false;
    while (!r_.atEnd()) {
      size_t idAt = r_.pos();
      uint8_t id = r_.u8();
      if (id != 0) {
        int rank = sectionRank(id);
        if (rank < 0 || (id == 13 && !has(Feature::Exceptions))) malformed("malformed section id", idAt);
        if (rank <= lastRank) malformed("unexpected content after last section", idAt);
        lastRank = rank;
      }
      uint32_t size = r_.len32();
      size_t start = r_.pos();
      switch (id) {
        case 0: customSection(start + size); break;
        case 1: typeSection(); break;
        case 2: importSection(); break;
        case 3: functionSection(); break;
        case 4: tableSection(); break;
        case 5: memorySection(); break;
        case 13: tagSection(); break;
        case 6: globalSection(); break;
        case 7: exportSection(); break;
        case 8: m_.offsets.start = r_.pos(); m_.start = r_.u32(); break;
        case 9: elementSection(); break;
        case 12: m_.dataCount = r_.u32(); break;
        case 10: codeSection(); break;
        case 11: dataSection(); sawData = true; break;
      }
      if (r_.pos() != start + size) malformed("section size mismatch", start);
    }
    if (m_.bodies.size() != definedFuncs_) malformed("function and code section have inconsistent lengths", r_.pos());
    if (m_.dataCount && *m_.dataCount != m_.datas.size()) malformed("data count and data section have inconsistent lengths", r_.pos());
    m_.hasDataSection = sawData;
    if (deferred_) {
      validateModuleWithoutBodies(m_);
      return std::move(m_);
    }
    usesOfDataWithoutCount(sawData);
    validateModule(m_);
    return std::move(m_);
  }

 private:
  void header() {
    if (r_.remaining() < 4) r_.unexpectedEnd();
    if (r_.fixed<uint32_t>() != 0x6d736100) malformed("magic header not detected", 0);
    if (r_.remaining() < 4) r_.unexpectedEnd();
    if (r_.fixed<uint32_t>() != 1) malformed("unknown binary version", 4);
    r_.headerDone();
  }

  /** The name is read within the section's bytes (running out there is "unexpected end"). */
  void customSection(size_t end) {
    size_t start = r_.pos();
    Reader content(r_.data() + start, end - start);
    try {
      content.name();
    } catch (const WasmError& e) {
      throw WasmError(e.kind, e.what(), start + e.offset);
    }
    r_.seek(end);
  }

  /**
   * Room for the n entries a section declares, reserved up front so that a section of millions
   * (the JS API's limits test has 10,000,000 element segments) is not copied as its vector grows;
   * at most one entry per two bytes left (all but a function's type index take two or more), so
   * a count the bytes cannot hold reserves nothing beyond them.
   */
  size_t reserveFor(uint32_t n) const { return std::min<size_t>(n, r_.remaining() / 2); }

  ValType valType() { return readValType(r_, m_.features); }
  ValType refType() { return readRefType(r_, m_.features); }

  /** Wasm 2.0 and typed references: function types only (each a rec group of its own); GC: rec
   * groups of sub types of function, struct and array types. */
  void typeSection() {
    uint32_t n = r_.u32();
    m_.types.reserve(m_.types.size() + reserveFor(n));
    for (uint32_t i = 0; i < n; i++) {
      size_t at = r_.pos();
      if (!has(Feature::GC)) {
        uint8_t form = r_.u8();
        if (form != 0x60) {
          if (form == 0x5e || form == 0x5f || form == 0x50 || form == 0x4f || form == 0x4e) unsupported("GC type definitions (Wasm 3.0)", at);
          malformed("integer representation too long", at);
        }
        m_.offsets.types.push_back(at);
        SubType t;
        t.func = funcType();
        addRecGroup({std::move(t)});
        continue;
      }
      std::vector<SubType> group;
      if (r_.peek() == 0x4e) {  // rec: a group of sub types
        r_.u8();
        uint32_t k = r_.u32();
        group.reserve(reserveFor(k));
        for (uint32_t j = 0; j < k; j++) group.push_back(subType());
      } else {
        group.push_back(subType());
      }
      addRecGroup(std::move(group));
    }
  }

  /** sub (0x50) and sub final (0x4f) name at most one supertype (validation's rule: more decode); a bare composite type is final. */
  SubType subType() {
    m_.offsets.types.push_back(r_.pos());
    uint8_t b = r_.peek();
    SubType t;
    if (b == 0x50 || b == 0x4f) {
      r_.u8();
      t.final = b == 0x4f;
      t.superCount = r_.u32();
      for (uint32_t k = 0; k < t.superCount; k++) {
        uint32_t super = r_.u32();
        if (k == 0) t.super = super;
      }
    }
    compositeType(t);
    return t;
  }

  void compositeType(SubType& t) {
    size_t at = r_.pos();
    uint8_t form = r_.u8();
    switch (form) {
      case 0x60: t.kind = Composite::Func; t.func = funcType(); return;
      case 0x5f: {
        t.kind = Composite::Struct;
        uint32_t n = r_.u32();
        t.fields.reserve(reserveFor(n));
        for (uint32_t k = 0; k < n; k++) t.fields.push_back(readFieldType(r_, m_.features));
        return;
      }
      case 0x5e: t.kind = Composite::Array; t.fields.push_back(readFieldType(r_, m_.features)); return;
      default: malformed("malformed definition type", at);
    }
  }

  FuncType funcType() {
    FuncType t;
    uint32_t np = r_.u32();
    for (uint32_t k = 0; k < np; k++) t.params.push_back(valType());
    uint32_t nr = r_.u32();
    for (uint32_t k = 0; k < nr; k++) t.results.push_back(valType());
    return t;
  }

  void addRecGroup(std::vector<SubType> group) {
    auto start = static_cast<uint32_t>(m_.types.size());
    auto end = start + static_cast<uint32_t>(group.size());
    for (SubType& t : group) {
      t.recStart = start;
      t.recEnd = end;
      m_.types.push_back(std::move(t));
    }
  }

  /** Limits flags: bit 0 a maximum, 1 shared (threads), 2 64-bit (memory64), 3 a page size
   * (custom page sizes). Wasm 2.0 reads them as a one-bit LEB: a bit of a feature that is off is
   * "integer too large", as the 2.0 suite expects. A shared memory without a maximum decodes (the
   * validator refuses it, as the threads proposal's memory.wast expects). */
  Limits limits(bool memory) {
    size_t at = r_.pos();
    uint8_t flags = r_.u8();
    if (flags & 0x80) malformed("integer representation too long", at);
    uint8_t allowed = 0x01;
    if (memory && has(Feature::Threads)) allowed |= 0x02;
    if (has(Feature::Memory64)) allowed |= 0x04;
    if (memory && has(Feature::CustomPageSizes)) allowed |= 0x08;
    if (flags & ~allowed) malformed("integer too large", at);
    Limits l;
    l.shared = flags & 0x02;
    l.is64 = flags & 0x04;
    // Wasm 3.0 reads every limit as a u64 and leaves the range to validation; 2.0 reads a u32.
    bool wide = has(Feature::Memory64);
    l.min = wide ? r_.u64() : r_.u32();
    if (flags & 1) l.max = wide ? r_.u64() : r_.u32();
    if (flags & 0x08) {
      size_t pat = r_.pos();
      uint32_t log2 = r_.u32();
      if (log2 > 64) malformed("invalid custom page size", pat);
      l.pageLog2 = static_cast<uint8_t>(log2);
    }
    return l;
  }

  TableType tableType() {
    TableType t;
    t.elem = refType();
    t.limits = limits(false);
    return t;
  }

  GlobalType globalType() {
    GlobalType g;
    g.type = valType();
    size_t at = r_.pos();
    uint8_t mut = r_.u8();
    if (mut > 1) malformed("malformed mutability", at);
    g.mut = mut == 1;
    return g;
  }

  void importSection() {
    uint32_t n = r_.u32();
    m_.imports.reserve(m_.imports.size() + reserveFor(n));
    for (uint32_t i = 0; i < n; i++) {
      Import imp;
      imp.module = r_.name();
      imp.name = r_.name();
      size_t at = r_.pos();
      uint8_t kind = r_.u8();
      imp.offset = r_.pos();
      switch (kind) {
        case 0:
          imp.kind = ExternKind::Func;
          imp.typeIndex = r_.u32();
          m_.funcs.push_back(imp.typeIndex);
          m_.importedFuncs++;
          break;
        case 1:
          imp.kind = ExternKind::Table;
          imp.table = tableType();
          m_.tables.push_back(imp.table);
          m_.importedTables++;
          break;
        case 2:
          imp.kind = ExternKind::Memory;
          imp.memory = limits(true);
          m_.memories.push_back(imp.memory);
          m_.importedMemories++;
          break;
        case 3:
          imp.kind = ExternKind::Global;
          imp.global = globalType();
          m_.globals.push_back(imp.global);
          m_.importedGlobals++;
          break;
        case 4:
          if (!has(Feature::Exceptions)) malformed("malformed import kind", at);  // exception handling's: malformed in Wasm 2.0
          imp.kind = ExternKind::Tag;
          imp.typeIndex = tagType();
          m_.tags.push_back(imp.typeIndex);
          m_.importedTags++;
          break;
        default:
          malformed("malformed import kind", at);
      }
      m_.imports.push_back(std::move(imp));
    }
  }

  void functionSection() {
    uint32_t n = r_.u32();
    m_.funcs.reserve(m_.funcs.size() + reserveFor(n));
    m_.offsets.funcTypes.reserve(m_.offsets.funcTypes.size() + reserveFor(n));
    for (uint32_t i = 0; i < n; i++) {
      m_.offsets.funcTypes.push_back(r_.pos());
      m_.funcs.push_back(r_.u32());
    }
    definedFuncs_ = n;
  }

  void tableSection() {
    uint32_t n = r_.u32();
    for (uint32_t i = 0; i < n; i++) {
      m_.offsets.tables.push_back(r_.pos());
      if (r_.peek() == 0x40 && has(Feature::TypedFuncRefs)) {  // 0x40 0x00 tabletype expr: a table with an initializer
        size_t at = r_.pos();
        r_.u8();
        if (r_.u8() != 0x00) malformed("malformed table", at);
        TableType t = tableType();
        t.init.emplace();
        decodeExpr(r_, m_.features, *t.init);
        m_.tables.push_back(std::move(t));
        continue;
      }
      if (r_.peek() == 0x40) unsupported("tables with initialisers (Wasm 3.0)", r_.pos());
      m_.tables.push_back(tableType());
    }
  }

  /** A tag's type: attribute 0 (an exception), then its function type's index. */
  uint32_t tagType() {
    size_t at = r_.pos();
    if (r_.u8() != 0x00) malformed("malformed tag attribute", at);
    return r_.u32();
  }

  void tagSection() {
    uint32_t n = r_.u32();
    for (uint32_t i = 0; i < n; i++) {
      m_.offsets.tags.push_back(r_.pos());
      m_.tags.push_back(tagType());
    }
  }

  void memorySection() {
    uint32_t n = r_.u32();
    for (uint32_t i = 0; i < n; i++) {
      m_.offsets.memories.push_back(r_.pos());
      m_.memories.push_back(limits(true));
    }
  }

  void globalSection() {
    uint32_t n = r_.u32();
    m_.globalInits.reserve(m_.globalInits.size() + reserveFor(n));
    for (uint32_t i = 0; i < n; i++) {
      Global g;
      m_.offsets.globals.push_back(r_.pos());
      g.type = globalType();
      decodeExpr(r_, m_.features, g.init);
      m_.globals.push_back(g.type);
      m_.globalInits.push_back(std::move(g));
    }
  }

  void exportSection() {
    uint32_t n = r_.u32();
    m_.exports.reserve(m_.exports.size() + reserveFor(n));
    for (uint32_t i = 0; i < n; i++) {
      Export e;
      e.offset = r_.pos();
      e.name = r_.name();
      size_t kat = r_.pos();
      uint8_t kind = r_.u8();
      if (kind > (has(Feature::Exceptions) ? 4 : 3)) malformed("malformed export kind", kat);  // 4, a tag, belongs to exception handling
      e.kind = static_cast<ExternKind>(kind);
      e.index = r_.u32();
      m_.exports.push_back(std::move(e));
    }
  }

  void elementSection() {
    uint32_t n = r_.u32();
    m_.elems.reserve(m_.elems.size() + reserveFor(n));
    for (uint32_t i = 0; i < n; i++) {
      ElemSegment s;
      s.offsetInModule = r_.pos();
      uint32_t flags = r_.u32();
      if (flags > 7) malformed("malformed elements segment kind", s.offsetInModule);
      bool passiveOrDeclarative = flags & 1;
      bool explicitTable = flags & 2;
      bool usesExprs = flags & 4;
      s.mode = !passiveOrDeclarative ? SegmentMode::Active : explicitTable ? SegmentMode::Declarative : SegmentMode::Passive;
      if (s.mode == SegmentMode::Active) {
        s.table = explicitTable ? r_.u32() : 0;
        decodeExpr(r_, m_.features, s.offset);
      }
      if (passiveOrDeclarative || explicitTable) {
        if (usesExprs) {
          s.type = refType();
        } else {
          size_t kat = r_.pos();
          if (r_.u8() != 0x00) malformed("malformed element kind", kat);
        }
      }
      uint32_t count = r_.u32();
      s.funcIndicesOffset = r_.pos();
      s.usesIndices = !usesExprs;
      // Function indices are non-null references with typed references (3.0), funcref in 2.0.
      if (!usesExprs && has(Feature::TypedFuncRefs)) s.type = ValType::ref(ValType::kHeapFunc, false);
      for (uint32_t k = 0; k < count; k++) {
        if (usesExprs) {
          s.inits.emplace_back();
          decodeExpr(r_, m_.features, s.inits.back());
        } else {
          s.funcIndices.push_back(r_.u32());
        }
      }
      m_.elems.push_back(std::move(s));
    }
  }

  void codeSection() {
    uint32_t n = r_.u32();
    m_.bodies.reserve(m_.bodies.size() + reserveFor(n));
    for (uint32_t i = 0; i < n; i++) {
      uint32_t size = r_.len32();
      FuncBody body;
      body.start = r_.pos();
      body.end = body.start + size;
      uint32_t runs = r_.u32();
      for (uint32_t k = 0; k < runs; k++) {
        size_t at = r_.pos();
        uint32_t count = r_.u32();
        ValType type = valType();
        body.localCount += count;
        if (body.localCount > 0xffffffffull) malformed("too many locals", at);
        if (count) body.locals.push_back({count, type});
      }
      body.exprStart = r_.pos();
      if (deferred_) {
        if (body.exprStart > body.end) malformed("section size mismatch", body.start);  // (the whole decode says what went wrong first)
        r_.seek(body.end);
      } else {
        decodeExpr(r_, m_.features, body.code);
        if (r_.pos() != body.end) malformed("section size mismatch", body.start);
      }
      m_.bodies.push_back(std::move(body));
    }
  }

  void dataSection() {
    uint32_t n = r_.u32();
    m_.datas.reserve(m_.datas.size() + reserveFor(n));
    for (uint32_t i = 0; i < n; i++) {
      DataSegment d;
      d.offsetInModule = r_.pos();
      uint32_t flags = r_.u32();
      if (flags > 2) malformed("malformed data segment kind", d.offsetInModule);
      if (flags != 1) {
        d.memory = flags == 2 ? r_.u32() : 0;
        decodeExpr(r_, m_.features, d.offset);
      } else {
        d.mode = SegmentMode::Passive;
      }
      d.size = r_.u32();
      d.start = r_.pos();
      r_.bytes(d.size);
      m_.datas.push_back(std::move(d));
    }
  }

  /**
   * memory.init, data.drop, array.new_data and array.init_data need the data count section. A module with a data section but no
   * count is malformed; without either (what a text module with no data assembles to) the segment
   * index is unknown, which validation reports.
   */
  void usesOfDataWithoutCount(bool sawData) {
    if (m_.dataCount) return;
    for (const FuncBody& b : m_.bodies) {
      if (const Instr* in = firstUseOfData(b.code)) {
        if (sawData) malformed("data count section required", in->offset);
        return;
      }
    }
  }

  Reader r_;
  bool deferred_;
  Module m_;
  uint32_t definedFuncs_ = 0;
};

}  // namespace

Module decodeModule(const uint8_t* bytes, size_t size, Features features, Bodies bodies) {
  if (bodies == Bodies::Decoded) return ModuleDecoder(bytes, size, features, bodies).decode();
  try {
    return ModuleDecoder(bytes, size, features, bodies).decode();
  } catch (const WasmError&) {
    ModuleDecoder(bytes, size, features, Bodies::Decoded).decode();  // which error comes first
    throw;
  }
}

void decodeFunctionBody(const uint8_t* bytes, size_t size, const Module& m, FuncBody& body) {
  Reader r(bytes, size);
  r.headerDone();
  r.seek(body.exprStart);
  decodeExpr(r, m.features, body.code);
  if (r.pos() != body.end) throw WasmError(ErrorKind::Malformed, "section size mismatch", body.start);
  // A data section without a data count section: instructions naming a data segment are malformed.
  if (!m.dataCount && m.hasDataSection)
    if (const Instr* in = firstUseOfData(body.code)) throw WasmError(ErrorKind::Malformed, "data count section required", in->offset);
}

}  // namespace mitey
