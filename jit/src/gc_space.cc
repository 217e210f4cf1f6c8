#include "gc_space.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <new>

#include "gc_heap.h"

namespace mitey {

GcObject*& GcSpace::nextFree(GcObject* cell) {
  static_assert(sizeof(GcObject) >= 16, "a free cell keeps its link after the type word");
  return *reinterpret_cast<GcObject**>(reinterpret_cast<uint8_t*>(cell) + 8);
}

namespace {
/** A chunk of its own mapping, aligned to its size (a 2x mapping trimmed): given back whole to the system when freed. */
uint8_t* mapChunk() {
  size_t n = GcSpace::kChunkBytes;
  void* p = mmap(nullptr, 2 * n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  auto start = reinterpret_cast<uintptr_t>(p);
  uintptr_t aligned = (start + n - 1) & ~(uintptr_t{n} - 1);
  if (aligned > start) munmap(p, aligned - start);
  if (aligned + n < start + 2 * n) munmap(reinterpret_cast<void*>(aligned + n), start + 2 * n - (aligned + n));
  return reinterpret_cast<uint8_t*>(aligned);
}
void unmapChunk(uint8_t* base) { munmap(base, GcSpace::kChunkBytes); }
}  // namespace

GcObject* GcSpace::fromNewChunk(size_t c) {
  uint8_t* base = mapChunk();
  if (!base) return nullptr;
  try {
    bump_[c] = &chunks_.try_emplace(reinterpret_cast<uintptr_t>(base), Chunk{base, static_cast<uint32_t>((c + 1) * 16), 1}).first->second;
  } catch (const std::bad_alloc&) {
    unmapChunk(base);
    return nullptr;
  }
  return reinterpret_cast<GcObject*>(base);
}

GcObject* GcSpace::allocate(size_t bytes) {
  GcObject* o = nullptr;
  if (bytes <= kMaxCellBytes) {
    size_t c = classOf(bytes);
    if (GcObject* f = freeLists_[c]) {
      freeLists_[c] = nextFree(f);
      o = f;
    } else if (Chunk* ch = bump_[c]; ch && (ch->used + 1) * size_t{ch->cellBytes} <= kChunkBytes) {
      o = reinterpret_cast<GcObject*>(ch->base + size_t{ch->used++} * ch->cellBytes);
    } else {
      o = fromNewChunk(c);
    }
  } else {
    o = static_cast<GcObject*>(std::aligned_alloc(16, bytes));  // v128 fields and elements
    if (o) {
      try {
        large_.emplace(o, bytes);
      } catch (const std::bad_alloc&) {
        std::free(o);
        o = nullptr;
      }
    }
  }
  if (!o) return nullptr;
  std::memset(static_cast<void*>(o), 0, bytes);
  objects_++;
  return o;
}

GcObject* GcSpace::objectAt(uintptr_t addr) const {
  auto it = chunks_.find(addr & ~(uintptr_t{kChunkBytes} - 1));
  if (it != chunks_.end()) {
    const Chunk& ch = it->second;
    uintptr_t off = addr - reinterpret_cast<uintptr_t>(ch.base);
    if (off % ch.cellBytes != 0 || off / ch.cellBytes >= ch.used) return nullptr;
    auto* o = reinterpret_cast<GcObject*>(addr);
    return o->type ? o : nullptr;  // a free cell's type is null
  }
  auto* o = reinterpret_cast<GcObject*>(addr);
  return large_.count(o) ? o : nullptr;
}

uint64_t GcSpace::sweepChunk(Chunk& ch, GcObject*& freeList) {
  uint64_t live = 0;
  GcObject* list = freeList;
  for (uint32_t i = 0; i < ch.used; i++) {
    auto* o = reinterpret_cast<GcObject*>(ch.base + size_t{i} * ch.cellBytes);
    if (o->type && (o->gcBits & 1)) {
      o->gcBits &= ~1u;
      live++;
      continue;
    }
    if (o->type) {
      o->type = nullptr;
      objects_--;
    }
    nextFree(o) = list;
    list = o;
  }
  if (live) freeList = list;  // an empty chunk goes back whole: its cells stay off the lists
  return live * ch.cellBytes;
}

uint64_t GcSpace::sweep() {
  uint64_t bytes = 0;
  for (GcObject*& f : freeLists_) f = nullptr;
  for (auto it = chunks_.begin(); it != chunks_.end();) {
    Chunk& ch = it->second;
    size_t c = classOf(ch.cellBytes);
    uint64_t live = sweepChunk(ch, freeLists_[c]);
    bytes += live;
    if (live) {
      ++it;
      continue;
    }
    if (bump_[c] == &ch) bump_[c] = nullptr;
    unmapChunk(ch.base);
    it = chunks_.erase(it);
  }
  for (auto it = large_.begin(); it != large_.end();) {
    GcObject* o = it->first;
    if (o->gcBits & 1) {
      o->gcBits &= ~1u;
      bytes += it->second;
      ++it;
    } else {
      std::free(o);
      objects_--;
      it = large_.erase(it);
    }
  }
  return bytes;
}

void GcSpace::freeAll() {
  for (auto& entry : chunks_) unmapChunk(entry.second.base);
  chunks_.clear();
  for (size_t c = 0; c < kClasses; c++) {
    freeLists_[c] = nullptr;
    bump_[c] = nullptr;
  }
  for (auto& [o, size] : large_) std::free(o);
  large_.clear();
  objects_ = 0;
}

}  // namespace mitey
