// Wasm 3.0 mutants that rewrite an instruction into a short sequence (rewrite.ts applies them; each
// keeps the module valid where it applies, and a rewrite that would not is no rewrite there: the
// mutant engine then runs the module as it is):
// - call_ref's null check dropped: a null callee returns zeros (what calling through a null entry
//   might do without the check) instead of trapping;
// - memory 1 accessed as memory 0: a load's or store's memory index 1 made 0 (where both have the
//   same address type);
// - memory64 addresses truncated to 32 bits: an i64 address anded with 0xffffffff before a load or
//   store on a memory64 memory, so one past 4 GiB wraps into the memory instead of trapping;
// - memory64 bounds check off by one: an access on a memory64 memory that ends exactly at the
//   memory's end traps (its address made -1);
// - a catch of a tag without parameters made a catch of every exception (catch → catch_all,
//   catch_ref → catch_all_ref: the same values to the same label), so other tags are caught too;
// - cmpxchg made an exchange: the expected value dropped, the replacement stored whatever was there;
// - an array's bounds check off by one: array.get at index len reads element len - 1 instead of trapping.
import { u32 as encodeU32 } from '../../core/wasm/writer.js';
import { Bytes } from '../gen/bytes.js';
import type { Instruction } from './instructions.js';
import { naturalAlignmentLog2, readCatches, skipBlockType, walkReader } from './instructions.js';
import type { FunctionContext } from './rewrite.js';
import { atomic, gc, Opcode, simd, Twin } from './twins.js';

/** An instruction's replacement, or undefined to leave it as it is. */
export type CustomRewrite = (ins: Instruction, bytes: Uint8Array, ctx: FunctionContext) => number[] | undefined;

const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;
const F64 = 0x7c;
const V128 = 0x7b;

/** The zero of a value type (its bytes), or undefined for a non-nullable reference, which has none. */
function zeroOf(t: number[]): number[] | undefined {
  switch (t[0]) {
    case I32:
      return [0x41, 0];
    case I64:
      return [0x42, 0];
    case F32:
      return [0x43, 0, 0, 0, 0];
    case F64:
      return [0x44, 0, 0, 0, 0, 0, 0, 0, 0];
    case V128:
      return [0xfd, 0x0c, ...Array<number>(16).fill(0)];
    case 0x63: // (ref null ht): ref.null ht
      return [0xd0, ...t.slice(1)];
    case 0x64:
      return undefined;
    default:
      return [0xd0, t[0]]; // funcref, externref…: ref.null of the abstract heap type
  }
}

const local = (op: 0x20 | 0x21 | 0x22, index: number): number[] => [op, ...encodeU32(index)];

/** call_ref $t with a null callee: its arguments dropped, zeros for its results, instead of the trap. */
const callRefNullCheckDropped: CustomRewrite = (ins, bytes, ctx) => {
  const r = walkReader(bytes, ins.immediates, ins.end);
  const typeIndex = r.uleb();
  const type = ctx.types[typeIndex];
  if (!type) return undefined;
  const zeros = type.results.map(zeroOf);
  if (zeros.some((z) => z === undefined)) return undefined;
  const ref = ctx.addLocal([0x63, ...encodeU32(typeIndex)]); // (ref null $t): s33 of a small index is its u32
  const b = new Bytes();
  b.bytes(local(0x21, ref));
  b.bytes([...local(0x20, ref), 0xd1]); // ref.is_null
  b.byte(0x04); // if (type $t): the arguments are its parameters
  b.s32(typeIndex);
  for (let k = 0; k < type.params.length; k++) b.byte(0x1a);
  for (const z of zeros) b.bytes(z!);
  b.byte(0x05);
  b.bytes([...local(0x20, ref), 0x14, ...encodeU32(typeIndex)]);
  b.byte(0x0b);
  return b.out;
};

