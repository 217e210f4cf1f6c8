#include "code_registry.h"

#include <map>
#include <shared_mutex>

#include "instance.h"

namespace mitey {

namespace {

std::shared_mutex& registryLock() {
  static std::shared_mutex m;
  return m;
}

/** By code start; ranges never overlap (each is a mapping of its own). */
std::map<uintptr_t, const CompiledModule*>& registry() {
  static auto* r = new std::map<uintptr_t, const CompiledModule*>();  // never destroyed: modules may outlive static destructors
  return *r;
}

}  // namespace

void registerModuleCode(const CompiledModule& cm) {
  std::unique_lock lock(registryLock());
  registry()[reinterpret_cast<uintptr_t>(cm.code)] = &cm;
}

void unregisterModuleCode(const CompiledModule& cm) {
  std::unique_lock lock(registryLock());
  registry().erase(reinterpret_cast<uintptr_t>(cm.code));
}

CodeRegistryReader::CodeRegistryReader() { registryLock().lock_shared(); }
CodeRegistryReader::~CodeRegistryReader() { registryLock().unlock_shared(); }

const CompiledModule* CodeRegistryReader::moduleAt(uintptr_t pc) const {
  const auto& r = registry();
  auto it = r.upper_bound(pc);
  if (it == r.begin()) return nullptr;
  --it;
  const CompiledModule* cm = it->second;
  return pc < it->first + cm->codeSize ? cm : nullptr;
}

}  // namespace mitey
