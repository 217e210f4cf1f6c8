// A crash or a hang in one file is reported for that file alone; every other file's results are
// complete and the same as in a clean run. Faults come from the workers' test switch (MITEY_FAULTS).
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { FileResult, OUTCOMES } from '../../wast/results.js';
import { scanAssertions } from '../../wast/assertion-scan.js';

const GOOD = join(PACKAGE_ROOT, 'fixtures', 'wast');
const FAILING = join(PACKAGE_ROOT, 'fixtures', 'failing');
const name = (f: FileResult) => f.file.split('/').pop()!;
const strip = (f: FileResult) => ({ ...f, durationMs: 0 });

describe.each(['v8', 'jit'])('worker isolation on %s', (engine) => {
  const clean = runCli(['wast', GOOD, '--engine', engine, '--jobs', '2'], true);
  const faulty = runCli(['wast', GOOD, '--engine', engine, '--jobs', '2', '--timeout', '3'], true, {
    MITEY_FAULTS: 'modules.wast@9=segv,numbers.wast@22=abort,traps.wast@26=hang',
  });

  test('the faulty files are crashed (with the signal and the last directive) and timeout', () => {
    const byName = new Map(faulty.json!.files.map((f) => [name(f), f]));
    expect(byName.get('modules.wast')).toMatchObject({ status: 'crashed' });
    expect(byName.get('modules.wast')!.error).toMatch(/killed by SIGSEGV after reaching line 9 \(assert_return\)/);
    expect(byName.get('numbers.wast')).toMatchObject({ status: 'crashed' });
    expect(byName.get('numbers.wast')!.error).toMatch(/killed by SIGABRT after reaching line 22 \(assert_return\)/);
    expect(byName.get('traps.wast')).toMatchObject({ status: 'timeout' });
    expect(byName.get('traps.wast')!.error).toMatch(/no result within 3 s after reaching line 26 \(assert_trap\)/);
    expect(faulty.status).toBe(1);
  });

  test('a file that crashed or timed out still counts every assertion: those before the fault as they came out, the rest failed', () => {
    const faults: [string, number, string][] = [['modules.wast', 9, 'the worker crashed'], ['numbers.wast', 22, 'the worker crashed'], ['traps.wast', 26, 'the file timed out']];
    for (const [file, line, why] of faults) {
      const f = faulty.json!.files.find((x) => name(x) === file)!;
      const all = scanAssertions(readFileSync(f.file, 'utf8'));
      const before = all.filter((a) => a.line < line).length;  // all pass in a clean run
      expect([file, f.counts]).toEqual([file, { passed: before, failed: all.length - before, skipped: 0, blocked: 0, assembler: 0, unsupported: 0, total: all.length }]);
      expect(f.counts.total).toBe(clean.json!.files.find((x) => name(x) === file)!.counts.total);
      expect(f.results[0]).toMatchObject({ line, outcome: 'failed', detail: `not run: ${why} here` });
      expect(f.results.slice(1).every((d) => d.detail === `not run: ${why}`)).toBe(true);
      expect(f.byFeature.mvp.total).toBe(all.length);
    }
    const t = faulty.json!.totals;
    expect(t.total).toBe(clean.json!.totals.total);
    expect(t.passed + t.failed + t.skipped + t.blocked + t.assembler + t.unsupported).toBe(t.total);
    expect(faulty.stdout).toContain(`wast: ${t.passed} passed, ${t.failed} failed, ${t.total - t.passed - t.failed} skipped (3 files did not run to their end)\n`);
  });

  test('every other file is complete and identical to a clean run', () => {
    const faultyByName = new Map(faulty.json!.files.map((f) => [name(f), f]));
    const others = clean.json!.files.filter((f) => !['modules.wast', 'numbers.wast', 'traps.wast'].includes(name(f)));
    expect(others.length).toBe(clean.json!.files.length - 3);
    expect(others.length).toBeGreaterThanOrEqual(8);
    expect(faulty.json!.files.length).toBe(clean.json!.files.length);
    for (const f of others) expect(strip(faultyByName.get(name(f))!)).toEqual(strip(f));
  });
});

describe('what a crashed worker had reached survives it', () => {
  // blocked.wast crashes at line 31: before it come blocked and failed assertions, failed commands and an unassemblable module.
  const clean = runCli(['wast', FAILING, '--jobs', '1'], true).json!;
  const crashed = runCli(['wast', FAILING, '--jobs', '1'], true, { MITEY_FAULTS: 'blocked.wast@31=segv' }).json!;
  const blocked = (run: typeof clean) => run.files.find((f) => name(f) === 'blocked.wast')!;

  test('its results before the crash are those of a clean run, detail for detail; the assertions after it failed', () => {
    const [c, x] = [blocked(clean), blocked(crashed)];
    expect(x.status).toBe('crashed');
    expect(x.results.filter((d) => d.line < 31)).toEqual(c.results.filter((d) => d.line < 31));
    expect(x.commandFailures).toBe(c.commandFailures);
    const after = scanAssertions(readFileSync(x.file, 'utf8')).filter((a) => a.line >= 31);
    expect(x.results.filter((d) => d.line >= 31).map((d) => [d.line, d.outcome])).toEqual(after.map((a) => [a.line, 'failed']));
    // Counts: the clean run's, with every assertion from line 31 on moved to failed.
    const moved = c.results.filter((d) => d.assertion && d.line >= 31);
    const expected = { ...c.counts, passed: c.counts.passed - (after.length - moved.length), failed: c.counts.failed + after.length };
    for (const d of moved) if (d.outcome !== 'failed') expected[d.outcome]--;
    expect(x.counts).toEqual(expected);
    expect(OUTCOMES.reduce((n, o) => n + x.counts[o], 0)).toBe(x.counts.total);
  });
});
