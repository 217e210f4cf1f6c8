// Jest itself running .wast files through our transform: a directive a test, with the same verdicts as `mitey wast`.
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { PACKAGE_ROOT } from '../../core/package-root.js';

function jestOn(dir: string, engine: string) {
  const out = join(mkdtempSync(join(tmpdir(), 'mitey-jest-')), 'report.json');
  const config = {
    rootDir: dir,
    testMatch: ['**/*.wast'],
    transform: { '\\.wast$': join(PACKAGE_ROOT, 'runner', 'jest', 'wast-transform.cjs') },
    extensionsToTreatAsEsm: ['.wast'],
    moduleFileExtensions: ['js', 'wast'],
    testEnvironment: 'node',
    cache: false,
  };
  const r = spawnSync(
    process.execPath,
    ['--experimental-vm-modules', join(PACKAGE_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', JSON.stringify(config), '--json', '--outputFile', out],
    { encoding: 'utf8', env: { ...process.env, MITEY_ENGINE: engine } },
  );
  return { status: r.status, report: JSON.parse(readFileSync(out, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number } };
}

describe('jest runs .wast files', () => {
  test('fixtures/wast on V8: every test passes, one per directive', () => {
    const { status, report } = jestOn(join(PACKAGE_ROOT, 'fixtures', 'wast'), 'v8');
    const cli = runCli(['wast', join(PACKAGE_ROOT, 'fixtures', 'wast')], true).json!;
    expect(report.numFailedTests).toBe(0);
    expect(report.numPendingTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThanOrEqual(cli.totals.total); // assertions, plus the commands
    expect(status).toBe(0);
  });

  test('fixtures/failing: the same failures as mitey wast, skipped where it could not run', () => {
    const dir = join(PACKAGE_ROOT, 'fixtures', 'failing');
    const { status, report } = jestOn(dir, 'v8');
    // jest's 'v8' is the V8 of the process it runs in (V8 14 answers in worker processes only): compare with that V8.
    const cli = runCli(['wast', dir, '--engine', 'v8-node'], true).json!;
    // A file that could not be parsed is one failing test in jest; mitey counts its assertions, failed.
    const failing = cli.files.reduce((n, f) => n + (f.status === 'ok' ? f.counts.failed + f.commandFailures : 1), 0);
    expect(report.numFailedTests).toBe(failing);
    // Skipped: every directive, assertion or command, that could not run (blocked, assembler, unsupported, skipped).
    const couldNotRun = cli.files.flatMap((f) => f.results).filter((d) => !['passed', 'failed'].includes(d.outcome)).length;
    expect(report.numPendingTests).toBe(couldNotRun);
    expect(couldNotRun).toBeGreaterThanOrEqual(cli.totals.blocked + cli.totals.assembler);
    expect(status).toBe(1);
  });

  test('MITEY_ENGINE=jit: every script of fixtures/wast runs (the JIT has exceptions and threads now), none skipped', () => {
    const { report } = jestOn(join(PACKAGE_ROOT, 'fixtures', 'wast'), 'jit');
    expect(report.numFailedTests).toBe(0);
    expect(report.numPendingTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThan(15); // exceptions.wast and threads.wast among them
  });
});
