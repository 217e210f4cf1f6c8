// Value types as the letters the TypeScript side reads them in: i i32, I i64, f f32, F f64, V v128,
// r a function reference (funcref, typed), e an extern reference, x an exception reference, a a
// reference of the any hierarchy (GC: any, eq, i31, structs, arrays, none); a function type as
// "params:results". Types are canonical (type_canon.h).
#pragma once
#include <string>

#include "module.h"
#include "type_canon.h"

namespace mitey {

inline char typeLetter(ValType t) {
  if (isExnRef(t)) return 'x';
  if (isFuncRef(t)) return 'r';
  if (isAnyRef(t)) return 'a';
  if (t.isRef()) return 'e';
  switch (t) {
    case ValType::I32: return 'i';
    case ValType::I64: return 'I';
    case ValType::F32: return 'f';
    case ValType::F64: return 'F';
    case ValType::V128: return 'V';
    default: return '?';
  }
}

/** The value type a letter names, for the types JS can name (numbers, v128, funcref, externref): false for another letter. */
inline bool letterType(char c, ValType& out) {
  switch (c) {
    case 'i': out = ValType::I32; return true;
    case 'I': out = ValType::I64; return true;
    case 'f': out = ValType::F32; return true;
    case 'F': out = ValType::F64; return true;
    case 'V': out = ValType::V128; return true;
    case 'r': out = ValType::FuncRef; return true;
    case 'e': out = ValType::ExternRef; return true;
    case 'a': out = ValType::ref(heap::Any, true); return true;
    default: return false;
  }
}

inline std::string signature(const FuncType& t) {
  std::string s;
  for (ValType v : t.params) s.push_back(typeLetter(v));
  s.push_back(':');
  for (ValType v : t.results) s.push_back(typeLetter(v));
  return s;
}

}  // namespace mitey
