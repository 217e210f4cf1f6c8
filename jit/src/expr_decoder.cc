// The instruction syntax of the binary format, as the reference decoder reads it.
#include "expr_decoder.h"

#include <algorithm>
#include <string>

#include "opcodes.h"
#include "type_reader.h"

namespace mitey {
namespace {

// Opcodes of later proposals the JIT does not have, refused as unsupported rather than malformed.
const char* laterProposal(uint32_t prefix, uint32_t code) {
  if (prefix == 0) {
    switch (code) {
      case 0x06: case 0x07: case 0x08: case 0x09: case 0x18: case 0x19: case 0x1f: return "exception handling";
      case 0x14: case 0x15: case 0xd4: case 0xd5: case 0xd6: return "typed function references";
      case 0xd3: case 0xfb: return "garbage collection";
    }
    return nullptr;
  }
  return nullptr;
}

enum Block : uint8_t { kBlock, kLoop, kIf, kElse, kTry, kCatch, kCatchAll };

class ExprDecoder {
 public:
  ExprDecoder(Reader& r, Features features, Expr& out) : r_(r), out_(out), features_(features) {}

  void decode() {
    out_.start = r_.pos();
    for (;;) {
      Instr in;
      in.offset = static_cast<uint32_t>(r_.pos());
      uint32_t prefix = 0;
      uint32_t code = r_.u8();
      // 0xFE is a prefix only with threads, 0xFB only with GC: in Wasm 2.0 each is an opcode of its own that is not one.
      if (code == kPrefixFC || code == kPrefixFD || (code == kPrefixFE && features_.has(Feature::Threads)) ||
          (code == kPrefixFB && features_.has(Feature::GC))) {
        prefix = code;
        code = r_.u32();
      }
      const OpInfo& info = opInfo(prefix, code);
      std::optional<Feature> needs = opFeature(prefix, code);
      if (code == 0x15 && prefix == 0 && !features_.has(Feature::TypedFuncRefs)) needs = Feature::TypedFuncRefs;
      if (!info.name || (needs && !features_.has(*needs))) {
        if (const char* proposal = laterProposal(prefix, code)) unsupported(std::string("instruction of a later proposal (") + proposal + ")", in.offset);
        malformed("illegal opcode", in.offset);
      }
      in.op = static_cast<uint16_t>(prefix == 0 ? code : (prefix == kPrefixFC ? kKeyFC : prefix == kPrefixFD ? kKeyFD : prefix == kPrefixFE ? kKeyFE : kKeyFB) + code);
      bool closesSequence = in.op == 0x0b && blocks_.empty();
      immediates(info, in);
      out_.code.push_back(in);
      if (closesSequence) break;
    }
    out_.end = r_.pos();
  }

 private:
  void immediates(const OpInfo& info, Instr& in) {
    switch (info.imm) {
      case Imm::None: return;
      case Imm::I32: in.a = static_cast<uint32_t>(r_.s32()); return;
      case Imm::I64: in.c = static_cast<uint64_t>(r_.s64()); return;
      case Imm::F32: in.c = r_.fixed<uint32_t>(); return;
      case Imm::F64: in.c = r_.fixed<uint64_t>(); return;
      case Imm::V128: case Imm::Shuffle: {
        std::array<uint8_t, 16> v;
        for (auto& b : v) b = r_.u8();
        in.c = out_.v128s.size();
        out_.v128s.push_back(v);
        return;
      }
      case Imm::MemArg: memArg(in); return;
      case Imm::MemArgLane: memArg(in); in.y = r_.u8(); return;
      case Imm::Lane: in.y = r_.u8(); return;
      case Imm::Special: special(in); return;
    }
  }

  /** memarg: the alignment exponent in x, the memory in b, the offset in c. With multi-memory, flag
   * bit 6 says a memory index follows (alignments up to 63 decode; validation limits them); with
   * memory64 the offset is a u64. */
  void memArg(Instr& in) {
    size_t at = r_.pos();
    uint32_t flags = r_.u32();
    bool multi = features_.has(Feature::MultiMemory);
    if (flags >= (multi ? 128u : 32u)) malformed("malformed memop flags", at);
    in.b = 0;
    if (flags & 64) {
      in.b = r_.u32();
      flags -= 64;
    }
    in.x = static_cast<uint8_t>(flags);
    in.c = features_.has(Feature::Memory64) ? r_.u64() : r_.u32();
  }

