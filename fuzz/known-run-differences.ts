// The differences between two engines' runs of a case that are understood (the run-time counterpart of
// known-differences.ts, which is about validation): each names who is right and is narrow enough to
// match the cases that show it only, so that the oracle (oracle.ts) tolerates exactly those calls.
import { HEADER_SIZE } from '../core/wasm/reader.js';
import { codeBodies, UnwalkableModule, walkReader } from './mutants/instructions.js';
import type { CallOutcome, Tolerated } from './oracle.js';

export interface KnownRunDifference {
  id: string;
  why: string;
  /** whether the module can show it at all, by what its code holds (read once per case) */
  applies(code: CodeFacts): boolean;
  /** whether two outcomes of a call (either engine's first) differ only by it */
  matches(x: CallOutcome, y: CallOutcome): boolean;
}

/** Each memory's maximum in bytes (Infinity without one), from the memory section. */
function memoryMaxima(bytes: Uint8Array): number[] {
  const out: number[] = [];
  const r = walkReader(bytes, HEADER_SIZE);
  while (!r.atEnd) {
    const { id, contentStart, end } = r.sectionHeader();
    if (id === 5) {
      const s = walkReader(bytes, contentStart, end);
      for (let n = s.uleb(); n > 0; n--) {
        const flags = s.u8();
        s.skipLeb();
        out.push(flags & 1 ? Number(s.ulebBigint()) * 65536 : Infinity);
      }
    }
    r.pos = end;
  }
  return out;
}

/** What the differences ask of a module's code, read in one walk of it. */
export interface CodeFacts {
  /** every opcode the code holds (prefix * 0x10000 + sub-opcode) */
  opcodes: Set<number>;
  /** whether it holds an atomic access whose offset and width alone pass its memory's maximum */
  atomicPastMaximum: boolean;
}

/** The module's code facts; what an unwalkable module's code holds before the unwalkable part. */
function codeFacts(bytes: Uint8Array): CodeFacts {
  const facts: CodeFacts = { opcodes: new Set(), atomicPastMaximum: false };
  const unlessUnwalkable = (err: unknown): void => {
    if (!(err instanceof UnwalkableModule)) throw err;
  };
  let maxima: number[] = []; // none known: no atomic access passes one
  try {
    maxima = memoryMaxima(bytes);
  } catch (err) {
    unlessUnwalkable(err);
  }
  try {
    const r = walkReader(bytes, HEADER_SIZE);
    while (!r.atEnd) {
      const { id, contentStart, end } = r.sectionHeader();
      if (id === 10) {
        for (const body of codeBodies(bytes, contentStart, end)) {
          for (const ins of body) {
            facts.opcodes.add(ins.opcode);
            if (ins.opcode >> 16 !== 0xfe || !ins.memarg || facts.atomicPastMaximum) continue;
            const width = 2 ** (walkReader(bytes, ins.immediates, ins.end).uleb() & 0x3f); // atomics: the natural alignment is the width
            if (Number(ins.memarg.offset) + width > maxima[ins.memarg.memory]) facts.atomicPastMaximum = true;
          }
        }
      }
      r.pos = end;
    }
  } catch (err) {
    unlessUnwalkable(err);
  }
  return facts;
}

const isTrap = (o: CallOutcome, trap: string): boolean => o.kind === 'trap' && o.trap === trap;

/** The two traps, one on each side, in either order. */
const trapPair = (x: CallOutcome, y: CallOutcome, a: string, b: string): boolean => (isTrap(x, a) && isTrap(y, b)) || (isTrap(x, b) && isTrap(y, a));

