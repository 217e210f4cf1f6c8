// Tier 1's abstract operand stack: for every value on wasm's operand stack at this point of the
// function, its type and where it is — written to its frame slot, a constant not yet written, a
// copy of a local not yet made, or held in a register (Liftoff's CacheState, Wizard's abstract
// stack). Target-independent: registers are named by role. Heights are frame units of 8 bytes (a
// v128 takes two); a value's slot is at its height.
#pragma once
#include <cstdint>
#include <vector>

#include "val_type.h"

namespace mitey {

/** Where a value is now. */
enum class Loc : uint8_t { Slot, Const, Local, Reg };

/**
 * The register roles a value may be held in: Acc (an integer, or loaded bits), FpAcc (a float in the
 * low bits of FpReg::Acc), V128 (all of FpReg::Acc), Cache0.. and FpCache0.. (Reg::Cache0..,
 * FpReg::Cache0..: a value moved out of Acc or FpReg::Acc so that it can take the next one, instead
 * of being written to its slot).
 */
enum class InReg : uint8_t { None, Acc, FpAcc, V128, Cache0, FpCache0 = Cache0 + 8 };

/** An integer cache register (Reg::Cache0 + index), or a float one (FpReg::Cache0 + index). */
inline bool isCache(InReg r) { return r >= InReg::Cache0 && r < InReg::FpCache0; }
inline bool isFpCache(InReg r) { return r >= InReg::FpCache0; }
inline InReg cacheAt(int k) { return static_cast<InReg>(static_cast<int>(InReg::Cache0) + k); }
inline InReg fpCacheAt(int k) { return static_cast<InReg>(static_cast<int>(InReg::FpCache0) + k); }
inline int cacheIndex(InReg r) { return static_cast<int>(r) - static_cast<int>(isFpCache(r) ? InReg::FpCache0 : InReg::Cache0); }

struct StackValue {
  ValType type;
  uint32_t unit = 0;        // its slot's height
  Loc loc = Loc::Slot;
  InReg reg = InReg::None;  // Loc::Reg: which register
  uint32_t local = 0;       // Loc::Local: the local it is a copy of
  uint64_t bits = 0;        // Loc::Const: the constant
};

class ValueStack {
 public:
  size_t size() const { return values_.size(); }
  /** The height in units: where the next value's slot goes. */
  uint32_t height() const { return height_; }
  /** The greatest height so far: the frame's operand area. */
  uint32_t maxHeight() const { return maxHeight_; }

  StackValue& operator[](size_t i) { return values_[i]; }
  const StackValue& operator[](size_t i) const { return values_[i]; }
  StackValue& top(size_t k = 0) { return values_[values_.size() - 1 - k]; }

  /** A value of type t at the top, written to its slot unless its location is set after. */
  StackValue& push(ValType t) {
    StackValue& v = values_.emplace_back();
    v.type = t;
    v.unit = height_;
    height_ += frameUnits(t);
    if (height_ > maxHeight_) maxHeight_ = height_;
    if (t.isRef()) refs_++;
    return v;
  }

  /** Empty, as new (its memory kept). */
  void clear() {
    values_.clear();
    height_ = maxHeight_ = 0;
    firstUnwritten_ = refs_ = 0;
  }

  /** Keeps the n lowest values. */
  void truncate(size_t n) {
    while (values_.size() > n) pop();
  }
  void pop(size_t n) { truncate(values_.size() - n); }

  /** Drops the values whose slots are at height h or above. */
  void dropFrom(uint32_t h) {
    while (!values_.empty() && values_.back().unit >= h) pop();
  }

  /** The value whose slot starts at height h, or null. */
  StackValue* at(uint32_t h) {
    for (size_t i = values_.size(); i-- > 0 && values_[i].unit >= h;)
      if (values_[i].unit == h) return &values_[i];
    return nullptr;
  }

  /** A constant, not yet written to its slot. */
  void pushConst(ValType t, uint64_t bits) {
    StackValue& v = unwritten(push(t), Loc::Const);
    v.bits = bits;
  }
  /** A copy of local i, not yet made. */
  void pushLocal(ValType t, uint32_t i) { unwritten(push(t), Loc::Local).local = i; }
  /** A value held in register r (no other value may be held there). */
  void pushReg(ValType t, InReg r) { unwritten(push(t), Loc::Reg).reg = r; }

  /** The index from which values may not be in their slots: all below it are. */
  size_t firstUnwritten() const { return firstUnwritten_ < values_.size() ? firstUnwritten_ : values_.size(); }
  /** Every value is in its slot. */
  void allWritten() { firstUnwritten_ = values_.size(); }

  /** The value held in register r, or null (FpAcc and V128 are the same register). */
  StackValue* holder(InReg r) {
    auto same = [r](InReg x) { return x == r || ((x == InReg::FpAcc || x == InReg::V128) && (r == InReg::FpAcc || r == InReg::V128)); };
    for (size_t i = values_.size(); i-- > firstUnwritten();)
      if (values_[i].loc == Loc::Reg && same(values_[i].reg)) return &values_[i];
    return nullptr;
  }

  /** Whether any value on the stack is a reference. */
  bool hasRefs() const { return refs_ != 0; }

 private:
  StackValue& unwritten(StackValue& v, Loc loc) {
    v.loc = loc;
    size_t i = values_.size() - 1;
    if (i < firstUnwritten_) firstUnwritten_ = i;
    return v;
  }

  void pop() {
    if (values_.back().type.isRef()) refs_--;
    height_ = values_.back().unit;
    values_.pop_back();
  }

  std::vector<StackValue> values_;
  uint32_t height_ = 0, maxHeight_ = 0;
  size_t firstUnwritten_ = 0;
  size_t refs_ = 0;
};

}  // namespace mitey
