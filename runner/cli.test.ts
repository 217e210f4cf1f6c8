// The CLI end to end on our own fixtures: the good ones pass, the deliberately wrong ones are reported.
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSERTION_KINDS } from '../wast/script.js';
import { runCli } from './cli-run.js';
import { PACKAGE_ROOT } from '../core/package-root.js';

const GOOD = join(PACKAGE_ROOT, 'fixtures', 'wast');
const FAILING = join(PACKAGE_ROOT, 'fixtures', 'failing');
const GOOD_FILES = readdirSync(GOOD).filter((f) => f.endsWith('.wast')).length;

/** Script text without comments (line comments, nested block comments), strings left alone. */
function withoutComments(text: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (depth === 0 && text[i] === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (text.startsWith('(;', i)) {
      depth++;
      i++;
    } else if (depth > 0 && text.startsWith(';)', i)) {
      depth--;
      i++;
    } else if (depth === 0 && text.startsWith(';;', i)) {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (depth === 0) {
      out += text[i];
    }
  }
  return out;
}

/** The `;; expect: <outcome>` markers of a fixture, by line. */
function markers(file: string): Map<number, string> {
  const out = new Map<number, string>();
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const m = /;; expect: (\w+)/.exec(text);
      if (m) out.set(i + 1, m[1]);
    });
  return out;
}

