#include "type_validation.h"

#include <string>
#include <vector>

#include "error.h"
#include "type_canon.h"

namespace mitey {
namespace {

class TypeValidator {
 public:
  explicit TypeValidator(Module& m) : m_(m) {}

  void validate() {
    m_.typeIds.clear();
    m_.typeIds.reserve(m_.types.size());
    depths_.assign(m_.types.size(), 0);
    for (uint32_t start = 0; start < m_.types.size(); start = m_.types[start].recEnd) {
      uint32_t end = m_.types[start].recEnd;
      // A group's types may name each other (and earlier ones), a supertype only before it.
      for (uint32_t i = start; i < end; i++) {
        const SubType& t = m_.types[i];
        forEachValue(t, [&](ValType v) { known(v, end, i); });
        if (t.superCount > 1) invalid("multiple supertypes", at(i));
        if (t.super == kNoSuper) continue;
        if (t.super >= i) invalid("unknown type " + std::to_string(t.super), at(i));
        depths_[i] = depths_[t.super] + 1;
        if (depths_[i] > kMaxSubtypingDepth) invalid("subtyping depth is greater than " + std::to_string(kMaxSubtypingDepth), at(i));
      }
      canonicalizeRecGroup(m_.types, start, m_.typeIds);
      for (uint32_t i = start; i < end; i++) supertype(i);
    }
  }

 private:
  size_t at(uint32_t i) const { return i < m_.offsets.types.size() ? m_.offsets.types[i] : 0; }

  template <class F>
  static void forEachValue(const SubType& t, F f) {
    for (ValType v : t.func.params) f(v);
    for (ValType v : t.func.results) f(v);
    for (const FieldType& field : t.fields) f(field.type);
  }

  void known(ValType v, uint32_t end, uint32_t i) const {
    if (v.isRef() && (v.heap() & ValType::kConcrete) && (v.heap() & ~ValType::kConcrete) >= end)
      invalid("unknown type " + std::to_string(v.heap() & ~ValType::kConcrete), at(i));
  }

  /** A declared supertype: not final, of the same kind, and matched (width and depth, by mutability). */
  void supertype(uint32_t i) const {
    const SubType& t = m_.types[i];
    if (t.super == kNoSuper) return;
    const SubType& s = m_.types[t.super];
    if (s.final || s.kind != t.kind || !matches(t, s)) invalid("sub type " + std::to_string(i) + " does not match super type " + std::to_string(t.super), at(i));
  }

  bool sub(ValType a, ValType b) const { return isSubtype(m_.typeIds, a, b); }

  bool matches(const SubType& t, const SubType& s) const {
    switch (t.kind) {
      case Composite::Func: {  // parameters contravariant, results covariant
        const FuncType &a = t.func, &b = s.func;
        if (a.params.size() != b.params.size() || a.results.size() != b.results.size()) return false;
        for (size_t k = 0; k < a.params.size(); k++)
          if (!sub(b.params[k], a.params[k])) return false;
        for (size_t k = 0; k < a.results.size(); k++)
          if (!sub(a.results[k], b.results[k])) return false;
        return true;
      }
      case Composite::Struct:  // a prefix of fields, each matching
        if (t.fields.size() < s.fields.size()) return false;
        for (size_t k = 0; k < s.fields.size(); k++)
          if (!fieldMatches(t.fields[k], s.fields[k])) return false;
        return true;
      case Composite::Array: return fieldMatches(t.fields[0], s.fields[0]);
    }
    return false;
  }

  /** Immutable fields are covariant; mutable ones, read and written, invariant. */
  bool fieldMatches(const FieldType& a, const FieldType& b) const {
    if (a.mut != b.mut || a.packed != b.packed) return false;
    if (a.packed != Packed::None) return true;
    return sub(a.type, b.type) && (!a.mut || sub(b.type, a.type));
  }

  Module& m_;
  std::vector<uint32_t> depths_;  // per type, how many supertypes are above it
};

}  // namespace

void validateTypes(Module& m) { TypeValidator(m).validate(); }

}  // namespace mitey
