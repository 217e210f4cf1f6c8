// Runtime objects: compiled modules, instances, and the functions, globals, tables and memories
// they own or share. JIT code reads an Instance through the fixed fields at its start.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "gc_roots.h"
#include "linear_memory.h"
#include "type_canon.h"
#include "module.h"
#include "object_id.h"
#include "thread_state.h"

namespace mitey {

/** Machine code entry of every function, JIT or host: ctx and frame (arguments, then
 * results) in the C calling convention's first two argument registers. */
using EntryFn = void (*)(void* ctx, Slot* frame);

struct Instance;

/** A function value: what a funcref holds and call_indirect calls. */
struct FuncInstance {
  EntryFn code;
  void* ctx;          // the Instance for wasm functions, the HostFunction for imported JS functions
  uint32_t typeId;    // canonical: equal types, equal ids, across modules
  uint32_t returnsByJump = 0;  // 1: code is the host stub, called without the return predictor (stack_switch.h)
  const FuncType* type;  // canonical (type_canon.h): concrete references by canonical id
  Instance* instance;  // the owner, for wasm functions; null for host functions
  // ---- C++ only, after the fields JIT code reads ----
  uint64_t id = nextObjectId();
  uint32_t index = 0;  // in its instance's function space (wasm functions): the JS API's name
  std::shared_ptr<void> jsFunction;  // a weak reference to its Exported Function, once JS has seen it
};

/**
 * What a table or global that holds funcrefs keeps alive: the instances owning the functions stored
 * in it, as long as it lives, so that no stored reference outlives its function.
 */
struct FuncOwners {
  Instance* home = nullptr;  // the instance that made the holder (whoever holds it holds the home too)
  std::unordered_set<Instance*> retained;
  std::vector<std::shared_ptr<Instance>> keepAlive;

  /** Keeps the owner of a stored function alive (never the home: no cycle). */
  void retain(Instance* owner);
};

/** A global's storage, shared by reference between the instances that import and export it. */
struct GlobalCell {
  Slot value[2] = {0, 0};  // 16 bytes: room for a v128
  GlobalType type;
  FuncOwners owners;  // of the functions a funcref global has held
  uint64_t id = nextObjectId();
  // A global of the any or extern hierarchy keeps its object alive (gc_roots.h).
  GcRootLink gcRoots{this, [](const void* o, GcWordVisitor& v) {
    const auto* g = static_cast<const GlobalCell*>(o);
    if (isGcWordType(g->type.type)) v.references(g->value, 1);
  }};
};

struct Table {
  ValType elem;
  std::optional<uint64_t> max;
  bool is64 = false;        // table64: indices are i64
  std::vector<Slot> elems;  // FuncInstance* for funcref, host value ids for externref; 0 is null
  FuncOwners owners;        // of the functions stored here
  uint64_t id = nextObjectId();
  // Its elements keep their objects alive (gc_roots.h).
  GcRootLink gcRoots{this, [](const void* o, GcWordVisitor& v) {
    const auto* t = static_cast<const Table*>(o);
    if (isGcWordType(t->elem)) v.references(t->elems.data(), t->elems.size());
  }};
};

/** How many 8-byte frame units values of these types take: two for a v128, one for anything else. */
inline size_t frameUnits(const std::vector<ValType>& types) {
  size_t n = 0;
  for (ValType t : types) n += frameUnits(t);
  return n;
}


/**
 * Where the collector finds references in a frame (frame_walk.h): at each call's return address (an
 * offset in the module's code, ascending), the frame slots (8-byte units from the frame's base) that
 * hold a reference of the any or extern hierarchy — such parameters and locals, and such values on
 * the operand stack below the call's arguments (a call writes every operand to its slot first; an
 * allocation's own operands too: they become the new object's contents). funcref and exnref slots
 * are not listed: the collector does not trace them. `operandUnit` is where the call's arguments
 * start (the handler's operand pointer, or the callee's frame), so that the frame's base can be
 * found from that pointer.
 */
struct StackMap {
  uint32_t returnOffset;
  uint32_t first;  // into StackMaps::slots
  uint32_t count;
  uint32_t operandUnit;
};
struct StackMaps {
  std::vector<StackMap> maps;
  std::vector<uint32_t> slots;
  /** The map at a return offset, or null (no reference slot is live across that call). */
  const StackMap* at(uint32_t returnOffset) const;
};

/** A decoded, validated and compiled module; instances share it. */
struct CompiledModule {
  Module module;
  std::vector<uint8_t> bytes;   // the data segments' contents (DataSegment::start is relative to it)
  uint8_t* code = nullptr;      // executable, read-only
  size_t codeSize = 0;          // the mapping's size (whole pages)
  size_t codeBytes = 0;         // the machine code in it, padding included
  std::vector<uint32_t> funcOffsets;  // entry of each defined function in `code`
  StackMaps stackMaps;                // the reference slots of each frame at each call
  std::vector<uint32_t> typeIds;      // canonical id of each type index
  std::vector<FuncType> funcTypes;    // each type index's function type with canonical references (FuncInstance::type)
  std::vector<Expr> sideTables;  // bodies' v128 immediates and try_table clauses, which the code holds the addresses of
  ~CompiledModule();
};

struct Instance {
  // ---- read by JIT code at fixed offsets: keep first, in this order ----
  uint8_t* memBase = nullptr;
  GlobalCell** globals = nullptr;
  FuncInstance** funcs = nullptr;
  // The stack limits of the thread that made the instance (the only one that can reach it: JS
  // values never cross threads); every function's prologue checks them.
  uintptr_t stackLimit = 0;
  uintptr_t valueStackLimit = 0;
  LinearMemory::View** memViews = nullptr;  // every memory's base and size, by index
  struct HandlerRecord** handlerHead = nullptr;  // &ThreadState::handlers of its thread (exceptions.h)