describe('mitey wast on fixtures/wast', () => {
  const r = runCli(['wast', GOOD], true);

  test('every assertion passes and the exit status is 0', () => {
    const t = r.json!.totals;
    expect(r.stderr).toBe('');
    expect(t.total).toBeGreaterThan(100);
    expect({ failed: t.failed, notPassed: t.total - t.passed, commandFailures: t.commandFailures, filesNotOk: t.filesNotOk }).toEqual({
      failed: 0,
      notPassed: 0,
      commandFailures: 0,
      filesNotOk: 0,
    });
    expect(r.status).toBe(0);
  });

  test('the closing line counts every assertion once', () => {
    const t = r.json!.totals;
    const last = r.stdout.trimEnd().split('\n').pop();
    expect(last).toBe(`wast: ${t.passed} passed, 0 failed, 0 skipped`);
    const directives = readdirSync(GOOD)
      .filter((f) => f.endsWith('.wast'))
      .map((f) => withoutComments(readFileSync(join(GOOD, f), 'utf8')))
      .reduce((n, text) => n + (text.match(/\(assert_[a-z_]+/g) ?? []).length, 0);
    expect(t.total).toBe(directives);
  });

  test('every directive of the script language is exercised', () => {
    const all = readdirSync(GOOD).map((f) => readFileSync(join(GOOD, f), 'utf8')).join('\n');
    for (const d of [
      '(module binary', '(module quote', '(module definition', '(module instance', '(register', '(invoke', '(get',
      '(assert_return', '(assert_trap', '(assert_exhaustion', '(assert_exception', '(assert_invalid', '(assert_malformed',
      '(assert_unlinkable', '(thread', '(wait', 'nan:canonical', 'nan:arithmetic', '(ref.extern', '(ref.func)', '(either',
    ]) {
      expect(all).toContain(d);
    }
  });
});

describe('mitey wast on fixtures/wast with the JIT', () => {
  const r = runCli(['wast', GOOD, '--engine', 'jit'], true);

  test('nothing fails; scripts that declare features the JIT lacks are unsupported, not run', () => {
    const run = r.json!;
    expect(run.totals.failed).toBe(0);
    expect(run.totals.commandFailures).toBe(0);
    expect(r.status).toBe(0);
    const gated = run.files.filter((f) => f.counts.unsupported > 0).map((f) => f.file.split('/').pop());
    expect(gated.sort()).toEqual([]); // exceptions.wast and threads.wast run: the JIT has both
    for (const f of run.files) {
      if (gated.includes(f.file.split('/').pop())) expect(f.counts.unsupported).toBe(f.counts.total);
      else expect(f.counts.passed).toBe(f.counts.total);
    }
  });
});

describe('mitey wast on fixtures/failing', () => {
  const r = runCli(['wast', FAILING], true);

  test('the run fails', () => {
    expect(r.status).toBe(1);
    expect(r.json!.totals.failed).toBeGreaterThan(10);
    expect(r.stdout).toMatch(/^wast: \d+ passed, [1-9]\d* failed, \d+ skipped \(1 file did not run to its end\)$/m);
  });

  test('the closing line counts every assertion of every file, those of the file that could not be parsed as failed', () => {
    const t = r.json!.totals;
    const kinds = new RegExp(`\\((${[...ASSERTION_KINDS].join('|')})[\\s)]`, 'g');
    const directives = (readdirSync(FAILING, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.wast'))
      .map((f) => withoutComments(readFileSync(join(FAILING, f), 'utf8')))
      .reduce((n, text) => n + (text.match(kinds) ?? []).length, 0);
    expect(t.total).toBe(directives);
    const last = r.stdout.trimEnd().split('\n').pop();
    expect(last).toBe(`wast: ${t.passed} passed, ${t.failed} failed, ${t.total - t.passed - t.failed} skipped (1 file did not run to its end)`);
    const bad = r.json!.files.find((f) => f.file.endsWith('unbalanced.wast'))!;
    expect(bad.counts).toMatchObject({ passed: 0, failed: 3, total: 3 });
    expect(bad.results.map((d) => [d.line, d.outcome, d.detail])).toEqual([3, 4, 5].map((line) => [line, 'failed', 'not run: the script could not be parsed']));
  });

  test('exactly the marked directives come out with the marked outcome', () => {
    for (const f of r.json!.files) {
      if (f.status !== 'ok') continue;
      const expected = Object.fromEntries(markers(f.file));
      const actual = Object.fromEntries(f.results.filter((d) => d.outcome !== 'passed').map((d) => [d.line, d.outcome]));
      expect({ file: f.file, outcomes: actual }).toEqual({ file: f.file, outcomes: expected });
    }
  });

  test('failures are printed with file:line:col, expected and actual', () => {
    expect(r.stdout).toMatch(/failing\/[\w-]+\.wast:\d+:\d+ assert_return: wrong result; expected .+; got .+/);
  });

  test('a file with unbalanced parentheses is an error naming file:line:col, and the other files still run', () => {
    const bad = r.json!.files.find((f) => f.file.endsWith('unbalanced.wast'))!;
    expect(bad.status).toBe('error');
    expect(bad.error).toMatch(/unbalanced\.wast:\d+:\d+: unclosed "\("/);
    expect(r.json!.files.filter((f) => f.status === 'ok').length).toBe(r.json!.files.length - 1);
  });
});

describe('command-line errors', () => {
  test('a missing path is named, exit status 2', () => {
    const r = runCli(['wast', 'no/such/dir']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no such file or folder: no/such/dir');
  });

  test.each([
    ['a glob that matches no file', [join(GOOD, '*.wat')], `no .wast file matches ${join(GOOD, '*.wat')}`],
    ['a glob under a folder that does not exist', [join(GOOD, 'nope', '*.wast')], `no such folder: ${join(GOOD, 'nope')}`],
    ['a folder without .wast files', [join(PACKAGE_ROOT, 'fixtures', 'expectations')], `no .wast file in the folder ${join(PACKAGE_ROOT, 'fixtures', 'expectations')}`],
    ['--filter that matches nothing', [GOOD, '--filter', 'no-such-name'], `--filter no-such-name matches none of the ${GOOD_FILES} files found`],
    ['--shard that leaves nothing', [GOOD, '--shard', `${GOOD_FILES + 1}/${GOOD_FILES + 1}`], `leaves no file: there are only ${GOOD_FILES}`],
    ['--line where no directive starts', [join(GOOD, 'modules.wast'), '--line', '999'], '--line 999: no directive starts at line 999 of'],
    ['--line between directives', [join(GOOD, 'modules.wast'), '--line', '10'], 'no directive starts at line 10 of ' + join(GOOD, 'modules.wast') + '; the nearest start at lines 9 and 11'],
  ])('a run that selects nothing is an error, before anything runs: %s', (_, args, message) => {
    const r = runCli(['wast', ...args]);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  });

  test('unknown options and engines are usage errors', () => {
    expect(runCli(['wast', GOOD, '--bogus']).status).toBe(2);
    const r = runCli(['wast', GOOD, '--engine', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown engine "nope"');
  });
});

describe('feature tags', () => {
  test('every assertion is counted under each feature it needs, MVP for all', () => {
    const run = runCli(['wast', GOOD], true).json!;
    const by = run.totals.byFeature;
    expect(by.mvp.total).toBe(run.totals.total);
    expect(by.simd.total).toBeGreaterThanOrEqual(20); // simd.wast
    expect(by.threads.total).toBeGreaterThanOrEqual(6); // threads.wast
    expect(by['reference-types'].total).toBeGreaterThan(0);
  });

  test('--features selects the scripts that need nothing more; the others are skipped whole', () => {
    const wasm2 = 'simd,sign-extension,saturating-conversions,multi-value,mutable-globals,bulk-memory,reference-types';
    const run = runCli(['wast', GOOD, '--features', wasm2], true).json!;
    const byName = new Map(run.files.map((f) => [f.file.split('/').pop(), f]));
    expect(byName.get('simd.wast')!.counts.passed).toBe(byName.get('simd.wast')!.counts.total);
    expect(byName.get('threads.wast')!.counts.skipped).toBe(byName.get('threads.wast')!.counts.total);
    expect(byName.get('exceptions.wast')!.counts.skipped).toBe(byName.get('exceptions.wast')!.counts.total);
    expect(run.totals.failed).toBe(0);
    expect(runCli(['wast', GOOD, '--features', 'no-such-feature']).status).toBe(2);
  });
});

describe('selecting what runs', () => {
  test('--line runs one assertion, with the commands it needs', () => {
    const run = runCli(['wast', join(GOOD, 'modules.wast'), '--line', '9'], true).json!;
    expect(run.totals.total).toBe(1);
    expect(run.totals.passed).toBe(1);
  });

  test('--shard splits the files into disjoint parts that cover them all', () => {
    const all = runCli(['wast', GOOD], true).json!.files.map((f) => f.file);
    const parts = [1, 2, 3].map((i) => runCli(['wast', GOOD, '--shard', `${i}/3`], true).json!.files.map((f) => f.file));
    expect(parts.flat().sort()).toEqual([...all].sort());
    expect(new Set(parts.flat()).size).toBe(all.length);
    expect(runCli(['wast', GOOD, '--shard', '4/3']).status).toBe(2);
  });

  test('globs expand, ** included', () => {
    const run = runCli(['wast', join(PACKAGE_ROOT, 'fixtures', '**', 'm*.wast')], true).json!;
    expect(run.files.map((f) => f.file.split('/').pop()).sort()).toEqual(['modules.wast']);
  });

  test('--bail stops starting files after the first failure', () => {
    const all = runCli(['wast', FAILING, '--jobs', '1'], true).json!;
    const bailed = runCli(['wast', FAILING, '--jobs', '1', '--bail'], true).json!;
    expect(bailed.files.length).toBe(1);
    expect(all.files.length).toBeGreaterThan(1);
  });
});
