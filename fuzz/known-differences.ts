// The disagreements between the JIT (Wasm 2.0) and V8 11.3 that are understood: each is a small
// predicate over the case, and names the fixture that shows, by the Wasm 2.0 spec, who is right.
import { functionSizes, parseSections, readUleb } from './sections.js';
import { JitVerdict, V8Verdict } from './verdict.js';

export interface Disagreement {
  bytes: Uint8Array;
  jit: JitVerdict;
  v8: V8Verdict;
}

export interface KnownDifference {
  id: string;
  /** the .wast under fixtures/disagreements/ that demonstrates it */
  fixture: string;
  /** who is right, and why the other differs */
  why: string;
  matches(d: Disagreement): boolean;
}

/** V8's limit on a function's locals, parameters included (wasm-limits.h, kV8MaxWasmFunctionLocals). */
export const V8_MAX_LOCALS = 50_000;

function jitOffset(d: Disagreement): number {
  return d.jit.valid ? -1 : d.jit.offset;
}

/** The JIT refused the module as malformed at a byte holding `value`, with a message matching `message`. */
function jitMalformedAt(d: Disagreement, message: RegExp, value: number): boolean {
  return !d.jit.valid && d.jit.kind === 'malformed' && message.test(d.jit.message) && d.bytes[d.jit.offset] === value;
}

/**
 * A `select t*` (0x1C) whose type count is 1 modulo 256 but not 1, read by the JIT up to the error it
 * reported (the type vector it then reads, or the instruction itself for "invalid result arity").
 */
function selectCountTruncated(d: Disagreement): boolean {
  if (d.jit.valid) return false;
  const err = d.jit.offset;
  for (let p = 0; p <= err && p < d.bytes.length; p++) {
    if (d.bytes[p] !== 0x1c) continue;
    const n = readUleb(d.bytes, p + 1, 5);
    if (!n || n.value === 1n || n.value % 256n !== 1n) continue;
    if (err <= p + 1 + n.length + Number(n.value)) return true;
  }
  return false;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: 'tag-section',
    fixture: 'fixtures/disagreements/tag-section.wast',
    why:
      'Section id 13 is the tag section of exception handling, which V8 11.3 ships; Wasm 2.0 knows ids 0-12 only ' +
      '(binary 5.5.2), so the module is malformed, as the JIT says.',
    // The refused byte must be the id of a section whose header parses: not some other byte 13.
    matches: (d) =>
      d.v8.valid && jitMalformedAt(d, /^malformed section id$/, 13) && parseSections(d.bytes).some((s) => s.id === 13 && s.start === jitOffset(d)),
  },
  {
    id: 'tag-import',
    fixture: 'fixtures/disagreements/tag-import.wast',
    why:
      'Import kind 4 is a tag (exception handling), which V8 11.3 ships; Wasm 2.0 import descriptions know kinds ' +
      '0-3 (binary 5.5.5): malformed, as the 2.0 testsuite says ("malformed import kind"). Export kind 4 needs a tag, ' +
      'which only these two forms can bring, so the JIT always stops before it.',
    matches: (d) => d.v8.valid && (jitMalformedAt(d, /^malformed import kind$/, 4) || jitMalformedAt(d, /^malformed export kind$/, 4)),
  },
  {
    id: 'v8-locals-limit',
    fixture: 'fixtures/disagreements/v8-locals-limit.wast',
    why:
      `V8 refuses functions with more than ${V8_MAX_LOCALS} locals (parameters included), an implementation limit ` +
      '(spec appendix A.2 allows such limits); the spec bounds only the declared locals, by 2^32 (binary 5.5.13): valid, as the JIT says.',
    matches: (d) =>
      d.jit.valid &&
      !d.v8.valid &&
      /local count too large/.test(d.v8.message ?? '') &&
      functionSizes(d.bytes).some((f) => BigInt(f.params) + f.locals > BigInt(V8_MAX_LOCALS)),
  },
  {
    id: 'v8-select-type-count',
    fixture: 'fixtures/disagreements/v8-select-type-count.wast',
    why:
      'V8 11.3 reads the length of the type vector of `select t*` (0x1C) into 8 bits: a count of 257 or 65537 passes ' +
      'its "exactly one type" check and it reads one type. The spec reads a vec(valtype) of that length (binary 5.4.3, ' +
      'Parametric Instructions), so that many value types must follow (malformed otherwise), and a length other than ' +
      '1 is invalid (validation 3.3.3, select): the JIT is right; a V8 bug.',
    matches: (d) => d.v8.valid && selectCountTruncated(d),
  },
];

/** The first known difference that explains a disagreement, or undefined: unexplained. */
export function explain(d: Disagreement): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find((k) => k.matches(d));
}
