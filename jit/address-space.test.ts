// Every linear memory reserves 8 GiB of address space, about 16,000 of them fill a process: those
// JS no longer holds must come back without the caller running gc(), as V8's do.
import { beforeAll, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Assembler } from '../wast/assembler.js';
import { parseScript } from '../wast/parser.js';
import { runScript } from '../wast/interpreter.js';
import { loadAddon } from './addon.js';
import { JitInstance, JitModule } from './api.js';
import { JitEngine } from './engine.js';

let assembler: Assembler;
beforeAll(async () => {
  assembler = await Assembler.load();
});

const MEMORY_MODULE = '(module (memory 1) (func (export "f") (param i32) (result i32) (i32.store (local.get 0) (local.get 0)) (i32.load (local.get 0))))';

test('20,000 instances with a memory each, none kept, without gc(): every one is made and works', () => {
  // No gc() here: npm test runs without --expose-gc (a context made after the JIT asked for one
  // collection may still see a gc global, so its absence is not asserted).
  const module = new JitModule(assembler.assemble(MEMORY_MODULE));
  let peak = 0;
  for (let i = 0; i < 20000; i++) {
    const f = new JitInstance(module).exports.f as (a: number) => number;
    expect(f((i * 4) % 65536)).toBe((i * 4) % 65536);
    peak = Math.max(peak, loadAddon().liveReservations());
  }
  expect(peak).toBeLessThan(16000); // collections kept the reservations well below what fills the process
});

test('a script with 20,000 modules runs on the JIT: no command fails, nothing is unsupported', () => {
  const bytes = assembler.assemble(MEMORY_MODULE);
  const binary = Array.from(bytes, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  const lines: string[] = [];
  for (let i = 0; i < 20000; i++) lines.push(`(module binary "${binary}")`, `(assert_return (invoke "f" (i32.const ${(i * 4) % 65536})) (i32.const ${(i * 4) % 65536}))`);
  const dir = mkdtempSync(join(tmpdir(), 'mitey-modules-'));
  try {
    const file = join(dir, 'many-modules.wast');
    writeFileSync(file, lines.join('\n'));
    const result = runScript(parseScript(file, lines.join('\n')), { engine: new JitEngine(), assembler });
    expect(result.status).toBe('ok');
    expect(result.commandFailures).toBe(0);
    expect(result.counts).toMatchObject({ passed: 20000, failed: 0, unsupported: 0, total: 20000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('running out of address space is a RangeError from the JS API, and the JIT recovers when the holder lets go', () => {
  const module = new JitModule(assembler.assemble(MEMORY_MODULE));
  const kept: JitInstance[] = [];
  let refused: unknown;
  for (let i = 0; i < 40000 && !refused; i++) {
    try {
      kept.push(new JitInstance(module));
    } catch (err) {
      refused = err;
    }
  }
  expect(refused).toBeDefined();
  expect((refused as Error).name).toBe('RangeError');
  expect((refused as Error).message).toMatch(/out of (memory|resources)/);
  for (const i of kept) i.release();
  kept.length = 0;
  expect((new JitInstance(module).exports.f as (a: number) => number)(8)).toBe(8);
});
