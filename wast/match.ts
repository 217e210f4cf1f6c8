// Result patterns of assert_return against actual values, by the rules of the spec's reference interpreter.
import { bytesToLanes, laneInfo } from './parser.js';
import { f32BitsToDecimal, f64BitsToDecimal } from './literals.js';
import { Expected, LanePattern, LaneShape, NanKind, RefPattern } from './script.js';
import { formatRef, hex, RefValue, Value } from '../core/values.js';

const F32_EXP = 0x7f800000;
const F32_QUIET = 0x00400000;
const F64_EXP = 0x7ff0000000000000n;
const F64_QUIET = 0x0008000000000000n;
const F64_ABS = 0x7fffffffffffffffn;

/** nan:canonical is a quiet NaN with no other payload bit; nan:arithmetic has the quiet bit set. Either sign. */
export function f32MatchesNan(bits: number, nan: NanKind): boolean {
  const abs = (bits & 0x7fffffff) >>> 0;
  return nan === 'canonical' ? abs === (F32_EXP | F32_QUIET) >>> 0 : (abs & (F32_EXP | F32_QUIET)) >>> 0 === (F32_EXP | F32_QUIET) >>> 0;
}

export function f64MatchesNan(bits: bigint, nan: NanKind): boolean {
  const abs = bits & F64_ABS;
  return nan === 'canonical' ? abs === (F64_EXP | F64_QUIET) : (abs & (F64_EXP | F64_QUIET)) === (F64_EXP | F64_QUIET);
}

function laneMatches(shape: LaneShape, pattern: LanePattern, bits: bigint): boolean {
  if (pattern.kind === 'bits') return pattern.bits === bits;
  return shape === 'f32x4' ? f32MatchesNan(Number(bits), pattern.nan) : f64MatchesNan(bits, pattern.nan);
}

export function refMatches(p: RefPattern, r: RefValue): boolean {
  switch (p.kind) {
    case 'null':
      return r.kind === 'null';
    case 'func':
      // With an index, the engine must tell which function it is (V8 does; an engine that cannot fails)
      return r.kind === 'func' && (p.index === undefined || r.index === p.index);
    case 'extern':
      if (p.id === undefined) return r.kind === 'extern' || (r.kind === 'opaque' && r.heap === 'extern');
      return r.kind === 'extern' && r.id === p.id;
    case 'host':
      return r.kind === 'host' && r.id === p.id;
    case 'heap':
      switch (p.heap) {
        case 'any':
          return r.kind === 'host' || (r.kind === 'opaque' && r.heap !== 'exn' && r.heap !== 'extern');
        case 'eq':
          return r.kind === 'opaque' && ['eq', 'i31', 'struct', 'array'].includes(r.heap);
        default:
          return r.kind === 'opaque' && r.heap === p.heap;
      }
  }
}

export function matches(e: Expected, v: Value): boolean {
  switch (e.kind) {
    case 'either':
      return e.options.some((o) => matches(o, v));
    case 'nan':
      if (v.type !== e.type) return false;
      return v.type === 'f32' ? f32MatchesNan(v.bits, e.nan) : v.type === 'f64' && f64MatchesNan(v.bits, e.nan);
    case 'v128': {
      if (v.type !== 'v128') return false;
      const lanes = bytesToLanes(e.shape, v.bytes);
      return e.lanes.every((p, i) => laneMatches(e.shape, p, lanes[i]));
    }
    case 'ref':
      return v.type === 'ref' && refMatches(e.pattern, v.ref);
    case 'value': {
      const x = e.value;
      if (x.type !== v.type) return false;
      if (x.type === 'v128') return x.bytes.every((b, i) => b === (v as { bytes: Uint8Array }).bytes[i]);
      if (x.type === 'ref') return v.type === 'ref' && JSON.stringify(x.ref) === JSON.stringify(v.ref);
      return x.bits === (v as { bits: number | bigint }).bits;
    }
  }
}

/** Every result must match, and the counts must agree. */
export function resultsMatch(expected: Expected[], actual: Value[]): boolean {
  return expected.length === actual.length && expected.every((e, i) => matches(e, actual[i]));
}

// ---- descriptions for reports: hex and decimal for floats, lanes in the expected shape ----

function describeLane(shape: LaneShape, bits: bigint): string {
  if (shape === 'f32x4') return f32BitsToDecimal(Number(bits));
  if (shape === 'f64x2') return f64BitsToDecimal(bits);
  return bits.toString();
}

export function describeValue(v: Value, shape?: LaneShape): string {
  switch (v.type) {
    case 'i32':
      return `i32.const ${v.bits | 0} (${hex(v.bits, 8)})`;
    case 'i64':
      return `i64.const ${BigInt.asIntN(64, v.bits)} (${hex(v.bits, 16)})`;
    case 'f32':
      return `f32.const ${f32BitsToDecimal(v.bits)} (${hex(v.bits, 8)})`;
    case 'f64':
      return `f64.const ${f64BitsToDecimal(v.bits)} (${hex(v.bits, 16)})`;
    case 'v128': {
      const s = shape ?? 'i32x4';
      const lanes = bytesToLanes(s, v.bytes);
      const w = laneInfo(s).width / 4;
      return `v128.const ${s} ${lanes.map((l) => describeLane(s, l)).join(' ')} (${lanes.map((l) => hex(l, w)).join(' ')})`;
    }
    case 'ref':
      return formatRef(v.ref);
  }
}

export function describeExpected(e: Expected): string {
  switch (e.kind) {
    case 'value':
      return describeValue(e.value);
    case 'nan':
      return `${e.type}.const nan:${e.nan}`;
    case 'v128': {
      const lanes = e.lanes.map((l) => (l.kind === 'nan' ? `nan:${l.nan}` : describeLane(e.shape, l.bits)));
      return `v128.const ${e.shape} ${lanes.join(' ')}`;
    }
    case 'ref': {
      const p = e.pattern;
      if (p.kind === 'null') return `ref.null${p.heap ? ' ' + p.heap : ''}`;
      if (p.kind === 'func') return p.index === undefined ? 'ref.func' : `ref.func ${p.index}`;
      if (p.kind === 'extern') return `ref.extern${p.id === undefined ? '' : ' ' + p.id}`;
      if (p.kind === 'host') return `ref.host ${p.id}`;
      return `ref.${p.heap}`;
    }
    case 'either':
      return `either(${e.options.map(describeExpected).join(' | ')})`;
  }
}

/** The lane shape an expectation names, so an actual v128 is shown in the same shape. */
export function expectedShape(e: Expected | undefined): LaneShape | undefined {
  if (!e) return undefined;
  if (e.kind === 'v128') return e.shape;
  if (e.kind === 'either') return expectedShape(e.options[0]);
  return undefined;
}
