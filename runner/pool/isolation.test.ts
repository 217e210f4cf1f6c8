// A crash or a hang in one file is reported for that file alone; every other file's results are
// complete and the same as in a clean run. Faults come from the workers' test switch (MITEY_FAULTS).
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { FileResult } from '../../wast/results.js';

const GOOD = join(PACKAGE_ROOT, 'fixtures', 'wast');
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

  test('every other file is complete and identical to a clean run', () => {
    const faultyByName = new Map(faulty.json!.files.map((f) => [name(f), f]));
    const others = clean.json!.files.filter((f) => !['modules.wast', 'numbers.wast', 'traps.wast'].includes(name(f)));
    expect(others.length).toBe(clean.json!.files.length - 3);
    expect(others.length).toBeGreaterThanOrEqual(8);
    expect(faulty.json!.files.length).toBe(clean.json!.files.length);
    for (const f of others) expect(strip(faultyByName.get(name(f))!)).toEqual(strip(f));
  });
});
