#include "type_canon.h"

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include "error.h"

namespace mitey {

namespace {

// The canonical types, in chunks that never move: ids index them without the lock (an id reaches
// another thread only through what published it, after its entry was written).
constexpr uint32_t kChunkBits = 12, kChunkSize = 1u << kChunkBits, kMaxChunks = 1u << 14;
std::atomic<CanonicalType*> gChunks[kMaxChunks];

std::mutex gLock;                         // guards what follows, and the writing of entries
std::map<std::string, uint32_t> gGroups;  // a group's key: its first id (its members' ids follow)
uint32_t gCount = 0;

/** A new entry (under gLock). Chunks live as long as the process, as the ids do. */
CanonicalType& newEntry(uint32_t id) {
  std::atomic<CanonicalType*>& chunk = gChunks[id >> kChunkBits];
  if (!chunk.load(std::memory_order_relaxed)) chunk.store(new CanonicalType[kChunkSize], std::memory_order_release);
  return chunk.load(std::memory_order_relaxed)[id & (kChunkSize - 1)];
}

/** Writes a group's key and canonical form: references inside it by position, outside by canonical id. */
class GroupKey {
 public:
  GroupKey(const std::vector<SubType>& types, uint32_t start, const std::vector<uint32_t>& ids)
      : types_(types), start_(start), end_(types[start].recEnd), ids_(ids) {}

  std::string key() {
    std::string k;
    for (uint32_t i = start_; i < end_; i++) {
      const SubType& t = types_[i];
      k += "FSA"[static_cast<int>(t.kind)];
      k += t.final ? 'f' : 'o';
      if (t.super != kNoSuper) {
        k += '<';
        index(k, t.super);
      }
      k += '(';
      for (ValType v : t.func.params) value(k, v);
      k += ':';
      for (ValType v : t.func.results) value(k, v);
      for (const FieldType& f : t.fields) {
        k += f.mut ? 'm' : 'c';
        if (f.packed != Packed::None) k += f.packed == Packed::I8 ? "i8," : "i16,";
        else value(k, f.type);
      }
      k += ')';
    }
    return k;
  }

  /** A reference of the group as the canonical types have it, the group's first id being `first`. */
  uint32_t canonicalIndex(uint32_t i, uint32_t first) const { return inGroup(i) ? first + (i - start_) : ids_[i]; }

  ValType canonicalValue(ValType v, uint32_t first) const {
    if (!v.isRef() || !(v.heap() & ValType::kConcrete)) return v;
    return ValType::ref(ValType::kConcrete | canonicalIndex(v.heap() & ~ValType::kConcrete, first), v.nullable());
  }

 private:
  bool inGroup(uint32_t i) const { return i >= start_ && i < end_; }

  void index(std::string& k, uint32_t i) const {
    k += inGroup(i) ? "r" + std::to_string(i - start_) : "#" + std::to_string(ids_[i]);
  }

  void value(std::string& k, ValType v) const {
    if (v.isRef() && (v.heap() & ValType::kConcrete)) {
      k += v.nullable() ? 'n' : 'x';
      index(k, v.heap() & ~ValType::kConcrete);
    } else {
      k += std::to_string(v.bits());
    }
    k += ',';
  }

