// Why a module was refused: the spec's category, its message, and where in the bytes.
#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>

namespace mitey {

enum class ErrorKind { Malformed, Invalid, Unsupported };

struct WasmError : std::runtime_error {
  ErrorKind kind;
  size_t offset;
  WasmError(ErrorKind k, std::string message, size_t at) : std::runtime_error(std::move(message)), kind(k), offset(at) {}
};

/**
 * The process ran out of something the JIT needs (address space for a memory or for code, room in
 * the fault handler's tables): never the module's fault, and never "unsupported".
 */
struct ResourceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] inline void malformed(const std::string& message, size_t at) { throw WasmError(ErrorKind::Malformed, message, at); }
[[noreturn]] inline void invalid(const std::string& message, size_t at) { throw WasmError(ErrorKind::Invalid, message, at); }
[[noreturn]] inline void unsupported(const std::string& message, size_t at) { throw WasmError(ErrorKind::Unsupported, message, at); }

}  // namespace mitey
