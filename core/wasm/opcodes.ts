// Every opcode of Wasm 3.0 and of the proposals the runner knows (threads, wide-arithmetic,
// custom-descriptors, legacy exceptions): the immediates that follow it, and the features it needs.
// Shared by the walkers of function bodies: feature-scan.ts reads the immediates to find features,
// fuzz/mutants/instructions.ts only measures them (and walks the Wasm 2.0 opcodes alone).

/**
 * What an instruction's immediates are, in the order they come. Each user reads them its own way
 * (a block type, say, is a value type or a type index to one and a LEB128 to skip to the other).
 */
export type Immediate =
  | 'blocktype' // 0x40, a value type, or an s33 type index
  | 'index' // a u32 of no further interest here: a label, a function, type, local, global, tag, field, data or element index
  | 'memory' // a memory index
  | 'table' // a table index
  | 'memarg' // alignment (bit 6: a memory index follows) and offset (u64 with memory64)
  | 'int' // i32.const's or i64.const's signed LEB128
  | 'f32' // 4 bytes
  | 'f64' // 8 bytes
  | 'v128' // 16 bytes: v128.const, i8x16.shuffle's lanes
  | 'lane' // one lane index byte
  | 'byte' // one byte: br_on_cast's cast flags, atomic.fence's 0x00
  | 'heaptype' // an s33 heap type
  | 'valtypes' // select t*: a vector of value types
  | 'labels' // br_table: a vector of labels, then the default
  | 'catches'; // try_table: a vector of catch clauses

/** The immediates of a fixed size, in bytes. */
export const IMMEDIATE_SIZES: Partial<Readonly<Record<Immediate, number>>> = { f32: 4, f64: 8, v128: 16, lane: 1, byte: 1 };

export interface OpcodeInfo {
  readonly immediates: readonly Immediate[];
  /** the features it needs beyond the MVP; a prefixed opcode's include its prefix's */
  readonly features: readonly string[];
}

export const GC_PREFIX = 0xfb;
export const FC_PREFIX = 0xfc;
export const SIMD_PREFIX = 0xfd;
export const ATOMIC_PREFIX = 0xfe;

/** The prefixes of the multi-byte opcodes (a u32 sub-opcode follows), with the feature all their instructions need. */
const PREFIX_FEATURES = new Map<number, string | undefined>([
  [GC_PREFIX, 'gc'],
  [FC_PREFIX, undefined], // saturating conversions, bulk memory, tables, wide arithmetic
  [SIMD_PREFIX, 'simd'],
  [ATOMIC_PREFIX, 'threads'],
]);

export const isPrefix = (byte: number): boolean => PREFIX_FEATURES.has(byte);

/** The feature every instruction behind `prefix` needs, if one does. */
export const prefixFeature = (prefix: number): string | undefined => PREFIX_FEATURES.get(prefix);

type Codes = number | readonly [first: number, last: number];
const op = (immediates: Immediate[] = [], ...features: string[]): OpcodeInfo => ({ immediates, features });

function table(entries: readonly (readonly [Codes, OpcodeInfo])[], prefix?: number): Map<number, OpcodeInfo> {
  const out = new Map<number, OpcodeInfo>();
  const feature = prefix === undefined ? undefined : prefixFeature(prefix);
  for (const [codes, info] of entries) {
    const [first, last] = typeof codes === 'number' ? [codes, codes] : codes;
    const entry = feature ? { immediates: info.immediates, features: [feature, ...info.features] } : info;
    for (let code = first; code <= last; code++) out.set(code, entry);
  }
  return out;
}

const SINGLE_BYTE = table([
  [0x00, op()], // unreachable
  [0x01, op()], // nop
  [[0x02, 0x04], op(['blocktype'])], // block loop if
  [0x05, op()], // else
  [0x06, op(['blocktype'], 'legacy-exceptions')], // try
  [0x07, op(['index'], 'legacy-exceptions')], // catch
  [0x08, op(['index'], 'exceptions')], // throw
  [0x09, op(['index'], 'legacy-exceptions')], // rethrow
  [0x0a, op([], 'exceptions')], // throw_ref
  [0x0b, op()], // end
  [[0x0c, 0x0d], op(['index'])], // br br_if
  [0x0e, op(['labels'])], // br_table
  [0x0f, op()], // return
  [0x10, op(['index'])], // call
  [0x11, op(['index', 'table'])], // call_indirect
  [0x12, op(['index'], 'tail-call')], // return_call
  [0x13, op(['index', 'table'], 'tail-call')], // return_call_indirect
  [0x14, op(['index'], 'typed-function-references')], // call_ref
  [0x15, op(['index'], 'tail-call', 'typed-function-references')], // return_call_ref
  [0x18, op(['index'], 'legacy-exceptions')], // delegate
  [0x19, op([], 'legacy-exceptions')], // catch_all
  [[0x1a, 0x1b], op()], // drop select
  [0x1c, op(['valtypes'], 'reference-types')], // select t*
  [0x1f, op(['blocktype', 'catches'], 'exceptions')], // try_table
  [[0x20, 0x24], op(['index'])], // local.get local.set local.tee global.get global.set
  [[0x25, 0x26], op(['table'], 'reference-types')], // table.get table.set
  [[0x28, 0x3e], op(['memarg'])], // loads and stores
  [[0x3f, 0x40], op(['memory'])], // memory.size memory.grow
  [[0x41, 0x42], op(['int'])], // i32.const i64.const
  [0x43, op(['f32'])], // f32.const
  [0x44, op(['f64'])], // f64.const
  [[0x45, 0xbf], op()], // numeric
  [[0xc0, 0xc4], op([], 'sign-extension')], // i32.extend8_s … i64.extend32_s
  [0xd0, op(['heaptype'], 'reference-types')], // ref.null
  [0xd1, op([], 'reference-types')], // ref.is_null
  [0xd2, op(['index'], 'reference-types')], // ref.func
  [0xd3, op([], 'gc')], // ref.eq
  [0xd4, op([], 'typed-function-references')], // ref.as_non_null
  [[0xd5, 0xd6], op(['index'], 'typed-function-references')], // br_on_null br_on_non_null
]);

