// The short validation differential (the long one is `npm run fuzz:validate`), and the pieces it
// stands on: deterministic mutation, size fix-ups, and explanations backed by passing fixtures.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAddon } from '../jit/addon.js';
import { runCli } from '../runner/cli-run.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { parseScript } from '../wast/parser.js';
import { makeCase } from './cases.js';
import { explain, KNOWN_DIFFERENCES } from './known-differences.js';
import { caseRng } from './prng.js';
import { encodeSleb, encodeUleb, parseBodies, parseSections, readUleb, splice } from './sections.js';
import { askJit, askV8 } from './verdict.js';
import { runDifferential, summary } from './validate-differential.js';
import { testNote } from '../core/test-note.js';

const suite2 = process.env.MITEY_TESTSUITE_2;

// (func (result i32) (i32.const 42)) exported as "f", with a memory: a small seed for the unit tests.
const SEED = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01,
  0x00, 0x01, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b,
]);

describe('binary helpers', () => {
  test('LEB128: what encodeUleb writes (padded or not) readUleb reads back', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 1, max: 10 }), (v, pad) => {
        const bytes = Uint8Array.from(encodeUleb(v, pad));
        expect(bytes.length).toBeGreaterThanOrEqual(pad);
        expect(readUleb(bytes, 0)).toEqual({ value: v, length: bytes.length });
      }),
    );
  });

  test('signed LEB128 reads back as the same value in two\'s complement', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 40n), max: 1n << 40n }), (v) => {
        const bytes = encodeSleb(v);
        let value = 0n;
        bytes.forEach((b, i) => (value |= BigInt(b & 0x7f) << BigInt(7 * i)));
        const bits = BigInt(7 * bytes.length);
        if (value & (1n << (bits - 1n))) value -= 1n << bits;
        expect(value).toBe(v);
      }),
    );
  });

  test('any insertion inside the body, sizes fixed, keeps every section header consistent', () => {
    const code = parseSections(SEED).find((s) => s.id === 10)!;
    const [body] = parseBodies(SEED, code);
    fc.assert(
      fc.property(fc.integer({ min: body.start, max: body.end - 1 }), fc.uint8Array({ minLength: 0, maxLength: 300 }), (at, insert) => {
        const out = splice(SEED, at, 0, insert, true);
        const sections = parseSections(out);
        expect(sections.map((s) => s.id)).toEqual(parseSections(SEED).map((s) => s.id));
        expect(sections[sections.length - 1].end).toBe(out.length);
        const [b] = parseBodies(out, sections.find((s) => s.id === 10)!);
        expect(b.end - b.start).toBe(body.end - body.start + insert.length);
      }),
    );
  });
});

describe('mutation', () => {
  test('a case is a function of (seed, case number) alone', () => {
    const seeds = [{ origin: 'unit', bytes: SEED }];
    for (let n = 0; n < 200; n++) {
      expect(makeCase(seeds, 7, n)).toEqual(makeCase(seeds, 7, n));
    }
    const distinct = new Set(Array.from({ length: 200 }, (_, n) => Buffer.from(makeCase(seeds, 7, n).bytes).toString('hex')));
    expect(distinct.size).toBeGreaterThan(150);
    expect(caseRng(1, 2).u32()).not.toBe(caseRng(2, 1).u32());
  });

  test('an insertion with sizes fixed stays inside its function body (and a nop keeps the module valid)', () => {
    const code = parseSections(SEED).find((s) => s.id === 10)!;
    const [body] = parseBodies(SEED, code);
    const withNop = splice(SEED, body.end - 1, 0, [0x01], true); // nop before the final end
    expect(WebAssembly.validate(withNop as Uint8Array<ArrayBuffer>)).toBe(true);
    expect(loadAddon().validate(withNop)).toBeNull();
    // Without the fix-up the same insertion breaks the sizes.
    expect(WebAssembly.validate(splice(SEED, body.end - 1, 0, [0x01], false) as Uint8Array<ArrayBuffer>)).toBe(false);
  });
});

describe('known differences', () => {
  test.each(KNOWN_DIFFERENCES.map((k) => [k.id, k] as const))('%s: its fixture passes on the JIT and shows V8 differing', (_, k) => {
    // The fixtures ask the Wasm 2.0 question (the JIT's verdict in the differential is under 2.0's rules).
    const jit = runCli(['wast', join(PACKAGE_ROOT, k.fixture), '--engine', 'jit', '--spec', '2.0'], true);
    expect(jit.json!.totals.failed + jit.json!.totals.commandFailures).toBe(0);
    expect(jit.json!.totals.passed + jit.json!.totals.skipped).toBeGreaterThan(0);
    expect(jit.status).toBe(0);
    // On V8 the same script must fail somewhere: that is the disagreement it documents.
    const v8 = runCli(['wast', join(PACKAGE_ROOT, k.fixture), '--engine', 'v8'], true);
    expect(v8.json!.totals.failed + v8.json!.totals.commandFailures).toBeGreaterThan(0);
  });

  test.each(KNOWN_DIFFERENCES.map((k) => [k.id, k] as const))('%s: the explanation recognises the modules of its fixture that V8 decides otherwise', (_, k) => {
    const path = join(PACKAGE_ROOT, k.fixture);
    const script = parseScript(path, readFileSync(path, 'utf8'));
    let differing = 0;
    for (const c of script.commands) {
      const m = c.kind === 'module' ? c : c.kind === 'assert_malformed' && c.module.kind === 'module' ? c.module : undefined;
      if (!m || m.source.kind !== 'binary') continue;
      const bytes = m.source.bytes;
      const jit = askJit(loadAddon(), bytes);
      const v8 = askV8(bytes, true);
      if (jit.valid === v8.valid) continue;
      differing++;
      expect(explain({ bytes, jit, v8 })?.id).toBe(k.id);
    }
    expect(differing).toBeGreaterThan(0);
  });
});

describe('validation differential (short)', () => {
  (suite2 ? test : test.skip)('3,000 mutated testsuite modules: JIT and V8 agree or differ only as explained; no crash', async () => {
    const r = await runDifferential({ suite: suite2!, cases: 3000, seed: 20251125 });
    testNote(summary(r));
    expect(r.cases).toBe(3000);
    expect(r.corpus.seeds).toBeGreaterThan(500);
    expect(r.crashCases).toEqual([]);
    expect(r.unexplainedCases).toEqual([]);
    // Both validators were exercised on both sides.
    expect(r.verdicts.jitValid).toBeGreaterThan(50);
    expect(r.verdicts.jitInvalid).toBeGreaterThan(50);
    expect(r.verdicts.v8Valid).toBeGreaterThan(50);
    expect(r.verdicts.v8Invalid).toBeGreaterThan(50);
    expect(r.agree + r.jitUnsupported + r.disagree).toBe(r.cases);
  });
});
