// Handlers for the instructions that need the instance: memory size and bulk operations, tables,
// segments, function references, indirect calls. Called from JIT code with the instance and the
// first operand's slot as the first two arguments; immediates follow as the third and fourth.
#pragma once
#include <cstdint>

#include "exceptions.h"
#include "instance.h"

namespace mitey::rt {

void memorySize(Instance* in, Slot* s, uint32_t memory);
void memoryGrow(Instance* in, Slot* s, uint32_t memory);
void memoryFill(Instance* in, Slot* s, uint32_t memory);
void memoryCopy(Instance* in, Slot* s, uint32_t dst, uint32_t src);
void memoryInit(Instance* in, Slot* s, uint32_t data, uint32_t memory);
void dataDrop(Instance* in, Slot* s, uint32_t data);
void tableGet(Instance* in, Slot* s, uint32_t table);
void tableSet(Instance* in, Slot* s, uint32_t table);
/** Stores a reference into a global, keeping a function's instance alive as long as the global. */
void storeGlobalRef(GlobalCell& g, Slot v);
/** global.set of a funcref global: a call, so that the stored function's instance is retained. */
void globalSetRef(Instance* in, Slot* s, uint32_t global);
void tableSize(Instance* in, Slot* s, uint32_t table);
void tableGrow(Instance* in, Slot* s, uint32_t table);
void tableFill(Instance* in, Slot* s, uint32_t table);
void tableCopy(Instance* in, Slot* s, uint32_t dst, uint32_t src);
void tableInit(Instance* in, Slot* s, uint32_t elem, uint32_t table);
void elemDrop(Instance* in, Slot* s, uint32_t elem);
void refFunc(Instance* in, Slot* s, uint32_t func);
/** The function call_indirect calls, or a trap (undefined/uninitialized element, type mismatch); the
 * index an i32 (resolveIndirect) or, on a table64 table, an i64 (resolveIndirect64): chosen when compiling. */
FuncInstance* resolveIndirect(Instance* in, Slot* s, uint32_t table, uint32_t typeId);
FuncInstance* resolveIndirect64(Instance* in, Slot* s, uint32_t table, uint32_t typeId);
[[noreturn]] void trap(uint32_t kind);

// Exception handling (exceptions.h).
/** throw: an exception of the tag with the payload at s. */
[[noreturn]] void throwTag(Instance* in, Slot* s, uint32_t tag);
/** throw_ref: the exception at s[0], or a trap for null. */
[[noreturn]] void throwRef(Instance* in, Slot* s);
/** rethrow, and a landing pad that no clause matched: the same exception, further out. */
[[noreturn]] void rethrow(Exception* e);
/** A try_table's landing pad: the first clause that takes the exception (its payload, and the exception
 * for the _ref forms, written at s), or -1. */
int64_t catchClause(Instance* in, Slot* s, Exception* e, const std::vector<CatchClause>* clauses);
/** A legacy catch: 1 when the exception has the tag (its payload written at s), else 0. */
int64_t catchTag(Instance* in, Slot* s, Exception* e, uint32_t tag);

/** Writes n bytes of a segment into memory at d, or traps before writing anything. */
void initMemory(Instance* in, uint32_t memory, uint64_t d, const uint8_t* src, uint64_t srcSize, uint64_t s, uint64_t n);
/** Writes n references of an element segment into a table at d, or traps before writing anything. */
void initTable(Instance* in, Table& t, uint64_t d, uint32_t elem, uint64_t s, uint64_t n);

}  // namespace mitey::rt
