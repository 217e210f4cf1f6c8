// What of Wasm 3.0 a campaign's cases held, counted from the bytes written (the encoder decides memory
// indices, address types and fallbacks, so the tree alone would not say): each tail-call, typed-
// reference and relaxed SIMD opcode, accesses to memories other than memory 0 and to memory64 ones,
// memory.copy between two memories, table instructions on table64 tables, each exception-handling
// instruction and try_table clause kind, each atomic instruction, each GC instruction (the nullable
// forms of ref.test and ref.cast apart), and (from the tree) extended constant expressions in globals
// and segment offsets.
import { JIT_OPCODES } from '../core/wasm/jit-opcodes.js';
import { HEADER_SIZE, Reader } from '../core/wasm/reader.js';
import type { Module } from './gen/ast.js';
import { codeBodies, readCatches, skipBlockType, skipValType, UnwalkableModule, walkReader } from './mutants/instructions.js';
import { opcodeOf } from './mutants/twins.js';

/** The Wasm 3.0 opcodes counted, by name: tail calls, typed references, relaxed SIMD, exceptions, atomics, GC. */
export const NEW_OPCODES: ReadonlyMap<number, string> = new Map(
  JIT_OPCODES.filter(
    (o) =>
      (o.prefix === 0 && [0x12, 0x13, 0x14, 0x15, 0xd3, 0xd4, 0xd5, 0xd6, 0x08, 0x0a, 0x1f].includes(o.code)) ||
      (o.prefix === 0xfd && o.code >= 0x100) ||
      o.prefix === 0xfe ||
      (o.prefix === 0xfb && o.code <= 0x1e),
  ).map((o) => [
    opcodeOf(o.prefix || o.code, o.prefix ? o.code : undefined),
    // ref.test and ref.cast share their names with their nullable forms
    o.prefix === 0xfb && (o.code === 0x15 || o.code === 0x17) ? `${o.name} null` : o.name,
  ]),
);

/** The other forms counted, as the summary names them. */
export const NEW_FORMS = [
  'access to memory 1',
  'access to memory 2',
  'memory64 access',
  'memory.copy between memories',
  'memory.size/grow/fill/init of memory 1 or 2',
  'table64 instruction',
  'call_indirect through table64',
  'extended-const global',
  'extended-const segment offset',
  'catch',
  'catch_ref',
  'catch_all',
  'catch_all_ref',
  'shared memory',
] as const;

const CATCH_NAMES = ['catch', 'catch_ref', 'catch_all', 'catch_all_ref'];

const TABLE_OPS: Record<number, number> = { 0x25: 1, 0x26: 1, [opcodeOf(0xfc, 0x0c)]: 2, [opcodeOf(0xfc, 0x0e)]: 1, [opcodeOf(0xfc, 0x0f)]: 1, [opcodeOf(0xfc, 0x10)]: 1, [opcodeOf(0xfc, 0x11)]: 1 };

/** Reads limits: whether they are 64-bit, and shared */
function limitsFlags(r: Reader): { i64: boolean; shared: boolean } {
  const flags = r.u8();
  r.skipLeb();
  if (flags & 1) r.skipLeb();
  return { i64: (flags & 4) !== 0, shared: (flags & 2) !== 0 };
}

const limits64 = (r: Reader): boolean => limitsFlags(r).i64;

/** Adds to `coverage` ("3.0:<name>" keys) what of Wasm 3.0 the module holds. */
export function tallyNew(bytes: Uint8Array, module: Module | undefined, coverage: Record<string, number>): void {
  const add = (key: string, n = 1) => (coverage[`3.0:${key}`] = (coverage[`3.0:${key}`] ?? 0) + n);
  if (module) {
    const ext = module.globals.filter((g) => g.init.kind === 'ext').length;
    if (ext) add('extended-const global', ext);
    if ((module.offsets ?? []).some((o) => o.op !== 'plain')) add('extended-const segment offset');
  }
  try {
    const memories: boolean[] = [];
    const tables: boolean[] = [];
    const r = walkReader(bytes, HEADER_SIZE);
    while (!r.atEnd) {
      const { id, contentStart, end } = r.sectionHeader();
      const s = walkReader(bytes, contentStart, end);
      if (id === 4) {
        for (let n = s.uleb(); n > 0; n--) {
          const init = s.peek() === 0x40;
          if (init) s.skip(2);
          skipValType(s);
          tables.push(limits64(s));
          // the initializer: ref.func or ref.null (an index or heap type after each), then end
          if (init) for (let op = s.u8(); op !== 0x0b; op = s.u8()) s.skipLeb();
        }
      } else if (id === 5) {
        for (let n = s.uleb(); n > 0; n--) {
          const l = limitsFlags(s);
          memories.push(l.i64);
          if (l.shared) add('shared memory');
        }
      } else if (id === 10) {
        for (const body of codeBodies(bytes, contentStart, end)) {
          for (const ins of body) {
            const name = NEW_OPCODES.get(ins.opcode);
            if (name) add(name);
            if (ins.memarg) {
              if (ins.memarg.memory) add(`access to memory ${ins.memarg.memory}`);
              if (memories[ins.memarg.memory]) add('memory64 access');
              continue;
            }
            const imm = walkReader(bytes, ins.immediates, ins.end);
            if (ins.opcode === 0x1f) {
              skipBlockType(imm);
              for (const c of readCatches(imm)) add(CATCH_NAMES[c.kind]);
            } else if (ins.opcode === opcodeOf(0xfc, 0x0a)) {
              if (imm.uleb() !== imm.uleb()) add('memory.copy between memories');
            } else if (ins.opcode === 0x3f || ins.opcode === 0x40 || ins.opcode === opcodeOf(0xfc, 0x0b)) {
              if (imm.uleb()) add('memory.size/grow/fill/init of memory 1 or 2');
            } else if (ins.opcode === opcodeOf(0xfc, 0x08)) {
              imm.uleb();
              if (imm.uleb()) add('memory.size/grow/fill/init of memory 1 or 2');
            } else if (ins.opcode === 0x11 || ins.opcode === 0x13) {
              imm.uleb();
              if (tables[imm.uleb()]) add('call_indirect through table64');
            } else if (TABLE_OPS[ins.opcode]) {
              if (ins.opcode === opcodeOf(0xfc, 0x0c)) imm.uleb(); // table.init: the segment first
              if (tables[imm.uleb()]) add('table64 instruction');
            }
          }
        }
      }
      r.pos = end;
    }
  } catch (err) {
    if (!(err instanceof UnwalkableModule)) throw err;
  }
}

/** The summary line of the Wasm 3.0 coverage: every opcode and form with its count, those never seen named. */
export function newCoverageLine(seen: Record<string, number>): string {
  const keys = [...NEW_OPCODES.values(), ...NEW_FORMS];
  const counts = keys.map((k) => `${k} ${seen[`3.0:${k}`] ?? 0}`);
  const never = keys.filter((k) => !seen[`3.0:${k}`]);
  return `coverage of Wasm 3.0 (instructions in the cases run): ${counts.join(', ')}${never.length ? `; never: ${never.join(', ')}` : ''}`;
}
