// The x86-64 macro-assembler's larger operations: prologue, jump tables, memory access forms and
// the v128 operations that are one SSE instruction.
#include "../macro_assembler.h"

#include "../instance.h"

namespace mitey::x64 {
namespace {

/** A v128 binary operation that is one SSE (up to SSE4.1) instruction: emitted inline, no handler. */
struct SimdInline {
  uint8_t code;    // after the 0xFD prefix
  uint8_t prefix;  // 0x66 or 0 (packed single)
  bool esc38;      // 0F 38 opcode map
  uint8_t op;
  bool swap;       // the instruction computes op(b, a): andnot (pandn), lt_s (pcmpgt), pmin/pmax
};

// Exact wasm semantics in one instruction each (float NaNs: x86 returns an input NaN quieted, which
// is an arithmetic NaN as the spec allows; pmin/pmax are minps/maxps with the operands swapped).
constexpr SimdInline kSimdInline[] = {
    {0x23, 0x66, false, 0x74, false}, {0x25, 0x66, false, 0x64, true},  {0x27, 0x66, false, 0x64, false},  // i8x16 eq lt_s gt_s
    {0x2d, 0x66, false, 0x75, false}, {0x2f, 0x66, false, 0x65, true},  {0x31, 0x66, false, 0x65, false},  // i16x8
    {0x37, 0x66, false, 0x76, false}, {0x39, 0x66, false, 0x66, true},  {0x3b, 0x66, false, 0x66, false},  // i32x4
    {0xd6, 0x66, true, 0x29, false},                                                                       // i64x2.eq
    {0x4e, 0x66, false, 0xdb, false}, {0x4f, 0x66, false, 0xdf, true},                                      // and andnot
    {0x50, 0x66, false, 0xeb, false}, {0x51, 0x66, false, 0xef, false},                                     // or xor
    {0x6e, 0x66, false, 0xfc, false}, {0x6f, 0x66, false, 0xec, false}, {0x70, 0x66, false, 0xdc, false},  // i8x16 add, sat
    {0x71, 0x66, false, 0xf8, false}, {0x72, 0x66, false, 0xe8, false}, {0x73, 0x66, false, 0xd8, false},  // i8x16 sub, sat
    {0x76, 0x66, true, 0x38, false},  {0x77, 0x66, false, 0xda, false}, {0x78, 0x66, true, 0x3c, false},   // i8x16 min max
    {0x79, 0x66, false, 0xde, false}, {0x7b, 0x66, false, 0xe0, false},                                     // max_u avgr_u
    {0x8e, 0x66, false, 0xfd, false}, {0x8f, 0x66, false, 0xed, false}, {0x90, 0x66, false, 0xdd, false},  // i16x8 add, sat
    {0x91, 0x66, false, 0xf9, false}, {0x92, 0x66, false, 0xe9, false}, {0x93, 0x66, false, 0xd9, false},  // i16x8 sub, sat
    {0x95, 0x66, false, 0xd5, false}, {0x96, 0x66, false, 0xea, false}, {0x97, 0x66, true, 0x3a, false},   // mul min_s min_u
    {0x98, 0x66, false, 0xee, false}, {0x99, 0x66, true, 0x3e, false},  {0x9b, 0x66, false, 0xe3, false},  // max_s max_u avgr_u
    {0xae, 0x66, false, 0xfe, false}, {0xb1, 0x66, false, 0xfa, false}, {0xb5, 0x66, true, 0x40, false},   // i32x4 add sub mul
    {0xb6, 0x66, true, 0x39, false},  {0xb7, 0x66, true, 0x3b, false},  {0xb8, 0x66, true, 0x3d, false},   // min_s min_u max_s
    {0xb9, 0x66, true, 0x3f, false},  {0xba, 0x66, false, 0xf5, false},                                     // max_u dot_i16x8_s
    {0xce, 0x66, false, 0xd4, false}, {0xd1, 0x66, false, 0xfb, false},                                     // i64x2 add sub
    {0xe4, 0, false, 0x58, false},    {0xe5, 0, false, 0x5c, false},    {0xe6, 0, false, 0x59, false},     // f32x4 add sub mul
    {0xe7, 0, false, 0x5e, false},    {0xea, 0, false, 0x5d, true},     {0xeb, 0, false, 0x5f, true},      // div pmin pmax
    {0xf0, 0x66, false, 0x58, false}, {0xf1, 0x66, false, 0x5c, false}, {0xf2, 0x66, false, 0x59, false},  // f64x2 add sub mul
    {0xf3, 0x66, false, 0x5e, false}, {0xf6, 0x66, false, 0x5d, true},  {0xf7, 0x66, false, 0x5f, true},   // div pmin pmax
};

const SimdInline* simdInline(uint32_t code) {
  for (const SimdInline& s : kSimdInline)
    if (s.code == code) return &s;
  return nullptr;
}

// Loads of wasm memory into a 64-bit register, zero- or sign-extended as the instruction says.
constexpr MemOp kLoad8U{false, 0, {0x0f, 0xb6}, 2};    // movzx r32, byte
constexpr MemOp kLoad8S32{false, 0, {0x0f, 0xbe}, 2};  // movsx r32, byte
constexpr MemOp kLoad8S64{true, 0, {0x0f, 0xbe}, 2};   // movsx r64, byte
constexpr MemOp kLoad16U{false, 0, {0x0f, 0xb7}, 2};
constexpr MemOp kLoad16S32{false, 0, {0x0f, 0xbf}, 2};
constexpr MemOp kLoad16S64{true, 0, {0x0f, 0xbf}, 2};
constexpr MemOp kLoad32{false, 0, {0x8b, 0}, 1};       // mov r32 (zero-extends)
constexpr MemOp kLoad32S64{true, 0, {0x63, 0}, 1};     // movsxd r64
constexpr MemOp kLoad64{true, 0, {0x8b, 0}, 1};
constexpr MemOp kStore8{false, 0, {0x88, 0}, 1};
constexpr MemOp kStore16{false, 0x66, {0x89, 0}, 1};
constexpr MemOp kStore32{false, 0, {0x89, 0}, 1};
constexpr MemOp kStore64{true, 0, {0x89, 0}, 1};
// v128 through xmm registers: movdqu (no alignment needed).
constexpr MemOp kLoadV128{false, 0xf3, {0x0f, 0x6f}, 2};
constexpr MemOp kStoreV128{false, 0xf3, {0x0f, 0x7f}, 2};
constexpr MemOp kLoadXmm64{false, 0xf3, {0x0f, 0x7e}, 2};  // movq xmm, m64 (upper half zeroed)
constexpr MemOp kLoadXmm32{false, 0x66, {0x0f, 0x6e}, 2};  // movd xmm, m32 (upper lanes zeroed)
constexpr MemOp kStoreXmm64{false, 0x66, {0x0f, 0xd6}, 2};  // movq m64, xmm
constexpr MemOp kStoreXmm32{false, 0x66, {0x0f, 0x7e}, 2};  // movd m32, xmm

// In the order of MemKind.
constexpr const MemOp* kMemOps[] = {&kLoad8U,  &kLoad8S32, &kLoad8S64, &kLoad16U, &kLoad16S32, &kLoad16S64, &kLoad32,    &kLoad32S64, &kLoad64,
                                    &kStore8,  &kStore16,  &kStore32,  &kStore64, &kLoadV128,  &kStoreV128, &kLoadXmm64, &kLoadXmm32,
                                    &kStoreXmm64, &kStoreXmm32};
static_assert(std::size(kMemOps) == static_cast<size_t>(MemKind::StoreFp32) + 1);

}  // namespace

const MemOp& MacroAssembler::memOp(MemKind k) { return *kMemOps[static_cast<int>(k)]; }

size_t MacroAssembler::prologue(Label& exhausted) {
  a_.push(RBX);
  a_.push(R12);
  a_.push(R13);  // three pushes: rsp is 16-byte aligned for the handlers we call
  a_.movRR(RBX, RDI);  // Instance = Arg0
  a_.movRR(R12, RSI);  // Frame = Arg1
  a_.load64(R13, RBX, kOffMemBase);
  // Native stack: a clean trap long before the thread's stack ends.
  a_.aluMem(Alu::Cmp, RSP, RBX, kOffStackLimit, true);  // cmp rsp, [instance.stackLimit]
  branchCC(kB, exhausted);
  // Value stack: the whole frame must fit.
  a_.leaDisp32(RCX, R12, 0);  // rcx = frame end; the size is patched in when known
  size_t frameSizePatch = a_.pos() - 4;
  a_.aluMem(Alu::Cmp, RCX, RBX, kOffValueStackLimit, true);  // cmp rcx, [instance.valueStackLimit]
  branchCC(kA, exhausted);
  return frameSizePatch;
}

JumpTable MacroAssembler::jumpTable(Reg index, uint32_t n) {
  Gp r = gp(index);
  a_.aluImm(Alu::Cmp, r, static_cast<int32_t>(n), false);
  JumpTable t;
  t.n = n;
  t.defaultPatch = a_.jccRel(kAE);
  size_t tableRel = a_.leaRip(RCX);
  a_.loadTableEntry();  // movsxd rax, dword [rcx + rax*4]
  a_.alu(Alu::Add, RAX, RCX, true);
  a_.jmpReg(RAX);
  t.table = a_.pos();
  a_.patch(tableRel, t.table);
  for (uint32_t i = 0; i < n; i++) a_.u32(0);
  return t;
}

bool MacroAssembler::hasV128Inline(uint32_t code) { return simdInline(code) != nullptr; }

bool MacroAssembler::v128InlineSwapped(uint32_t code) { return simdInline(code)->swap; }

void MacroAssembler::v128Inline(uint32_t code) {
  const SimdInline* si = simdInline(code);
  a_.sseRR(si->prefix, si->esc38, si->op, 0, 1);  // xmm0 = xmm0 op xmm1
}

}  // namespace mitey::x64
