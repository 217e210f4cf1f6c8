// Value types as the letters the TypeScript side reads them in: i i32, I i64, f f32, F f64, V v128,
// r funcref, e externref; a function type as "params:results".
#pragma once
#include <string>

#include "module.h"

namespace mitey {

inline char typeLetter(ValType t) {
  switch (t) {
    case ValType::I32: return 'i';
    case ValType::I64: return 'I';
    case ValType::F32: return 'f';
    case ValType::F64: return 'F';
    case ValType::V128: return 'V';
    case ValType::FuncRef: return 'r';
    case ValType::ExternRef: return 'e';
    default: return '?';
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
