// A protocol engine's driver that crashes or hangs takes down its file alone: the file is reported crashed (with
// the driver's signal and the last directive reached) or timed out, its assertions still counted, and every
// other file runs on a new driver.
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli } from '../cli-run.js';
import { PACKAGE_ROOT } from '../../core/package-root.js';

const FILES = join(PACKAGE_ROOT, 'fixtures', 'engine-protocol', 'files');
// A word the driver ignores marks this test's drivers apart from those other tests start meanwhile.
const MARK = `isolation-test-${process.pid}`;
const ENGINE = `cmd:${process.execPath} ${join(PACKAGE_ROOT, 'fixtures', 'engine-protocol', 'reference-driver.mjs')} ${MARK}`;

describe('a driver that crashes or hangs', () => {
  const run = runCli(['wast', FILES, '--engine', ENGINE, '--jobs', '1', '--timeout', '5'], true);
  const file = (name: string) => run.json!.files.find((f) => f.file.endsWith(name))!;

  test('a crash is its file\'s, with the signal and the directive reached', () => {
    expect(file('crash.wast')).toMatchObject({ status: 'crashed', counts: { passed: 1, failed: 2, total: 3 } });
    expect(file('crash.wast').error).toMatch(/its engine's driver died \(the driver `\S*node\S* .*reference-driver\.mjs isolation-test-\d+` ended: it was killed by signal 6 \(SIGABRT\); its stderr: .*\) after reaching line 6 \(assert_return\)/);
  });

  test('a hang is its file\'s timeout', () => {
    expect(file('hang.wast')).toMatchObject({ status: 'timeout', counts: { passed: 1, failed: 2, total: 3 } });
    expect(file('hang.wast').error).toMatch(/no result within 5 s after reaching line 6 \(assert_return\)/);
  });

  test('the other file runs to its end, and the closing line counts the two that did not', () => {
    expect(file('fine.wast')).toMatchObject({ status: 'ok', counts: { passed: 3, failed: 0, total: 3 } });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('wast: 5 passed, 4 failed, 0 skipped (2 files did not run to their end)\n');
  });

  test('no driver is left running', () => {
    const ps = runPs();
    expect(ps.filter((l) => l.includes(MARK) && !l.includes('jest'))).toEqual([]);
  });
});

function runPs(): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n');
}
