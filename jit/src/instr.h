// A decoded instruction: opcode and immediates, with the byte offset it came from. The decoder
// produces these once; the validator and (later) the code generator walk them.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mitey {

/** Opcode keys: single-byte opcodes as is, 0xFC-prefixed at 0x100 + code, 0xFD-prefixed at 0x200 + code
 * (SIMD's codes reach 0x113), 0xFE-prefixed (threads) at 0x400 + code, 0xFB-prefixed (GC) at 0x500 + code. */
constexpr uint16_t kKeyFC = 0x100;
constexpr uint16_t kKeyFD = 0x200;
constexpr uint16_t kKeyFE = 0x400;
constexpr uint16_t kKeyFB = 0x500;

struct Instr {
  uint16_t op = 0;
  uint8_t x = 0;       // memarg alignment exponent; block type kind (0 empty, 1 value type, 2 type index); br_on_cast's flags
  uint8_t y = 0;       // lane index
  uint32_t a = 0;      // index (memory.size/grow/fill/copy: the memory; GC: the struct or array type), label depth, i32 constant,
                       // br_table target count, select t arity
  uint32_t b = 0;      // second index (call_indirect table, table.copy src, table.init table, memarg and memory.init memory,
                       // memory.copy src), br_table first target; GC: a field, a data or elem segment, array.copy's source
                       // type, array.new_fixed's length
  uint32_t offset = 0; // byte offset of the opcode in the module
  uint64_t c = 0;      // i64/f32/f64 constant bits; memarg offset; v128/shuffle constant index; a value type's bits
                       // (ValType::bits: ref.null, select t, a one-type block, ref.test, ref.cast); br_on_cast's two
                       // heap types (the first in the low half)
};

/** A catch clause of try_table: catch, catch_ref, catch_all, catch_all_ref, with its tag and label. */
struct CatchClause {
  uint8_t kind;  // 0 catch, 1 catch_ref, 2 catch_all, 3 catch_all_ref
  uint32_t tag = 0;
  uint32_t label = 0;
};

/** An instruction sequence up to and including its final `end`, with its side tables. */
struct Expr {
  std::vector<Instr> code;
  std::vector<uint32_t> labels;                // br_table targets, default last
  std::vector<std::array<uint8_t, 16>> v128s;  // v128.const and i8x16.shuffle immediates
  std::vector<std::vector<CatchClause>> catches;  // each try_table's clauses (its Instr::b)
  size_t start = 0, end = 0;                   // byte range
};

}  // namespace mitey
