// Reads the binary format's primitives with the spec's limits: strict LEB128 and UTF-8 names.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include "error.h"

namespace mitey {

/**
 * Reads forward through the whole binary, as the spec's reference decoder does: a section or a
 * function body that claims fewer bytes than its contents is caught afterwards ("section size
 * mismatch"), not by a fence, so the messages for broken modules are the spec's.
 */
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), pos_(0), end_(size) {}

  size_t pos() const { return pos_; }
  size_t end() const { return end_; }
  bool atEnd() const { return pos_ >= end_; }
  size_t remaining() const { return end_ - pos_; }
  const uint8_t* data() const { return data_; }
  void seek(size_t at) { pos_ = at; }
  /** Past the 8-byte header, running out is "unexpected end of section or function". */
  void headerDone() { inHeader_ = false; }

  [[noreturn]] void unexpectedEnd() const {
    malformed(inHeader_ ? "unexpected end" : "unexpected end of section or function", pos_);
  }

  /** A length (of a section, a body, a name, data bytes) that must fit in what remains. */
  uint32_t len32() {
    uint32_t n = u32();
    if (n > remaining()) malformed("length out of bounds", pos_);
    return n;
  }

  uint8_t u8() {
    if (pos_ >= end_) unexpectedEnd();
    return data_[pos_++];
  }
  uint8_t peek() const {
    if (pos_ >= end_) unexpectedEnd();
    return data_[pos_];
  }

  void bytes(size_t n) {
    if (n > end_ - pos_) unexpectedEnd();
    pos_ += n;
  }

  template <typename T>
  T fixed() {
    if (sizeof(T) > end_ - pos_) unexpectedEnd();
    T v;
    std::memcpy(&v, data_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }

  uint32_t u32() { return static_cast<uint32_t>(uleb(32)); }
  uint64_t u64() { return uleb(64); }
  int32_t s32() { return static_cast<int32_t>(sleb(32)); }
  int64_t s64() { return sleb(64); }
  int64_t s33() { return sleb(33); }

  /** A length-prefixed UTF-8 name. */
  std::string name() {
    uint32_t n = len32();
    const uint8_t* s = data_ + pos_;
    if (!validUtf8(s, n)) malformed("malformed UTF-8 encoding", pos_);
    pos_ += n;
    return std::string(reinterpret_cast<const char*>(s), n);
  }

  static bool validUtf8(const uint8_t* s, size_t n) {
    size_t i = 0;
    while (i < n) {
      uint8_t c = s[i];
      if (c < 0x80) { i++; continue; }
      size_t len;
      uint32_t cp;
      if ((c & 0xe0) == 0xc0) { len = 2; cp = c & 0x1f; }
      else if ((c & 0xf0) == 0xe0) { len = 3; cp = c & 0x0f; }
      else if ((c & 0xf8) == 0xf0) { len = 4; cp = c & 0x07; }
      else return false;
      if (i + len > n) return false;
      for (size_t k = 1; k < len; k++) {
        if ((s[i + k] & 0xc0) != 0x80) return false;
        cp = (cp << 6) | (s[i + k] & 0x3f);
      }
      // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
      if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
      if ((cp >= 0xd800 && cp < 0xe000) || cp > 0x10ffff) return false;
      i += len;
    }
    return true;
  }

 private:
  uint64_t uleb(unsigned bits) { return leb(bits, false); }
  int64_t sleb(unsigned bits) { return static_cast<int64_t>(leb(bits, true)); }

  /** LEB128 of at most ceil(bits/7) bytes; the last byte may only carry the bits that remain. */
  uint64_t leb(unsigned bits, bool isSigned) {
    uint64_t result = 0;
    unsigned shift = 0;
    const unsigned maxBytes = (bits + 6) / 7;
    for (unsigned i = 0;; i++) {
      uint8_t b = u8();
      if (i == maxBytes - 1) {
        if (b & 0x80) malformed("integer representation too long", pos_ - 1);
        unsigned used = bits - shift;  // meaningful bits in this byte, 1..7
        if (used < 7 && !unusedBitsClear(b, used, isSigned)) malformed("integer too large", pos_ - 1);
      }
      result |= uint64_t(b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) {
        if (isSigned && shift < 64 && (b & 0x40)) result |= ~uint64_t(0) << shift;  // sign-extend
        return result;
      }
    }
  }

  /** Unsigned: the unused high bits are zero; signed: they all equal the sign bit. */
  static bool unusedBitsClear(uint8_t b, unsigned used, bool isSigned) {
    if (!isSigned) return (b >> used) == 0;
    int8_t value = static_cast<int8_t>(static_cast<uint8_t>(b << 1)) >> 1;  // the 7 bits, sign-extended
    int64_t top = value >> (used - 1);
    return top == 0 || top == -1;
  }

  const uint8_t* data_;
  size_t pos_;
  size_t end_;
  bool inHeader_ = true;
};

}  // namespace mitey
