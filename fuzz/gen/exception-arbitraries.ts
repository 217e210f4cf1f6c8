// Exception handling for the generator (arbitraries.ts asks for it with the exceptions feature): tags of
// a few value types (the first with none, so catch and catch_all can stand for each other), throw and
// throw_ref anywhere (stack-polymorphic, as br), try_table with one to three clauses of every kind,
// some with a handler block of their own (labels at several depths), the others branching to whatever
// enclosing label takes what they deliver; exnref values in locals, block results, and across a call.
// Throws cross calls as they are: any function may throw, and try_table bodies often end in a call.
import fc from 'fast-check';
import type { Body, Catch, Expr, ResultType, Tag, ValType } from './ast.js';
import { ExprOf, Weighted } from './arb-parts.js';

const localIndex = fc.nat({ max: 15 });
const tagIndex = fc.nat({ max: 3 });
const depth = fc.nat({ max: 7 });

/** a module's tags: the first without parameters, then up to three of up to two value types each */
export function tagsArb(valType: fc.Arbitrary<ValType>): fc.Arbitrary<Tag[]> {
  const tag = fc.array(valType, { maxLength: 2 }).map((params): Tag => ({ params }));
  return fc.array(tag, { maxLength: 3 }).map((more) => [{ params: [] }, ...more]);
}

/** throw of a tag, in a position of type t; its arguments of any value types (the encoder matches them to the tag's) */
export const throwArb = (E: ExprOf, t: ResultType): fc.Arbitrary<Expr> =>
  fc.record({ tag: tagIndex, args: fc.array(E('any'), { maxLength: 3 }) }).map((r): Expr => ({ kind: 'throw', type: t, ...r }));

const throwRefArb = (E: ExprOf, t: ResultType): fc.Arbitrary<Expr> => E('exnref').map((value): Expr => ({ kind: 'throw_ref', type: t, value }));

/** what ends a try_table's body often: a throw, a call that may throw, a rethrow, or any statement */
const throwerArb = (E: ExprOf): fc.Arbitrary<Expr> =>
  fc.oneof(
    { arbitrary: throwArb(E, 'void'), weight: 3 },
    { arbitrary: fc.record({ func: fc.nat(), args: fc.array(E('any'), { maxLength: 3 }) }).map((r): Expr => ({ kind: 'call', type: 'void', ...r })), weight: 2 },
    { arbitrary: throwRefArb(E, 'void'), weight: 1 },
    { arbitrary: E('void'), weight: 1 },
  );

const CATCH_KINDS: readonly Catch['kind'][] = ['catch', 'catch_ref', 'catch_all', 'catch_all_ref'];

/** a try_table of type t (one value or none): its clauses, a body of statements that often ends in a thrower, its value */
export function tryTableArb(E: ExprOf, t: ResultType, stmts: fc.Arbitrary<Expr[]>, fewStmts: fc.Arbitrary<Expr[]>): fc.Arbitrary<Expr> {
  const results: fc.Arbitrary<Expr[]> = t === 'void' ? fc.constant([]) : E(t).map((r) => [r]);
  const handler: fc.Arbitrary<Body> = fc.record({ body: fewStmts, results });
  const clause: fc.Arbitrary<Catch> = fc
    .record({ kind: fc.constantFrom(...CATCH_KINDS), tag: tagIndex, depth, handler: fc.option(handler, { freq: 2, nil: undefined }) })
    .map((c) => (c.handler ? c : { kind: c.kind, tag: c.tag, depth: c.depth }));
  return fc
    .record({ catches: fc.array(clause, { minLength: 1, maxLength: 3 }), body: stmts, last: fc.option(throwerArb(E), { freq: 3, nil: undefined }), results })
    .map((r): Expr => ({ kind: 'try_table', type: t, catches: r.catches, body: r.last ? [...r.body, r.last] : r.body, results: r.results }));
}

/** An exnref caught by catch_all_ref (or catch_ref of a tag) into a block of that one value: null when nothing was thrown. */
function capturedArb(E: ExprOf, fewStmts: fc.Arbitrary<Expr[]>): fc.Arbitrary<Expr> {
  return fc
    .record({ all: fc.boolean(), tag: tagIndex, body: fewStmts, last: fc.option(throwerArb(E), { freq: 4, nil: undefined }) })
    .map(
      (r): Expr => ({
        kind: 'block',
        type: 'exnref',
        params: [],
        body: [{ kind: 'try_table', type: 'void', catches: [{ kind: r.all ? 'catch_all_ref' : 'catch_ref', tag: r.tag, depth: 0 }], body: r.last ? [...r.body, r.last] : r.body, results: [] }],
        results: [{ kind: 'ref.null', type: 'exnref' }],
      }),
    );
}

/** the choices of an exnref value, leaves first; `blocks`: block, loop and if of one exnref */
export function exnrefValueOptions(E: ExprOf, blocks: fc.Arbitrary<Expr>[], fewStmts: fc.Arbitrary<Expr[]>): Weighted[] {
  return [
    { arbitrary: fc.constant<Expr>({ kind: 'ref.null', type: 'exnref' }), weight: 2 },
    { arbitrary: localIndex.map((index): Expr => ({ kind: 'local.get', type: 'exnref', index })), weight: 3 },
    { arbitrary: capturedArb(E, fewStmts), weight: 3 },
    { arbitrary: fc.record({ index: localIndex, value: E('exnref') }).map((r): Expr => ({ kind: 'local.tee', type: 'exnref', ...r })), weight: 1 },
    { arbitrary: fc.record({ value: E('exnref'), cond: E('i32') }).map((r): Expr => ({ kind: 'rethrow_call', type: 'exnref', ...r })), weight: 1 },
    { arbitrary: fc.record({ a: E('exnref'), b: E('exnref'), cond: E('i32') }).map((r): Expr => ({ kind: 'select', type: 'exnref', typed: true, ...r })), weight: 1 },
    ...blocks.map((arbitrary) => ({ arbitrary, weight: 1 })),
  ];
}

/** throw, throw_ref and try_table in a position of type t (value positions: less often than statements) */
export function exceptionOptions(E: ExprOf, t: ResultType, stmts: fc.Arbitrary<Expr[]>, fewStmts: fc.Arbitrary<Expr[]>): Weighted[] {
  const statement = t === 'void';
  return [
    { arbitrary: throwArb(E, t), weight: statement ? 2 : 1 },
    { arbitrary: throwRefArb(E, t), weight: 1 },
    { arbitrary: tryTableArb(E, t, statement ? stmts : fewStmts, fewStmts), weight: statement ? 3 : 1 },
    ...(statement ? [{ arbitrary: fc.record({ index: localIndex, value: E('exnref') }).map((r): Expr => ({ kind: 'local.set', type: 'void', ...r })), weight: 1 }] : []),
    // whether an exception was caught (a captured exnref is null when nothing was thrown)
    ...(t === 'i32' ? [{ arbitrary: E('exnref').map((value): Expr => ({ kind: 'ref.is_null', type: 'i32', value })), weight: 1 }] : []),
  ];
}
