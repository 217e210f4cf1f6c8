// `mitey jsapi` on our own fixtures (fixtures/jsapi) and, when MITEY_JSAPI is set, on the official JS API tests.
// The harness (testharness.js) is not ours to copy: the fixtures run on the one in $MITEY_JSAPI/resources, or in
// ../shared/js-api beside the project; without either they are skipped.
import { describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { outcomeLine } from '../reporters/console.js';
import { testNote } from '../../core/test-note.js';

const official = process.env.MITEY_JSAPI;
const harnessDir = [official, join(PACKAGE_ROOT, '..', 'shared', 'js-api')].find((d) => d && existsSync(join(d, 'resources', 'testharness.js')));
const FIXTURES = join(PACKAGE_ROOT, 'fixtures', 'jsapi');

describe('mitey jsapi on our fixtures', () => {
  // The same outcomes on V8 and on the JIT (whose namespace runs in the worker's main realm): the runner's part.
  for (const engine of ['v8-node', 'jit']) {
    (harnessDir ? test : test.skip)(`${engine}: each fixture gets its real outcome: pass, failed subtest, top-level throw, async, META helper, hang, unsupported`, () => {
      const r = runCli(['jsapi', FIXTURES, '--engine', engine, '--timeout', '15', '--jobs', '2'], true, { MITEY_JSAPI: harnessDir! });
      const run = r.json!;
      const byName = Object.fromEntries(run.files.map((f) => [f.file.slice(FIXTURES.length + 1), f]));
      expect(Object.keys(byName).sort()).toEqual(['async.any.js', 'fail-subtest.any.js', 'hang.any.js', 'js-string/needs-js-string.any.js', 'meta-script.any.js', 'pass.any.js', 'top-level-throw.any.js']);
      const counts = (k: string) => ({ status: byName[k].status, passed: byName[k].counts.passed, failed: byName[k].counts.failed, unsupported: byName[k].counts.unsupported });
      expect(counts('pass.any.js')).toEqual({ status: 'ok', passed: 2, failed: 0, unsupported: 0 });
      expect(counts('fail-subtest.any.js')).toEqual({ status: 'ok', passed: 1, failed: 1, unsupported: 0 });
      expect(byName['fail-subtest.any.js'].results[0]).toMatchObject({ line: 9, directive: 'subtest', outcome: 'failed' });
      expect(byName['fail-subtest.any.js'].results[0].detail).toContain('garbage is valid');
      expect(counts('top-level-throw.any.js')).toEqual({ status: 'error', passed: 1, failed: 0, unsupported: 0 });
      expect(byName['top-level-throw.any.js'].error).toContain('thrown at top level');
      expect(counts('async.any.js')).toEqual({ status: 'ok', passed: 2, failed: 0, unsupported: 0 });
      expect(counts('meta-script.any.js')).toEqual({ status: 'ok', passed: 1, failed: 0, unsupported: 0 });
      expect(counts('hang.any.js')).toEqual({ status: 'timeout', passed: 1, failed: 1, unsupported: 0 });
      expect(counts('js-string/needs-js-string.any.js')).toEqual({ status: 'ok', passed: 0, failed: 0, unsupported: 1 });
      // The .wast reporters unchanged: the closing line, and the exit status of a run with failures.
      expect(r.stdout).toMatch(/^jsapi: 8 passed, 2 failed, 1 skipped \(2 files did not run to their end\)$/m);
      expect(run.engine.name).toBe(engine);
      expect(r.status).toBe(1);
    });
  }

  test('an unknown engine is refused in plain words', () => {
    const r = runCli(['jsapi', FIXTURES, '--engine', 'spidermonkey']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('jsapi runs on v8-node, v8, jit, not "spidermonkey"');
  });
});

describe('official JS API tests', () => {
  // limits.any.js (timeout=long) takes about 2 minutes alone here: 120 s is 20 minutes for it, no flaky timeout.
  for (const [engine, expectations] of [['v8-node', 'v8-node-jsapi.json'], ['jit', 'jit-jsapi.json']]) {
    (official ? test : test.skip)(`on ${engine}: nothing changed from the expectations`, () => {
      const r = runCli(['jsapi', official!, '--engine', engine, '--quiet', '--timeout', '120', '--expect', join(PACKAGE_ROOT, 'fixtures', 'expectations', expectations)], true);
      testNote(`js-api on ${engine}: ${outcomeLine(r.json!)}`);
      expect(r.json!.files.length).toBeGreaterThanOrEqual(50);
      expect(r.stdout).toMatch(new RegExp(`expectations .*${expectations.replace('.', '\\.')}: no change`));
      expect(r.status).toBe(0);
    }, 1_800_000);
  }
});
