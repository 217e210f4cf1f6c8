// The decoded form of a module: its types and index spaces, with code kept as byte ranges.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "features.h"
#include "instr.h"
#include "val_type.h"

namespace mitey {


struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
};

/** What a defined type describes (GC): a function, a struct, an array. */
enum class Composite : uint8_t { Func, Struct, Array };

/** A struct field's or array element's storage: a value type, or i8 / i16 packed into fewer bytes. */
enum class Packed : uint8_t { None, I8, I16 };

/** A struct field or an array's element. A packed one reads and writes as i32 (`type`). */
struct FieldType {
  ValType type = ValType::I32;
  Packed packed = Packed::None;
  bool mut = false;
  bool operator==(const FieldType&) const = default;
};

constexpr uint32_t kNoSuper = ~0u;

/**
 * A defined type (a sub type of the type section): its composite type (func: `func`; struct: its
 * fields; array: one field, the element), whether it is final, its declared supertype (kNoSuper
 * when none), and the rec group it belongs to: types [recStart, recEnd), which may refer to each
 * other before they are defined.
 */
struct SubType {
  Composite kind = Composite::Func;
  FuncType func;
  std::vector<FieldType> fields;
  bool final = true;
  uint32_t super = kNoSuper;
  uint32_t superCount = 0;  // as declared: validation allows at most one
  uint32_t recStart = 0, recEnd = 0;
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool shared = false;
  bool is64 = false;     // memory64 / table64: 64-bit addresses or indices
  uint8_t pageLog2 = 16; // memories: log2 of the page size (custom page sizes: 0 or 16)
};

/** The value type of a memory's addresses or a table's indices. */
inline ValType addressType(const Limits& l) { return l.is64 ? ValType::I64 : ValType::I32; }

struct TableType {
  ValType elem = ValType::FuncRef;
  Limits limits;
  std::optional<Expr> init;  // typed references: every element's initial value (else null)
};

struct GlobalType {
  ValType type = ValType::I32;
  bool mut = false;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };

/** A constant expression: decoded like any code, checked to be constant by the validator. */
using ConstExpr = Expr;

struct Import {
  std::string module, name;
  ExternKind kind;
  size_t offset = 0;
  uint32_t typeIndex = 0;  // Func, Tag
  TableType table;         // Table
  Limits memory;           // Memory
  GlobalType global;       // Global
};

struct Export {
  std::string name;
  ExternKind kind;
  uint32_t index;
  size_t offset = 0;
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  size_t offsetInModule = 0;
  SegmentMode mode = SegmentMode::Active;
  ValType type = ValType::FuncRef;
  uint32_t table = 0;
  ConstExpr offset;
  std::vector<ConstExpr> inits;  // each yields one reference (function indices become ref.func forms)
  std::vector<uint32_t> funcIndices;  // when given as plain function indices
  size_t funcIndicesOffset = 0;
  bool usesIndices = false;
};

struct DataSegment {
  size_t offsetInModule = 0;
  SegmentMode mode = SegmentMode::Active;
  uint32_t memory = 0;
  ConstExpr offset;
  size_t start = 0, size = 0;
};

/** One run of locals of a type; functions may declare very many, so runs are not expanded. */
struct LocalRun {
  uint32_t count;
  ValType type;
};

struct FuncBody {
  size_t start = 0, end = 0;  // the body's bytes, locals included
  size_t exprStart = 0;       // where its instructions start, after the locals
  std::vector<LocalRun> locals;
  uint64_t localCount = 0;  // declared locals, parameters not included
  Expr code;
};

/** Where each section-level item was read, for the validator's messages. */
struct Offsets {
  std::vector<size_t> types;      // per type of the type section
  std::vector<size_t> funcTypes;  // per defined function, its type index in the function section
  std::vector<size_t> tables, memories, globals, tags;  // per defined item
  size_t start = 0;
};

struct Module {
  Features features;  // what decoding and validation allowed (features.h)
  std::vector<SubType> types;
  std::vector<Import> imports;
  std::vector<uint32_t> funcs;  // type index of every function, imported first
  std::vector<TableType> tables;  // imported first
  std::vector<Limits> memories;   // imported first
  std::vector<GlobalType> globals;  // imported first
  std::vector<uint32_t> tags;       // exception tags: each one's type index, imported first
  uint32_t importedFuncs = 0, importedTables = 0, importedMemories = 0, importedGlobals = 0, importedTags = 0;
  std::vector<Global> globalInits;  // defined globals only
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> dataCount;
  std::vector<FuncBody> bodies;  // defined functions only
  bool bodiesDeferred = false;   // bodies' instructions not decoded yet (decoder.h's Bodies::Deferred)
  bool hasDataSection = false;
  Offsets offsets;
  std::vector<bool> declaredFuncs;  // funcs that ref.func may name (C.refs)
  std::vector<uint32_t> typeIds;    // the canonical id of each type (type_canon.h), set by validation

  /** Type i as a function type: what functions, tags, blocks and calls name (validation checks that it is one). */
  const FuncType& funcType(uint32_t i) const { return types[i].func; }
  bool isFuncType(uint32_t i) const { return i < types.size() && types[i].kind == Composite::Func; }
};

}  // namespace mitey
