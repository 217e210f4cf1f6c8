// What a new user types first: `mitey <command> --help`, `mitey --version`, and `mitey conformance`, whose last
// lines must say where everything went and why the exit status is what it is.
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyCounts } from '../wast/results.js';
import { CLI, runCli } from './cli-run.js';
import { COMMANDS } from './cli-help.js';
import { conformanceSummary } from './conformance-summary.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { RunResult } from './run-result.js';
import { resultsFolderName, suiteIdentity } from './suite-identity.js';

const FIXTURES = join(PACKAGE_ROOT, 'fixtures');

describe('--help for every command', () => {
  test.each(COMMANDS.flatMap((c) => [[c, '--help'], [c, '-h']]))('mitey %s %s: its usage and options, exit status 0', (command, flag) => {
    const r = runCli([command, flag]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: mitey ${command} `));
    expect(r.stdout).not.toContain('unknown option');
    expect(r.stdout).toContain('\noptions:\n');
    // Only this command's usage, not the overview of all of them.
    for (const other of COMMANDS.filter((c) => c !== command)) expect(r.stdout).not.toMatch(new RegExp(`^usage: mitey ${other} `, 'm'));
  });

  test('each command lists the options it takes', () => {
    const texts = new Map(COMMANDS.map((c) => [c, runCli([c, '--help']).stdout]));
    const help = (c: (typeof COMMANDS)[number]) => texts.get(c)!;
    for (const o of ['--engine', '--jobs', '--timeout', '--filter', '--shard', '--line', '--features', '--bail', '--json', '--junit', '--markdown', '--expect', '--update-expect', '--strict-messages', '--no-cache', '--quiet']) {
      expect(help('wast')).toContain(`\n  ${o} `);
      expect(help('conformance')).toContain(`\n  ${o} `);
    }
    for (const o of ['--out', '--history', '--suite']) expect(help('dashboard')).toContain(`\n  ${o} `);
    for (const o of ['--seconds', '--seed', '--jobs', '--engines', '--engine', '--reference', '--mutants', '--out', '--validate', '--cases', '--suite', '--asan']) expect(help('fuzz')).toMatch(new RegExp(`\\n +${o} `));
  });

  test('help wins over what else is on the line (nothing runs)', () => {
    const r = runCli(['wast', 'no/such/dir', '--engine', 'nope', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: mitey wast /);
  });

  test('mitey --help still shows the overview of every command', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^(usage:)? +mitey ${c} `, 'm'));
  });
});

describe('mitey --version', () => {
  test('the package version and where it runs from, Node and V8, the JIT build', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = runCli(['--version']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      `mitey ${pkg.version} (${PACKAGE_ROOT})`,
      `node ${process.versions.node}, V8 ${process.versions.v8} (engine v8-node)`,
      expect.stringMatching(/^v8 (V8 14\.\S+ of node 26\.\S+ \(.*\)|the running Node's V8 stands in for V8 14: .*)$/),
      expect.stringMatching(/^jit mitey tier 1 \(SIMD: [\w.]+\)$/),
    ]);
  });
});

describe('mitey conformance says at its end what happened', () => {
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'mitey-conformance-')));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));
  const conformance = (...args: string[]) => spawnSync(process.execPath, [CLI, 'conformance', ...args, '--engine', 'v8'], { cwd, encoding: 'utf8' });

  test('a failing run: figures, where the results and the dashboard are, why the exit status is 1, and the gate', () => {
    const r = conformance(join(FIXTURES, 'failing'));
    expect(r.status).toBe(1);
    const dir = join('results', resultsFolderName(suiteIdentity([join(FIXTURES, 'failing')])));
    const run = JSON.parse(readFileSync(join(cwd, dir, 'v8.json'), 'utf8')) as RunResult;
    const t = run.totals;
    const tail = r.stdout.slice(r.stdout.lastIndexOf('\nconformance of ') + 1).trimEnd().split('\n');
    expect(tail[0]).toBe(`conformance of ${join(FIXTURES, 'failing')}:`);
    expect(tail[1]).toBe(
      `  v8  ${t.passed} passed, ${t.failed} failed, ${t.total - t.passed - t.failed} skipped of ${t.total} assertions; ` +
        `${t.commandFailures} failed commands; 1 file did not run to its end`,
    );
    expect(tail[2]).toBe(`  results    ${join(dir, 'v8.json')}`);
    expect(tail[3]).toMatch(new RegExp(`^  dashboard  ${dir}/dashboard\\.html \\(open it in a browser; .* ${dir}/history\\)$`));
    expect(tail[4]).toMatch(/^exit status 1: v8 had failures \(a run fails on any failed assertion or command and any file that did not run to its end\)\.$/);
    expect(tail.join('\n')).toContain(`npx mitey wast ${join(FIXTURES, 'failing')} --engine jit --expect FILE`);
    expect(tail.join('\n')).toContain('fixtures/expectations/jit-testsuite.json');
  });

  test('a passing run says exit status 0 and why', () => {
    const r = conformance(join(FIXTURES, 'wast'));
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('exit status 0: no assertion or command failed and every file ran to its end, on every engine');
  });
});

describe('the gate named for an official suite', () => {
  const counts = { ...emptyCounts(), passed: 90, failed: 10, total: 100 };
  const run = { totals: { ...counts, byDirective: {}, byFeature: {}, commandFailures: 0, filesNotOk: 0, messages: { compared: 0, matched: 0 } } } as unknown as RunResult;
  const suite = { name: 'testsuite', paths: ['/src/testsuite'], id: '0123abcd' };
  const base = { suite, dashboard: 'results/testsuite-0123abcd/dashboard.html', history: 'results/testsuite-0123abcd/history', expectationFiles: ['fixtures/expectations/jit-testsuite-2.0.json', 'fixtures/expectations/jit-testsuite.json'] };

  test('its expectations file, in the command CI runs', () => {
    const lines = conformanceSummary({ ...base, engines: [{ engine: 'v8', json: 'v8.json', run, exitCode: 1 }, { engine: 'jit', json: 'jit.json', run, exitCode: 1 }] });
    expect(lines).toContain('exit status 1: v8 and jit had failures (a run fails on any failed assertion or command and any file that did not run to its end).');
    expect(lines[lines.length - 1]).toBe('    npx mitey wast /src/testsuite --engine jit --expect fixtures/expectations/jit-testsuite.json');
  });

  test('with --expect, the exit status is about changes', () => {
    const lines = conformanceSummary({ ...base, expect: 'fixtures/expectations/jit-testsuite.json', engines: [{ engine: 'jit', json: 'jit.json', run, exitCode: 1 }] });
    expect(lines[lines.length - 1]).toBe('exit status 1: jit differs from the expectations in fixtures/expectations/jit-testsuite.json (the changes are listed above)');
  });
});
