// Multi-memory and memory64 for the generator (arbitraries.ts asks for them with those features): the
// module's further memories (some with i64 addresses), a memory index on every memory instruction,
// i64 addresses near the bounds and past 4 GiB, addresses at the very end of the memory an access
// reaches (mem.end: where a bounds check off by one shows), offsets past 4 GiB that must trap, and
// memory.size, grow, fill, copy (between memories) and init per memory index.
import fc from 'fast-check';
import type { AddrType, Expr, Memory } from './ast.js';
import { ExprOf, offsetArb, Weighted } from './arb-parts.js';

/** a raw memory index, reduced by the encoder modulo the memories; 0 (memory 0) a third of the time or more */
export const memoryIndexArb = fc.oneof({ arbitrary: fc.constant(0), weight: 1 }, { arbitrary: fc.nat({ max: 2 }), weight: 2 });

const i64 = (bits: bigint): Expr => ({ kind: 'const', type: 'i64', bits });
const i32 = (bits: number): Expr => ({ kind: 'const', type: 'i32', bits });

/** i64 addresses: in the first pages, at 4 GiB and past it (where the low 32 bits alone would be in bounds), and at the top */
const I64_ADDRESSES = [
  0n, 8n, 100n, 65528n, 65535n, 65536n, 131064n, 0xffffffffn, 0x100000000n, 0x100000008n, 0x100000100n, 0x1_0000_fff0n,
  0x7fffffff_fffffff8n, -8n, -1n,
];

/** an access's address near the end of its memory: ending exactly on the last byte most often, a byte or so short or past it */
export const memEndArb = (t: AddrType): fc.Arbitrary<Expr> =>
  fc
    .oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 3 }, { arbitrary: fc.integer({ min: -64, max: 65536 }), weight: 1 })
    .map((delta): Expr => ({ kind: 'mem.end', type: t, delta }));

/**
 * The addresses of memory instructions with multi-memory or memory64: the Wasm 2.0 ones (`addr`),
 * i64 ones, and the end of the accessed memory; the encoder brings each to the memory's address type.
 */
export function addressArb(E: ExprOf, addr: fc.Arbitrary<Expr>): fc.Arbitrary<Expr> {
  return fc.oneof(
    { arbitrary: addr, weight: 5 },
    { arbitrary: fc.constantFrom(...I64_ADDRESSES).map(i64), weight: 2 },
    { arbitrary: fc.nat({ max: 70000 }).map((n) => i64(BigInt(n))), weight: 1 },
    { arbitrary: memEndArb('i32'), weight: 1 },
    { arbitrary: memEndArb('i64'), weight: 2 },
    { arbitrary: E('i64'), weight: 1 },
  );
}

/** offsets: the Wasm 2.0 ones, and past 4 GiB (memory64 only: the encoder reduces them modulo 2^32 on other memories) */
export const offset64Arb = fc.oneof(
  { arbitrary: offsetArb, weight: 6 },
  { arbitrary: fc.constantFrom(2 ** 32, 2 ** 32 + 8, 2 ** 32 + 65536, 2 ** 40, 2 ** 53 - 8), weight: 1 },
);

/** a length or count of either integer type */
const lengthArb = (E: ExprOf): fc.Arbitrary<Expr> =>
  fc.oneof(
    { arbitrary: fc.nat({ max: 300 }).map(i32), weight: 3 },
    { arbitrary: fc.nat({ max: 300 }).map((n) => i64(BigInt(n))), weight: 2 },
    { arbitrary: fc.constantFrom(0x100000000n, -1n).map(i64), weight: 1 },
    { arbitrary: E('i32'), weight: 1 },
  );

/** memory.size and memory.grow of any memory, as i32 or i64 */
export function memoryValueOptions(E: ExprOf, t: AddrType): Weighted[] {
  const delta = fc.oneof({ arbitrary: fc.nat({ max: 3 }).map(i32), weight: 3 }, { arbitrary: fc.nat({ max: 3 }).map((n) => i64(BigInt(n))), weight: 2 }, { arbitrary: E(t), weight: 1 });
  return [
    { arbitrary: memoryIndexArb.map((memory): Expr => ({ kind: 'memory.size', type: t, memory })), weight: 1 },
    { arbitrary: fc.record({ memory: memoryIndexArb, delta }).map((r): Expr => ({ kind: 'memory.grow', type: t, ...r })), weight: 1 },
  ];
}

/** memory.fill, memory.copy (between any two memories) and memory.init on any memory */
export function memoryStatementOptions(E: ExprOf, address: fc.Arbitrary<Expr>): Weighted[] {
  const len = lengthArb(E);
  const within = fc.oneof({ arbitrary: fc.nat({ max: 14 }).map(i32), weight: 4 }, { arbitrary: E('i32'), weight: 1 });
  return [
    { arbitrary: fc.record({ memory: memoryIndexArb, dest: address, value: E('i32'), len }).map((r): Expr => ({ kind: 'memory.fill', type: 'void', ...r })), weight: 1 },
    {
      arbitrary: fc
        .record({ destMemory: memoryIndexArb, srcMemory: memoryIndexArb, dest: address, src: address, len })
        .map((r): Expr => ({ kind: 'memory.copy', type: 'void', ...r })),
      weight: 2,
    },
    {
      arbitrary: fc
        .record({ memory: memoryIndexArb, segment: fc.nat({ max: 4 }), dest: address, src: within, len: within })
        .map((r): Expr => ({ kind: 'memory.init', type: 'void', ...r })),
      weight: 1,
    },
  ];
}

/**
 * a memory: 0 to 2 pages, growable by up to 2 (with a maximum: how far one without grows is the engine's
 * choice), i64 addresses with memory64, shared (three times in four) with threads
 */
export function memoryArb(memory64: boolean, threads = false): fc.Arbitrary<Memory> {
  return fc
    .record({
      min: fc.oneof({ arbitrary: fc.constant(1), weight: 4 }, { arbitrary: fc.constant(2), weight: 1 }, { arbitrary: fc.constant(0), weight: 1 }),
      extra: fc.nat({ max: 2 }),
      i64: memory64 ? fc.boolean() : fc.constant(false),
      shared: threads ? fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }) : fc.constant(false),
    })
    .map((r): Memory => ({ min: r.min, max: r.min + r.extra, ...(r.i64 ? { i64: true } : {}), ...(r.shared ? { shared: true } : {}) }));
}