/** The bytes of a memarg with another memory index. */
function memargWith(bytes: Uint8Array, ins: Instruction, memory: number): number[] {
  const r = walkReader(bytes, ins.immediates, ins.end);
  const flags = r.uleb();
  if (flags & 0x40) r.uleb();
  const rest = Array.from(bytes.subarray(r.pos, ins.end)); // offset (and a lane index)
  return [...encodeU32((flags & 0x3f) | (memory ? 0x40 : 0)), ...(memory ? encodeU32(memory) : []), ...rest];
}

/** memory index 1 made 0 on a load or store */
const memorySwapped: CustomRewrite = (ins, bytes) => {
  if (ins.memarg?.memory !== 1) return undefined;
  return [...Array.from(bytes.subarray(ins.at, ins.immediates)), ...memargWith(bytes, ins, 0)];
};

/** The loads and stores (with a memarg), and the type of a store's value (or of a lane access's vector), undefined for a load. */
function accessValue(op: Opcode): number | undefined | 'not' {
  if (naturalAlignmentLog2(op) === undefined) return 'not';
  if (op >= 0x28 && op <= 0x35) return undefined; // loads
  if (op === 0x36 || op === 0x3a || op === 0x3b) return I32;
  if (op === 0x37 || op === 0x3c || op === 0x3d || op === 0x3e) return I64;
  if (op === 0x38) return F32;
  if (op === 0x39) return F64;
  const sub = op - simd(0);
  if (sub === 0x0b || (sub >= 0x54 && sub <= 0x5b)) return V128; // v128.store, the lane loads and stores (a vector on top)
  return undefined; // the other SIMD loads
}

export const isAccess = (op: Opcode): boolean => accessValue(op) !== 'not';

/**
 * A rewrite of an access on a memory64 memory: `address` turns the i64 address on top of the stack
 * into another (given the memarg's memory and offset, and the access's width); a store's value (or a
 * lane access's vector) is kept in a new local meanwhile.
 */
function onMemory64Address(address: (memory: number, offset: bigint, width: number) => number[]): CustomRewrite {
  return (ins, bytes, ctx) => {
    const value = accessValue(ins.opcode);
    if (value === 'not' || !ins.memarg || !ctx.memories[ins.memarg.memory]?.i64) return undefined;
    const width = 2 ** naturalAlignmentLog2(ins.opcode)!;
    const out: number[] = [];
    const stash = value === undefined ? -1 : ctx.addLocal([value]);
    if (stash >= 0) out.push(...local(0x21, stash));
    out.push(...address(ins.memarg.memory, ins.memarg.offset, width));
    if (stash >= 0) out.push(...local(0x20, stash));
    out.push(...Array.from(bytes.subarray(ins.at, ins.end)));
    return out;
  };
}

/** i64.const n */
const i64Const = (n: bigint): number[] => {
  const b = new Bytes();
  b.byte(0x42);
  b.s64(n);
  return b.out;
};

/** the address anded with 0xffffffff */
const truncated = onMemory64Address(() => [...i64Const(0xffffffffn), 0x83]);

/** the address made -1 (out of bounds) where the access would end exactly at the memory's end */
const offByOne: CustomRewrite = (ins, bytes, ctx) => {
  if (!ins.memarg || !ctx.memories[ins.memarg.memory]?.i64) return undefined;
  const a = ctx.addLocal([I64]);
  return onMemory64Address((memory, offset, width) => {
    const b = new Bytes();
    b.bytes(local(0x22, a));
    b.bytes(i64Const(BigInt.asIntN(64, offset + BigInt(width))));
    b.byte(0x7c); // i64.add: where the access ends
    b.byte(0x3f);
    b.u32(memory);
    b.bytes([...i64Const(16n), 0x86, 0x51]); // memory.size << 16; i64.eq
    b.bytes([0x04, I64, ...i64Const(-1n), 0x05, ...local(0x20, a), 0x0b]); // if (result i64) -1 else the address end
    return b.out;
  })(ins, bytes, ctx);
};

