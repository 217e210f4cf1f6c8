// Linking and instantiation in the spec's order of effects, and calls into wasm from C++.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "exceptions.h"
#include "instance.h"
#include "trap.h"

namespace mitey {

/** An export as a handle: what JS holds to import it elsewhere. Keeps its owner alive. */
struct ExternHandle {
  ExternKind kind;
  std::shared_ptr<void> owner;  // the exporting instance or the host function
  FuncInstance* func = nullptr;
  std::shared_ptr<GlobalCell> global;
  std::shared_ptr<Table> table;
  std::shared_ptr<LinearMemory> memory;
  std::shared_ptr<TagInstance> tag;
};

/** The module cannot be linked with these imports: nothing happened. */
struct LinkError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/** A trap while instantiating; the instance's earlier effects (on imported objects) remain. */
struct InstantiationTrap : std::runtime_error {
  Trap trap;
  explicit InstantiationTrap(Trap t) : std::runtime_error(trapMessage(t)), trap(t) {}
};

/** Each import resolved to a handle, or null when nothing was provided. */
std::shared_ptr<Instance> instantiate(const std::shared_ptr<CompiledModule>& cm, const std::vector<const ExternHandle*>& imports);

/** The export `name` of an instance as a handle, or null. */
std::unique_ptr<ExternHandle> exportHandle(const std::shared_ptr<Instance>& in, const std::string& name);

/**
 * Runs f from C++ as a new activation: 0 when it returned, else the trap + 1. The callee's frame
 * (arguments in, results out) is on the wasm value stack, whose top this returns in `frame`.
 */
Slot* valueStackTop();
int callWasm(const FuncInstance* f, Slot* frame);
/** The same, with this thread's state in hand. */
int callWasm(ThreadState& ts, const FuncInstance* f, Slot* frame);

/** Where a host call's frame ends, so that a re-entry into wasm starts its frames above it. */
void setValueStackTop(Slot* top);

}  // namespace mitey
