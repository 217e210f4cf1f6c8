#include "type_canon.h"

#include <map>
#include <mutex>
#include <string>

namespace mitey {

namespace {

constexpr uint32_t kHeapNoFunc = 0x73, kHeapNoExtern = 0x72, kHeapExn = 0x69, kHeapNoExn = 0x74;

std::mutex gLock;
std::map<std::string, uint32_t> gIds;

uint32_t idOfKey(const std::string& key) {
  std::lock_guard<std::mutex> guard(gLock);
  auto [it, inserted] = gIds.emplace(key, static_cast<uint32_t>(gIds.size()));
  return it->second;
}

/** The key of type `self`: its value types, a reference to another type by that type's canonical id,
 * to itself by a mark (the identity of a recursion group is its shape). */
std::string keyOf(const FuncType& t, uint32_t self, const std::vector<uint32_t>& ids) {
  std::string key;
  auto append = [&](ValType v) {
    if (v.isRef() && (v.heap() & ValType::kConcrete)) {
      uint32_t index = v.heap() & ~ValType::kConcrete;
      key += v.nullable() ? "n" : "r";
      key += index == self ? std::string("self") : "#" + std::to_string(ids[index]);
    } else {
      key += std::to_string(v.bits());
    }
    key.push_back(',');
  };
  for (ValType v : t.params) append(v);
  key.push_back(':');
  for (ValType v : t.results) append(v);
  return key;
}

}  // namespace

std::vector<uint32_t> canonicalTypeIds(const std::vector<FuncType>& types) {
  std::vector<uint32_t> ids;
  ids.reserve(types.size());
  for (uint32_t i = 0; i < types.size(); i++) ids.push_back(idOfKey(keyOf(types[i], i, ids)));
  return ids;
}

uint32_t canonicalTypeId(const FuncType& t) { return idOfKey(keyOf(t, ~0u, {})); }

bool heapSubtype(const std::vector<uint32_t>& typeIds, uint32_t h1, uint32_t h2) {
  if (h1 == h2) return true;
  bool c1 = h1 & ValType::kConcrete, c2 = h2 & ValType::kConcrete;
  if (c1 && c2) return typeIds.empty() ? false : typeIds[h1 & ~ValType::kConcrete] == typeIds[h2 & ~ValType::kConcrete];
  if (h2 == ValType::kHeapFunc) return c1 || h1 == kHeapNoFunc;
  if (c2) return h1 == kHeapNoFunc;
  if (h2 == ValType::kHeapExtern) return h1 == kHeapNoExtern;
  if (h2 == kHeapExn) return h1 == kHeapNoExn;
  return false;
}

bool isSubtype(const std::vector<uint32_t>& typeIds, ValType a, ValType b) {
  if (a == ValType::Bot || a == b) return true;
  if (!a.isRef() || !b.isRef()) return false;
  if (a.nullable() && !b.nullable()) return false;
  return heapSubtype(typeIds, a.heap(), b.heap());
}

}  // namespace mitey
