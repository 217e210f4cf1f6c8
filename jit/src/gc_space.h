// Where a thread's GC objects live (gc_heap.h): small objects in cells of one size per chunk
// (segregated fits: 16-byte classes up to kMaxCellBytes), the rest allocated one by one. A chunk's
// cells are handed out from a free list, else from its untouched tail; a sweep rebuilds the free
// lists from the cells it finds dead and gives whole free chunks back. Against malloc per object
// (what came first): no allocator call, no header of its own, and a conservative word is checked by
// one lookup of its chunk instead of a search among every object.
#pragma once
#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace mitey {

struct GcObject;

class GcSpace {
 public:
  static constexpr size_t kMaxCellBytes = 512;
  static constexpr size_t kChunkBytes = size_t{256} << 10;

  GcSpace() = default;
  GcSpace(const GcSpace&) = delete;
  GcSpace& operator=(const GcSpace&) = delete;
  ~GcSpace() { freeAll(); }

  /** Zeroed memory for an object of `bytes` (a multiple of 16), 16-byte aligned; null when out of memory. */
  GcObject* allocate(size_t bytes);
  /** The object whose address is exactly `addr`, or null (not one of this space's live objects). */
  GcObject* objectAt(uintptr_t addr) const;
  /** Frees every object without the mark bit (gcBits & 1), clears it on the others, gives free chunks back; the bytes that stay. */
  uint64_t sweep();
  size_t objectCount() const { return objects_; }
  void freeAll();

 private:
  struct Chunk {
    uint8_t* base;
    uint32_t cellBytes;
    uint32_t used;  // cells handed out at least once: [0, used) are objects or free cells
  };
  static constexpr size_t kClasses = kMaxCellBytes / 16;
  static size_t classOf(size_t bytes) { return bytes / 16 - 1; }
  /** A free cell: type null, the next free cell in the word after it. */
  static GcObject*& nextFree(GcObject* cell);
  GcObject* fromNewChunk(size_t c);
  /** Sweeps one chunk, its free cells onto `freeList` unless none lives; the bytes that stay. */
  uint64_t sweepChunk(Chunk& ch, GcObject*& freeList);

  std::unordered_map<uintptr_t, Chunk> chunks_;  // by base: a conservative word's chunk is its address rounded down (entries never move)
  GcObject* freeLists_[kClasses] = {};
  Chunk* bump_[kClasses] = {};  // the chunk with an untouched tail, per class
  std::unordered_map<GcObject*, size_t> large_;  // objects above kMaxCellBytes, with their sizes
  size_t objects_ = 0;
};

}  // namespace mitey
