// Passive segments for the generator (arbitraries.ts ties them in): the module's passive data and
// element segments, and the statements on them: memory.init and data.drop, table.init and elem.drop.
// Offsets and lengths are mostly small, so most copies land and some run past the segment or the
// memory or table, which traps (as does any copy out of a dropped segment, or an active one).
import fc from 'fast-check';
import type { ElemSegment, Expr } from './ast.js';
import { ExprOf } from './arb-parts.js';
import { slotArb } from './reference-arbitraries.js';

const i32 = (bits: number): Expr => ({ kind: 'const', type: 'i32', bits });
const segment = fc.nat({ max: 3 });

/** an offset or a length within a segment's bytes or items, mostly */
const withinArb = (E: ExprOf, max: number): fc.Arbitrary<Expr> =>
  fc.oneof({ arbitrary: fc.nat({ max }).map(i32), weight: 4 }, { arbitrary: E('i32'), weight: 1 });

/** up to two passive data segments of up to 12 bytes */
export const passiveDataArb: fc.Arbitrary<number[][]> = fc.array(fc.array(fc.nat({ max: 255 }), { maxLength: 12 }), { maxLength: 2 });

/** up to two passive element segments: functions and nulls (funcref), or nulls (externref) */
export const passiveElementsArb: fc.Arbitrary<ElemSegment[]> = fc.array(
  fc.oneof(
    { arbitrary: fc.array(fc.option(fc.nat(), { nil: null, freq: 4 }), { maxLength: 5 }).map((items): ElemSegment => ({ type: 'funcref', items })), weight: 3 },
    { arbitrary: fc.nat({ max: 4 }).map((n): ElemSegment => ({ type: 'externref', items: Array<null>(n).fill(null) })), weight: 1 },
  ),
  { maxLength: 2 },
);

/** one of memory.init, data.drop, table.init and elem.drop; `addr` the memory addresses of the generator */
export function segmentStatementArb(E: ExprOf, addr: fc.Arbitrary<Expr>): fc.Arbitrary<Expr> {
  return fc.oneof(
    {
      arbitrary: fc
        .record({ segment, dest: addr, src: withinArb(E, 14), len: withinArb(E, 14) })
        .map((r): Expr => ({ kind: 'memory.init', type: 'void', ...r })),
      weight: 3,
    },
    { arbitrary: segment.map((s): Expr => ({ kind: 'data.drop', type: 'void', segment: s })), weight: 1 },
    {
      arbitrary: fc
        .record({ segment, table: fc.nat({ max: 3 }), dest: slotArb(E), src: withinArb(E, 6), len: withinArb(E, 6) })
        .map((r): Expr => ({ kind: 'table.init', type: 'void', ...r })),
      weight: 3,
    },
    { arbitrary: segment.map((s): Expr => ({ kind: 'elem.drop', type: 'void', segment: s })), weight: 1 },
  );
}