/** try_table's clauses catching a tag without parameters made catch_all (catch_ref: catch_all_ref) */
const catchAll: CustomRewrite = (ins, bytes, ctx) => {
  const r = walkReader(bytes, ins.immediates, ins.end);
  skipBlockType(r);
  const blockType = Array.from(bytes.subarray(ins.immediates, r.pos));
  let changed = false;
  const clauses = readCatches(r).map((c) => {
    if (c.kind > 1 || ctx.types[ctx.tags[c.tag!]]?.params.length !== 0) return c;
    changed = true;
    return { kind: c.kind + 2, label: c.label };
  });
  if (!changed) return undefined;
  const b = new Bytes();
  b.byte(0x1f);
  b.bytes(blockType);
  b.vec(clauses, (c) => {
    b.byte(c.kind);
    if (c.tag !== undefined) b.u32(c.tag);
    b.u32(c.label);
  });
  return b.out;
};

/** cmpxchg's (0x48-0x4e) expected value dropped from under the replacement, then the exchange of that width (0x41-0x47) */
const cmpxchgToXchg: CustomRewrite = (ins, bytes, ctx) => {
  const sub = ins.opcode - atomic(0);
  const value = [0x48, 0x4a, 0x4b].includes(sub) ? I32 : I64;
  const keep = ctx.addLocal([value]);
  return [...local(0x21, keep), 0x1a, ...local(0x20, keep), 0xfe, ...encodeU32(sub - 7), ...Array.from(bytes.subarray(ins.immediates, ins.end))];
};

const isCmpxchg = (op: Opcode): boolean => op >= atomic(0x48) && op <= atomic(0x4e);

/** array.get (and _s, _u) of type $t: the index minus (index == array.len), the reference and the index kept in locals meanwhile */
const arrayOffByOne: CustomRewrite = (ins, bytes, ctx) => {
  const typeIndex = walkReader(bytes, ins.immediates, ins.end).uleb();
  const refType = new Bytes();
  refType.byte(0x63); // (ref null $t)
  refType.s32(typeIndex);
  const index = ctx.addLocal([I32]);
  const ref = ctx.addLocal(refType.out);
  return [
    ...local(0x21, index),
    ...local(0x22, ref),
    ...local(0x20, index),
    ...local(0x20, index),
    ...local(0x20, ref),
    0xfb, 0x0f, // array.len
    0x46, 0x6b, // i32.eq; i32.sub
    ...Array.from(bytes.subarray(ins.at, ins.end)),
  ];
};

const isArrayGet = (op: Opcode): boolean => op >= gc(0x0b) && op <= gc(0x0d);

/** The Wasm 3.0 twins with rewrites of their own. */
export const CUSTOM_TWINS: readonly Twin[] = [
  { name: 'call_ref null check dropped (a null callee returns zeros)', from: 0x14, fromName: 'call_ref', to: [], toNames: [], custom: callRefNullCheckDropped, features: ['typed-function-references'] },
  { name: 'memory 1 accessed as memory 0 (loads and stores)', from: 0x28, fromName: 'i32.load', to: [], toNames: [], custom: memorySwapped, matches: isAccess, features: ['multi-memory'] },
  { name: 'memory64 address truncated to 32 bits (loads and stores)', from: 0x28, fromName: 'i32.load', to: [], toNames: [], custom: truncated, matches: isAccess, features: ['memory64'] },
  { name: 'memory64 bounds check off by one (an access ending at the last byte traps)', from: 0x28, fromName: 'i32.load', to: [], toNames: [], custom: offByOne, matches: isAccess, features: ['memory64'] },
  { name: 'catch→catch_all (a tag without parameters: every exception caught)', from: 0x1f, fromName: 'try_table', to: [], toNames: [], custom: catchAll, features: ['exceptions'] },
  { name: 'cmpxchg→xchg (the expected value dropped)', from: atomic(0x48), fromName: 'i32.atomic.rmw.cmpxchg', to: [], toNames: [], custom: cmpxchgToXchg, matches: isCmpxchg, features: ['threads'] },
  { name: 'array bounds check off by one (index len reads the last element)', from: gc(0x0b), fromName: 'array.get', to: [], toNames: [], custom: arrayOffByOne, matches: isArrayGet, features: ['gc'] },
];