  // ---- the rest is C++ only ----
  const ThreadState* thread = nullptr;
  std::shared_ptr<CompiledModule> module;
  std::vector<std::shared_ptr<LinearMemory>> memories;  // imported first
  std::vector<LinearMemory::View*> memViewPtrs;
  std::vector<std::shared_ptr<GlobalCell>> globalCells;
  std::vector<GlobalCell*> globalPtrs;
  std::vector<FuncInstance*> funcPtrs;
  std::vector<std::unique_ptr<FuncInstance>> ownFuncs;
  std::vector<std::shared_ptr<Table>> tables;
  std::vector<std::shared_ptr<struct TagInstance>> tags;  // imported first
  std::vector<std::vector<Slot>> elemValues;  // each element segment's references; emptied when dropped
  std::vector<bool> droppedDatas;
  std::vector<std::shared_ptr<void>> keepAlive;  // imported instances, host functions
  std::weak_ptr<Instance> self;
  // Set by the harness's release(): its Exported Functions refuse calls from JS from then on (they
  // still hold it, as the JS API says, so it is freed once they go too).
  bool released = false;
  // Its element segments keep their objects alive (gc_roots.h); its globals and tables are links of their own.
  GcRootLink gcRoots{this, [](const void* o, GcWordVisitor& v) { static_cast<const Instance*>(o)->visitSegmentRoots(v); }};
  void visitSegmentRoots(GcWordVisitor& v) const;
};

inline void FuncOwners::retain(Instance* owner) {
  if (!owner || owner == home || !retained.insert(owner).second) return;
  if (auto sp = owner->self.lock()) keepAlive.push_back(std::move(sp));
}

constexpr int32_t kOffMemBase = 0;
constexpr int32_t kOffGlobals = 8;
constexpr int32_t kOffFuncs = 16;
constexpr int32_t kOffStackLimit = 24;
constexpr int32_t kOffValueStackLimit = 32;
constexpr int32_t kOffMemViews = 40;
constexpr int32_t kOffHandlerHead = 48;

}  // namespace mitey