  void zeroByte() {
    size_t at = r_.pos();
    if (r_.u8() != 0) malformed("zero byte expected", at);
  }

  /** A memory index: a zero byte in Wasm 2.0, any index with multi-memory. */
  uint32_t memIndex() {
    if (features_.has(Feature::MultiMemory)) return r_.u32();
    zeroByte();
    return 0;
  }

  /** ref.null's immediate: a reference type byte in Wasm 2.0, a heap type with typed references. */
  ValType refNullType() {
    if (!features_.has(Feature::TypedFuncRefs)) return readRefType(r_, features_);
    return ValType::ref(readHeapType(r_, features_), true);
  }

  /** try_table: its block type, then its catch clauses (kept in Expr::catches, the index in b). */
  void tryTable(Instr& in) {
    blockType(in);
    blocks_.push_back(kBlock);
    uint32_t n = r_.u32();
    std::vector<CatchClause> clauses;
    clauses.reserve(std::min<size_t>(n, r_.remaining() / 2));  // each takes two bytes or more
    for (uint32_t i = 0; i < n; i++) {
      size_t at = r_.pos();
      CatchClause c;
      c.kind = r_.u8();
      if (c.kind > 3) malformed("malformed catch clause", at);
      if (c.kind < 2) c.tag = r_.u32();
      c.label = r_.u32();
      clauses.push_back(c);
    }
    in.b = static_cast<uint32_t>(out_.catches.size());
    out_.catches.push_back(std::move(clauses));
  }

  void blockType(Instr& in) {
    size_t at = r_.pos();
    uint8_t b = r_.peek();
    if (b == 0x40) {
      r_.u8();
      in.x = 0;
      return;
    }
    if (isValTypeByte(b)) {
      in.x = 1;
      in.c = valTypeOfByte(r_.u8()).bits();
      return;
    }
    if (isLaterRefTypeByte(b)) {
      in.x = 1;
      in.c = readValType(r_, features_).bits();
      return;
    }
    int64_t index = r_.s33();
    if (index < 0) malformed("malformed value type", at);
    in.x = 2;
    in.a = static_cast<uint32_t>(index);
  }