  const std::vector<SubType>& types_;
  uint32_t start_, end_;
  const std::vector<uint32_t>& ids_;
};

/** Fields naturally aligned in their order (what the runtime's struct objects will hold). */
void layout(CanonicalType& c) {
  if (c.type.kind == Composite::Array) c.elementSize = storageSize(c.type.fields[0]);
  if (c.type.kind != Composite::Struct) return;
  uint32_t at = 0;
  for (const FieldType& f : c.type.fields) {
    uint32_t size = storageSize(f);
    at = (at + size - 1) & ~(size - 1);
    c.fieldOffsets.push_back(at);
    at += size;
  }
  c.fieldsSize = (at + 7) & ~7u;
}

}  // namespace

uint32_t storageSize(const FieldType& f) {
  if (f.packed != Packed::None) return f.packed == Packed::I8 ? 1 : 2;
  switch (f.type.kind()) {
    case ValType::Kind::I32: case ValType::Kind::F32: return 4;
    case ValType::Kind::V128: return 16;
    default: return 8;  // i64, f64, references
  }
}

void canonicalizeRecGroup(const std::vector<SubType>& types, uint32_t start, std::vector<uint32_t>& ids) {
  GroupKey g(types, start, ids);
  uint32_t size = types[start].recEnd - start;
  std::string key = g.key();
  std::lock_guard<std::mutex> guard(gLock);
  auto found = gGroups.find(key);
  if (found == gGroups.end()) {
    uint32_t first = gCount;
    if (static_cast<uint64_t>(first) + size > static_cast<uint64_t>(kChunkSize) * kMaxChunks) throw ResourceError("too many distinct types");
    for (uint32_t k = 0; k < size; k++) {
      const SubType& t = types[start + k];
      CanonicalType& c = newEntry(first + k);
      c.type = t;
      for (ValType& v : c.type.func.params) v = g.canonicalValue(v, first);
      for (ValType& v : c.type.func.results) v = g.canonicalValue(v, first);
      for (FieldType& f : c.type.fields) f.type = g.canonicalValue(f.type, first);
      c.type.recStart = first;
      c.type.recEnd = first + size;
      if (t.super != kNoSuper) {
        c.type.super = g.canonicalIndex(t.super, first);  // before t: an earlier group's, or made above
        c.supers = canonicalType(c.type.super).supers;
        c.depth = static_cast<uint32_t>(c.supers.size());
      }
      c.supers.push_back(first + k);
      layout(c);
    }
    gCount += size;
    found = gGroups.emplace(std::move(key), first).first;
  }
  for (uint32_t k = 0; k < size; k++) ids.push_back(found->second + k);
}

uint32_t canonicalTypeId(const FuncType& t) {
  std::vector<SubType> one(1);
  one[0].func = t;
  one[0].recEnd = 1;
  std::vector<uint32_t> ids;
  canonicalizeRecGroup(one, 0, ids);
  return ids[0];
}

const CanonicalType& canonicalType(uint32_t id) {
  return gChunks[id >> kChunkBits].load(std::memory_order_acquire)[id & (kChunkSize - 1)];
}

bool canonicalSubtype(uint32_t a, uint32_t b) {
  if (a == b) return true;
  const CanonicalType& ta = canonicalType(a);
  uint32_t d = canonicalType(b).depth;
  return d < ta.depth && ta.supers[d] == b;
}

uint32_t topHeap(const std::vector<uint32_t>& typeIds, uint32_t h) {
  if (h & ValType::kConcrete) {
    uint32_t i = h & ~ValType::kConcrete;
    return canonicalType(typeIds.empty() ? i : typeIds[i]).type.kind == Composite::Func ? heap::Func : heap::Any;
  }
  switch (h) {
    case heap::Func: case heap::NoFunc: return heap::Func;
    case heap::Extern: case heap::NoExtern: return heap::Extern;
    case heap::Exn: case heap::NoExn: return heap::Exn;
    default: return heap::Any;
  }
}

bool heapSubtype(const std::vector<uint32_t>& typeIds, uint32_t h1, uint32_t h2) {
  bool c1 = h1 & ValType::kConcrete, c2 = h2 & ValType::kConcrete;
  auto id = [&](uint32_t h) {
    uint32_t i = h & ~ValType::kConcrete;
    return typeIds.empty() ? i : typeIds[i];
  };
  if (c1 && c2) return canonicalSubtype(id(h1), id(h2));
  if (h1 == h2) return true;
  if (topHeap(typeIds, h1) != topHeap(typeIds, h2)) return false;
  if (h1 == heap::None || h1 == heap::NoFunc || h1 == heap::NoExtern || h1 == heap::NoExn) return true;  // a bottom
  switch (h2) {
    case heap::Any: case heap::Func: case heap::Extern: case heap::Exn: return true;  // a top
    case heap::Eq: return h1 == heap::I31 || h1 == heap::Struct || h1 == heap::Array || c1;  // concrete: struct or array (same top)
    case heap::Struct: return c1 && canonicalType(id(h1)).type.kind == Composite::Struct;
    case heap::Array: return c1 && canonicalType(id(h1)).type.kind == Composite::Array;
    default: return false;  // i31, a bottom, a concrete type: only themselves (and bottoms) below
  }
}

bool isSubtype(const std::vector<uint32_t>& typeIds, ValType a, ValType b) {
  if (a == ValType::Bot || a == b) return true;
  if (!a.isRef() || !b.isRef()) return false;
  if (a.nullable() && !b.nullable()) return false;
  return heapSubtype(typeIds, a.heap(), b.heap());
}

}  // namespace mitey
