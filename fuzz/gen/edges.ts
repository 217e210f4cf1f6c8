// Edge values of every scalar type and lane width, as bits: where instructions part ways (signed and
// unsigned bounds, shift widths, ±0, ±inf, NaNs with payloads, float bounds of integer conversions).

export const I8_EDGES = [0, 1, -1, 2, -2, 0x7f, -0x80, 0x40, 0x0f, 0x10, 0x55];
export const I16_EDGES = [0, 1, -1, 2, 0x7fff, -0x8000, 0xff, 0x80, -0x80, 0x100, 0x4000, -0x4000, 0x7f, -0x7fff];
export const I32_EDGES = [0, 1, -1, 2, -0x80000000, 0x7fffffff, 31, 32, 63, 64, 0x80, 0xff, 0xffff, 0x10000, -2, 0x7f, 0x8000];
export const I64_EDGES = [0n, 1n, -1n, 2n, -(2n ** 63n), 2n ** 63n - 1n, 63n, 64n, 0xffffffffn, 0x80000000n, -(2n ** 31n), 2n ** 32n];
export const F32_EDGES = [
  0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00001, 0x7fc12345,
  0xff812345, 0x7f7fffff, 0xff7fffff, 0x00000001, 0x80000001, 0x00800000, 0x4f000000, 0xcf000000, 0x5f000000,
  0xdf000000, 0x3f000000, 0x4f800000, 0x5f800000, 0xbf7fffff, 0x3fc00000, 0x40200000, 0xbf400000, 0x3effffff,
];
export const F64_EDGES = [
  0n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n,
  0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff4000000000001n, 0x7ff8000000012345n, 0xfff0000000012345n,
  0x7fefffffffffffffn, 0xffefffffffffffffn, 1n, 0x8000000000000001n, 0x0010000000000000n, 0x41e0000000000000n,
  0xc1e0000000000000n, 0x43e0000000000000n, 0xc3e0000000000000n, 0x41f0000000000000n, 0x43f0000000000000n,
  0x3fe0000000000000n, 0xbfefffffffffffffn, 0x3ff8000000000000n, 0x4004000000000000n, 0xbfe8000000000000n,
];

export const f32Bits = (x: number): number => new Uint32Array(new Float32Array([x]).buffer)[0];
export const f64Bits = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0];
