// Control instructions for the generator (arbitraries.ts ties them in): blocks, loops and ifs, with
// one result or none, or multi-value (parameters taken from the stack, several results: a type-index
// block type); branches carrying no value, one or several; return with its values; calls. The
// multi-value blocks (one choice among block, loop and if, with at most one statement per body: they
// have more operands than the others) and return weigh less than the rest: a fraction of the code.
import fc from 'fast-check';
import type { Body, Expr, ResultType, StackType, ValType } from './ast.js';
import { ExprOf, Weighted } from './arb-parts.js';

const depth = fc.nat({ max: 7 });
/** table 0 mostly: the one the active element segment fills, so most indirect calls find a function */
const callTable = fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.nat({ max: 3 }), weight: 1 });

/** the types a multi-value block's label takes, `t` first for a value node; the first `params` of them are its parameters */
interface Shape {
  params: StackType[];
  results: StackType[];
}

export interface ControlParts {
  E: ExprOf;
  /** the statements of a body */
  stmts: fc.Arbitrary<Expr[]>;
  /** the statements of a multi-value body: fewer */
  fewStmts: fc.Arbitrary<Expr[]>;
  /** the value types multi-value blocks carry besides `t` */
  valType: fc.Arbitrary<ValType>;
}

/** at least two values, or a parameter: `t` first (any types for void), then one or two of any value type, split into params and results */
function shapeArb(t: ResultType, valType: fc.Arbitrary<ValType>): fc.Arbitrary<Shape> {
  const types: fc.Arbitrary<StackType[]> =
    t === 'void' ? fc.array(valType, { minLength: 2, maxLength: 3 }) : fc.array(valType, { minLength: 1, maxLength: 2 }).map((rest): StackType[] => [t, ...rest]);
  return fc.record({ types, split: fc.nat({ max: 3 }) }).map(({ types, split }) => ({
    params: types.slice(0, Math.min(split, types.length)),
    results: types.slice(Math.min(split, types.length)),
  }));
}

/** the values of branches and returns: none, one, or several of any types (the encoder matches them to the target) */
function carriedArb(E: ExprOf): fc.Arbitrary<Expr[]> {
  return fc.oneof(
    { arbitrary: fc.constant<Expr[]>([]), weight: 3 },
    { arbitrary: E('any').map((v) => [v]), weight: 2 },
    { arbitrary: fc.array(E('any'), { minLength: 2, maxLength: 3 }), weight: 1 },
  );
}

/** block, loop and if of one result of type t, or none */
export function singleValueBlocks({ E, stmts }: ControlParts, t: ResultType): fc.Arbitrary<Expr>[] {
  const results: fc.Arbitrary<Expr[]> = t === 'void' ? fc.constant([]) : E(t).map((r) => [r]);
  const bodyOf: fc.Arbitrary<Body> = fc.record({ body: stmts, results });
  return [
    bodyOf.map((b): Expr => ({ kind: 'block', type: t, params: [], body: b.body, results: b.results })),
    bodyOf.map((b): Expr => ({ kind: 'loop', type: t, params: [], body: b.body, results: b.results })),
    fc.record({ cond: E('i32'), then: bodyOf, else: bodyOf }).map((r): Expr => ({ kind: 'if', type: t, params: [], ...r })),
  ];
}

/** the single-value blocks, branches and calls producing `t`, each weighing `weight`; the multi-value blocks together, and return, weighing 1 */
export function controlOptions(parts: ControlParts, t: ResultType, weight: number): Weighted[] {
  const { E, fewStmts: stmts } = parts;
  const carried = carriedArb(E);
  const brIfValues: fc.Arbitrary<Expr[]> =
    t === 'void'
      ? carried
      : fc.oneof(
          { arbitrary: E(t).map((v) => [v]), weight: 3 },
          { arbitrary: fc.tuple(E(t), fc.array(E('any'), { minLength: 1, maxLength: 2 })).map(([v, more]) => [v, ...more]), weight: 1 },
        );
  const shaped = shapeArb(t, parts.valType);
  const exprs = (types: StackType[]): fc.Arbitrary<Expr[]> => fc.tuple(...types.map((p) => E(p)));
  const multi = (kind: 'block' | 'loop'): fc.Arbitrary<Expr> =>
    shaped.chain((s) =>
      fc.record({ params: exprs(s.params), body: stmts, results: exprs(s.results) }).map((r) => ({ kind, type: t, ...r }) as Expr),
    );
  const multiIf = shaped.chain((s) =>
    fc
      .record({
        params: exprs(s.params),
        cond: E('i32'),
        then: fc.record({ body: stmts, results: exprs(s.results) }),
        else: fc.record({ body: stmts, results: exprs(s.results) }),
      })
      .map((r): Expr => ({ kind: 'if', type: t, ...r })),
  );
  const single = [
    ...singleValueBlocks(parts, t),
    fc.record({ depth, values: carried }).map((r): Expr => ({ kind: 'br', type: t, ...r })),
    fc.record({ depth, values: brIfValues, cond: E('i32') }).map((r): Expr => ({ kind: 'br_if', type: t, ...r })),
    fc
      .record({ depths: fc.array(depth, { maxLength: 4 }), default: depth, values: carried, index: E('i32') })
      .map((r): Expr => ({ kind: 'br_table', type: t, ...r })),
    fc.record({ func: fc.nat(), args: fc.array(E('any'), { maxLength: 4 }) }).map((r): Expr => ({ kind: 'call', type: t, ...r })),
    fc
      .record({ typeIndex: fc.nat(), table: fc.nat({ max: 3 }), args: fc.array(E('any'), { maxLength: 4 }), index: E('i32') })
      .map((r): Expr => ({ kind: 'call_indirect', type: t, ...r })),
  ];
  return [
    ...single.map((arbitrary) => ({ arbitrary, weight })),
    { arbitrary: fc.oneof(multi('block'), multi('loop'), multiIf), weight: 1 },
    { arbitrary: carried.map((values): Expr => ({ kind: 'return', type: t, values })), weight: 1 },
  ];
}
