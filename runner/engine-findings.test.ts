// The findings of the three-engine fuzz campaign (fixtures/engine-findings/README.md): V8 14 and the JIT pass every
// reproducer; JavaScriptCore, where installed, still parts from them where it did.
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { runCli } from './cli-run.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { findProgram } from '../engines/protocol-engines.js';

const FINDINGS = join(PACKAGE_ROOT, 'fixtures', 'engine-findings');
const name = (f: string) => f.split('/').pop()!;

test.each(['v8', 'jit'])('%s passes every reproducer', (engine) => {
  const run = runCli(['wast', FINDINGS, '--engine', engine, '--jobs', '1'], true).json!;
  expect(run.files.length).toBe(6);
  expect(run.totals).toMatchObject({ failed: 0, commandFailures: 0, blocked: 0 });
});

describe('JavaScriptCore', () => {
  const installed = findProgram('jsc') !== undefined;
  test(installed ? 'parts from them where the campaign found it' : 'is not installed: the test says so instead', () => {
    const r = runCli(['wast', FINDINGS, '--engine', 'jsc', '--jobs', '1'], true);
    if (!installed) {
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('jsc is not installed');
      return;
    }
    const byFile = new Map(r.json!.files.map((f) => [name(f.file), f]));
    expect(byFile.get('jsc-result-wrong-value.wast')!.counts.failed).toBe(1);
    expect(byFile.get('jsc-global-wrong-value.wast')!.counts.failed).toBe(1);
    expect(byFile.get('jsc-spurious-null-trap.wast')!.results).toEqual([expect.objectContaining({ outcome: 'failed', actualMessage: expect.stringMatching(/struct\.get to a null reference/) })]);
    expect(byFile.get('jsc-br-target-refused.wast')!.commandFailures).toBe(1);
    // a trap of another kind is still a trap, unless messages are strict
    expect(byFile.get('jsc-atomic-bounds-before-alignment.wast')!.counts.failed).toBe(0);
    expect(byFile.get('jsc-wait-bounds-before-shared.wast')!.counts.failed).toBe(0);
  });
});