  void special(Instr& in) {
    switch (in.op) {
      case 0x02: case 0x03: case 0x04:
        blockType(in);
        blocks_.push_back(in.op == 0x02 ? kBlock : in.op == 0x03 ? kLoop : kIf);
        return;
      case 0x05:
        // The reference reads `else` only as part of `if`: anywhere else the enclosing block's end is missing.
        if (blocks_.empty() || blocks_.back() != kIf) malformed("END opcode expected", in.offset);
        blocks_.back() = kElse;
        return;
      case 0x0b:
        if (!blocks_.empty()) blocks_.pop_back();
        return;
      // Exception handling: try_table, throw, throw_ref; the legacy try … catch … catch_all … end / delegate, rethrow.
      case 0x1f: tryTable(in); return;
      case 0x08: case 0x09: in.a = r_.u32(); return;  // throw tag, rethrow label
      case 0x06:
        blockType(in);
        blocks_.push_back(kTry);
        return;
      case 0x07: case 0x19:  // catch tag, catch_all: within a try, after its body or another catch
        if (blocks_.empty() || (blocks_.back() != kTry && blocks_.back() != kCatch)) malformed("END opcode expected", in.offset);
        if (in.op == 0x07) in.a = r_.u32();
        blocks_.back() = in.op == 0x07 ? kCatch : kCatchAll;
        return;
      case 0x18:  // delegate label: ends a try without catches
        if (blocks_.empty() || blocks_.back() != kTry) malformed("END opcode expected", in.offset);
        in.a = r_.u32();
        blocks_.pop_back();
        return;
      case 0x0c: case 0x0d: in.a = r_.u32(); return;
      case 0x0e: {
        uint32_t n = r_.u32();
        in.a = n;
        in.b = static_cast<uint32_t>(out_.labels.size());
        for (uint64_t i = 0; i <= n; i++) out_.labels.push_back(r_.u32());  // each costs a byte: bounded by the input
        return;
      }
      case 0x10: case 0x12: case 0x14: case 0x15: in.a = r_.u32(); return;  // call f, return_call f, (return_)call_ref type
      case 0xd5: case 0xd6: in.a = r_.u32(); return;   // br_on_null, br_on_non_null label
      case 0x11: case 0x13: in.a = r_.u32(); in.b = r_.u32(); return;  // type, table
      case 0x1c: {
        uint32_t n = r_.u32();
        in.a = n;
        for (uint32_t i = 0; i < n; i++) {
          ValType t = readValType(r_, features_);
          if (i == 0) in.c = t.bits();
        }
        return;
      }
      case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: in.a = r_.u32(); return;
      case 0x3f: case 0x40: in.a = memIndex(); return;
      case 0xd0: in.c = refNullType().bits(); return;
      case 0xd2: in.a = r_.u32(); return;
      // 0xFC: bulk memory and tables
      case kKeyFC + 8: in.a = r_.u32(); in.b = memIndex(); return;  // memory.init data memory
      case kKeyFC + 9: in.a = r_.u32(); return;                     // data.drop
      case kKeyFC + 10: in.a = memIndex(); in.b = memIndex(); return;  // memory.copy dst src
      case kKeyFC + 11: in.a = memIndex(); return;                  // memory.fill
      case kKeyFC + 12: in.a = r_.u32(); in.b = r_.u32(); return;  // table.init elem table
      case kKeyFC + 13: in.a = r_.u32(); return;             // elem.drop
      case kKeyFC + 14: in.a = r_.u32(); in.b = r_.u32(); return;  // table.copy dst src
      case kKeyFC + 15: case kKeyFC + 16: case kKeyFC + 17: in.a = r_.u32(); return;
      case kKeyFE + 3: zeroByte(); return;  // atomic.fence: a reserved ordering byte
      // 0xFB: GC
      case kKeyFB + 0x00: case kKeyFB + 0x01: case kKeyFB + 0x06: case kKeyFB + 0x07: case kKeyFB + 0x0b: case kKeyFB + 0x0c:
      case kKeyFB + 0x0d: case kKeyFB + 0x0e: case kKeyFB + 0x10:
        in.a = r_.u32();  // the struct or array type
        return;
      case kKeyFB + 0x02: case kKeyFB + 0x03: case kKeyFB + 0x04: case kKeyFB + 0x05: case kKeyFB + 0x08: case kKeyFB + 0x09:
      case kKeyFB + 0x0a: case kKeyFB + 0x11: case kKeyFB + 0x12: case kKeyFB + 0x13:
        in.a = r_.u32();  // the type, then a field, a length, a segment or array.copy's source type
        in.b = r_.u32();
        return;
      case kKeyFB + 0x14: case kKeyFB + 0x15: case kKeyFB + 0x16: case kKeyFB + 0x17:  // ref.test, ref.cast: (ref null? ht)
        in.c = ValType::ref(readHeapType(r_, features_), in.op == kKeyFB + 0x15 || in.op == kKeyFB + 0x17).bits();
        return;
      case kKeyFB + 0x18: case kKeyFB + 0x19: {  // br_on_cast(_fail): flags (bit 0: the first type nullable, bit 1: the second), label, two heap types
        size_t at = r_.pos();
        uint8_t flags = r_.u8();
        if (flags > 3) malformed("malformed cast flags", at);
        in.x = flags;
        in.a = r_.u32();
        uint64_t h1 = readHeapType(r_, features_);
        uint64_t h2 = readHeapType(r_, features_);
        in.c = h1 | h2 << 32;
        return;
      }
      default: return;  // unreachable, nop, return, drop, select, ref.is_null: no immediates
    }
  }

  Reader& r_;
  Expr& out_;
  Features features_;
  std::vector<Block> blocks_;
};

}  // namespace

void decodeExpr(Reader& r, Features features, Expr& out) { ExprDecoder(r, features, out).decode(); }

}  // namespace mitey