const GC = table(
  [
    [[0x00, 0x01], op(['index'])], // struct.new(_default) type
    [[0x02, 0x05], op(['index', 'index'])], // struct.get(_s/_u) struct.set type field
    [[0x06, 0x07], op(['index'])], // array.new(_default) type
    [[0x08, 0x0a], op(['index', 'index'])], // array.new_fixed/new_data/new_elem type, count/data/element
    [[0x0b, 0x0e], op(['index'])], // array.get(_s/_u) array.set type
    [0x0f, op()], // array.len
    [0x10, op(['index'])], // array.fill type
    [[0x11, 0x13], op(['index', 'index'])], // array.copy array.init_data array.init_elem
    [[0x14, 0x17], op(['heaptype'])], // ref.test ref.cast (null)
    [[0x18, 0x19], op(['byte', 'index', 'heaptype', 'heaptype'])], // br_on_cast(_fail) flags label ht ht
    [[0x1a, 0x1e], op()], // any.convert_extern extern.convert_any ref.i31 i31.get_s i31.get_u
    [[0x20, 0x22], op(['index'], 'custom-descriptors')], // struct.new_desc struct.new_default_desc ref.get_desc
    [[0x23, 0x24], op(['heaptype'], 'custom-descriptors')], // ref.cast_desc_eq (null)
    [[0x25, 0x26], op(['byte', 'index', 'heaptype', 'heaptype'], 'custom-descriptors')], // br_on_cast_desc_eq(_fail)
  ],
  GC_PREFIX,
);

const FC = table(
  [
    [[0x00, 0x07], op([], 'saturating-conversions')], // i32.trunc_sat_f32_s … i64.trunc_sat_f64_u
    [0x08, op(['index', 'memory'], 'bulk-memory')], // memory.init data memory
    [0x09, op(['index'], 'bulk-memory')], // data.drop
    [0x0a, op(['memory', 'memory'], 'bulk-memory')], // memory.copy dst src
    [0x0b, op(['memory'], 'bulk-memory')], // memory.fill
    [0x0c, op(['index', 'table'], 'bulk-memory')], // table.init element table
    [0x0d, op(['index'], 'bulk-memory')], // elem.drop
    [0x0e, op(['table', 'table'], 'bulk-memory')], // table.copy dst src
    [[0x0f, 0x11], op(['table'], 'reference-types')], // table.grow table.size table.fill
    [[0x13, 0x16], op([], 'wide-arithmetic')], // i64.add128 i64.sub128 i64.mul_wide_s/u
  ],
  FC_PREFIX,
);

/** The SIMD sub-opcodes below 0x100 that no instruction has. */
const UNASSIGNED_SIMD = [0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee];

const SIMD = table(
  [
    [[0x00, 0x0b], op(['memarg'])], // v128.load … v128.store
    [[0x0c, 0x0d], op(['v128'])], // v128.const i8x16.shuffle
    [[0x0e, 0x14], op()], // i8x16.swizzle, the splats
    [[0x15, 0x22], op(['lane'])], // extract and replace lane
    [[0x23, 0x53], op()],
    [[0x54, 0x5b], op(['memarg', 'lane'])], // load and store lane
    [[0x5c, 0x5d], op(['memarg'])], // v128.load32_zero v128.load64_zero
    [[0x5e, 0xff], op()],
    [[0x100, 0x113], op([], 'relaxed-simd')],
  ],
  SIMD_PREFIX,
);
for (const sub of UNASSIGNED_SIMD) SIMD.delete(sub);

const ATOMIC = table(
  [
    [[0x00, 0x02], op(['memarg'])], // memory.atomic.notify, wait32, wait64
    [0x03, op(['byte'])], // atomic.fence 0x00
    [[0x10, 0x4e], op(['memarg'])], // atomic loads, stores and read-modify-writes
  ],
  ATOMIC_PREFIX,
);

const PREFIXED = new Map([
  [GC_PREFIX, GC],
  [FC_PREFIX, FC],
  [SIMD_PREFIX, SIMD],
  [ATOMIC_PREFIX, ATOMIC],
]);

/** The instruction of a single-byte opcode, or of a prefix and its sub-opcode; undefined for none known. */
export function opcodeInfo(first: number, sub?: number): OpcodeInfo | undefined {
  return sub === undefined ? SINGLE_BYTE.get(first) : PREFIXED.get(first)?.get(sub);
}