export const KNOWN_RUN_DIFFERENCES: readonly KnownRunDifference[] = [
  {
    id: 'v8-atomic-static-bounds',
    why:
      'A misaligned atomic access that is also out of bounds traps as unaligned (the threads reference interpreter ' +
      'checks the alignment first: eval.ml check_align, then the access), as the JIT does and V8 14 does, except where ' +
      'its offset and width alone pass the memory\'s maximum: V8 then traps out of bounds without looking at the address.',
    applies: (code) => code.atomicPastMaximum,
    matches: (x, y) => trapPair(x, y, 'out of bounds memory access', 'unaligned atomic'),
  },
  {
    id: 'v8-array-new-data-size-first',
    why:
      'array.new_data checks the data segment (offset + length × size against its bytes: "out of bounds memory access") ' +
      'before it allocates, as the spec orders it and the JIT does; V8 14 refuses a length past its array limit first ' +
      '("array too large").',
    applies: (code) => code.opcodes.has(0xfb0009),
    matches: (x, y) => trapPair(x, y, 'out of bounds memory access', 'array too large'),
  },
  {
    id: 'v8-array-new-elem-size-first',
    why:
      'array.new_elem checks the element segment (offset + length against its items: "out of bounds table access") ' +
      'before it allocates, as the spec orders it (Step_read/array.new_elem-oob, then the allocation) and the JIT does; ' +
      'V8 14 refuses a length past its array limit first ("array too large").',
    applies: (code) => code.opcodes.has(0xfb000a),
    matches: (x, y) => trapPair(x, y, 'table or indirect call', 'array too large'),
  },
  {
    id: 'v8-array-copy-bounds-before-null',
    why:
      'array.copy traps on a null source or destination before any bounds check, as the spec orders it and the JIT ' +
      'does; V8 14 checks the destination\'s bounds before the source\'s null.',
    applies: (code) => code.opcodes.has(0xfb0011),
    matches: (x, y) => trapPair(x, y, 'null reference', 'out of bounds array access'),
  },
  {
    id: 'v8-array-init-data-high-offset-first',
    why:
      'array.init_data whose array range and data segment range are both out of bounds traps "out of bounds array ' +
      'access": the spec checks the array first (Wasm 3.0 Step_read/array.init_data-oob1 before -oob2; the reference ' +
      'interpreter, eval.ml ArrayInitData; test/core/gc/array_init_data.wast), as the JIT and V8 14 do, except where ' +
      'the segment offset is 2^31 or more: V8 then reports the data segment ("out of bounds memory access").',
    applies: (code) => code.opcodes.has(0xfb0012),
    matches: (x, y) => trapPair(x, y, 'out of bounds memory access', 'out of bounds array access'),
  },
  {
    id: 'v8-array-init-elem-segment-first',
    why:
      'array.init_elem whose array range and element segment range are both out of bounds traps "out of bounds array ' +
      'access": the spec checks the array first (Wasm 3.0 Step_read/array.init_elem-oob1 before -oob2; eval.ml ' +
      'ArrayInitElem; test/core/gc/array_init_elem.wast), as the JIT does; V8 14 checks the element segment first ' +
      '("element segment out of bounds").',
    applies: (code) => code.opcodes.has(0xfb0013),
    matches: (x, y) => trapPair(x, y, 'table or indirect call', 'out of bounds array access'),
  },
];

/** The known run differences a module can show. */
export function runDifferencesOf(bytes: Uint8Array): KnownRunDifference[] {
  const code = codeFacts(bytes);
  return KNOWN_RUN_DIFFERENCES.filter((k) => k.applies(code));
}

/**
 * Whether an engine is a V8 (`v8`, `v8-node`, a mutant of V8: `v8-mutant:…`), whose departures these
 * differences are: they are tolerated between two engines only where one of them is a V8.
 */
export function isV8(engine: string): boolean {
  return engine === 'v8' || engine.startsWith('v8-');
}

/** What the known run differences a module can show tolerate between two engines (by name): nothing unless one is a V8. */
export function runTolerance(bytes: Uint8Array): (pair: [string, string]) => Tolerated {
  let known: KnownRunDifference[] | undefined; // read when first asked: most cases' runs agree exactly
  const tolerated: Tolerated = (x, y) => (known ??= runDifferencesOf(bytes)).some((k) => k.matches(x, y));
  const none: Tolerated = () => false;
  return (pair) => (pair.some(isV8) ? tolerated : none);
}
