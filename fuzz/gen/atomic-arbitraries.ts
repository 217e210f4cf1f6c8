// Threads for the generator (arbitraries.ts asks for them with the threads feature): every atomic
// load, store, read-modify-write and cmpxchg, on a shared memory or not (both valid), at addresses
// mostly aligned and in the data segment's bytes, sometimes misaligned (the alignment trap), near the
// end of the memory or past it (the bounds trap); memory.atomic.notify (no waiter: 0), wait32 and
// wait64 in the two forms that never block (ast.ts), and atomic.fence. V8 14 lets the fuzz worker's
// main thread and its worker threads wait, as the JIT does, so wait is generated in both forms.
import fc from 'fast-check';
import type { Expr } from './ast.js';
import { ExprOf, Weighted } from './arb-parts.js';
import { memoryIndexArb } from './memory-arbitraries.js';
import { ATOMIC_OPS, OpInfo } from './opcodes.js';

const i32 = (bits: number): Expr => ({ kind: 'const', type: 'i32', bits });

/** aligned addresses in the first 256 bytes most often; any small one (mostly misaligned); the end of the memory, on it or a few bytes off */
const alignedAddr = fc.nat({ max: 31 }).map((k) => i32(8 * k));
export function atomicAddressArb(E: ExprOf): fc.Arbitrary<Expr> {
  return fc.oneof(
    { arbitrary: alignedAddr, weight: 6 },
    { arbitrary: fc.nat({ max: 300 }).map(i32), weight: 2 },
    { arbitrary: fc.constantFrom(0, -8, -4, -2, -1, 1, 3, 8).map((delta): Expr => ({ kind: 'mem.end', type: 'i32', delta })), weight: 2 },
    { arbitrary: fc.nat({ max: 70000 }).map(i32), weight: 1 },
    { arbitrary: E('i32'), weight: 1 },
  );
}

/** offsets: aligned ones most often, misaligned and past the first page sometimes */
const offsetArb = fc.oneof({ arbitrary: fc.constantFrom(0, 4, 8, 16, 64), weight: 6 }, { arbitrary: fc.constantFrom(1, 2, 3, 6, 65532, 65536), weight: 1 });

const OPS = ATOMIC_OPS.filter((op) => op.code >= 0x10);
const isStore = (op: OpInfo) => op.result === null;
const isCmpxchg = (op: OpInfo) => op.code >= 0x48;

/** The plain load of the width and type of an atomic one (what a cmpxchg's expected value reads), by opcode key. */
function plainLoad(op: OpInfo): number {
  const i64 = op.result === 'i64';
  return ({ 1: i64 ? 0x31 : 0x2d, 2: i64 ? 0x33 : 0x2f, 4: i64 ? 0x35 : 0x28, 8: 0x29 } as Record<number, number>)[op.natural];
}

function atomicArb(E: ExprOf, ops: OpInfo[], addr: fc.Arbitrary<Expr>): fc.Arbitrary<Expr> {
  return fc.constantFrom(...ops).chain((op) =>
    fc
      .record({ offset: offsetArb, addr, args: fc.tuple(...op.params.slice(1).map((p) => E(p))), memory: memoryIndexArb })
      .map((r): Expr => ({ kind: 'atomic', type: op.result ?? 'void', op: op.code, ...r })),
  );
}

/** a cmpxchg whose expected value is what is at its (constant, aligned) address: the exchange happens */
function cmpxchgHitArb(E: ExprOf, ops: OpInfo[]): fc.Arbitrary<Expr> {
  return fc.constantFrom(...ops).chain((op) =>
    fc.record({ offset: offsetArb, addr: alignedAddr, value: E(op.params[2]), memory: memoryIndexArb }).map(
      (r): Expr => ({
        kind: 'atomic',
        type: op.result!,
        op: op.code,
        offset: r.offset,
        addr: r.addr,
        memory: r.memory,
        args: [{ kind: 'load', type: op.result!, op: plainLoad(op), align: 0, offset: r.offset, addr: r.addr, memory: r.memory }, r.value],
      }),
    ),
  );
}

/** atomic loads, read-modify-writes and cmpxchg of result t; notify and wait (i32) */
export function atomicValueOptions(E: ExprOf, t: 'i32' | 'i64'): Weighted[] {
  const addr = atomicAddressArb(E);
  const ops = OPS.filter((op) => op.result === t);
  const out: Weighted[] = [
    { arbitrary: atomicArb(E, ops, addr), weight: 10 },
    { arbitrary: cmpxchgHitArb(E, ops.filter(isCmpxchg)), weight: 2 },
  ];
  if (t === 'i32') {
    out.push(
      {
        arbitrary: fc.record({ offset: offsetArb, addr, count: fc.oneof(fc.nat({ max: 3 }).map(i32), E('i32')), memory: memoryIndexArb }).map((r): Expr => ({ kind: 'atomic.notify', type: 'i32', ...r })),
        weight: 1,
      },
      {
        arbitrary: fc
          .boolean()
          .chain((wide) => fc.record({ wide: fc.constant(wide), notEqual: fc.boolean(), offset: offsetArb, addr, expected: E(wide ? 'i64' : 'i32'), memory: memoryIndexArb }))
          .map((r): Expr => ({ kind: 'atomic.wait', type: 'i32', ...r })),
        weight: 1,
      },
    );
  }
  return out;
}

/** atomic stores and atomic.fence */
export function atomicStatementOptions(E: ExprOf): Weighted[] {
  return [
    { arbitrary: atomicArb(E, OPS.filter(isStore), atomicAddressArb(E)), weight: 3 },
    { arbitrary: fc.constant<Expr>({ kind: 'atomic.fence', type: 'void' }), weight: 1 },
  ];
}
