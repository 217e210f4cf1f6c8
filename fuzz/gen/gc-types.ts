// The GC types the generator makes values of: a fixed catalog, as REF_SIGS is for typed function
// references, so every tree knows its field types statically and every shrunk tree stays valid. A
// rec group of struct types in subtype chains (width subtyping $A < $B < $C, a sibling $D, depth
// subtyping of an immutable reference field $P < $Q), arrays of every storage type (packed, mutable
// and not, of references), a function type inside the group, then a second group of one final struct
// that no cast into the first group's types can pass. The groups come first in the type section, so
// a catalog index is its type index.
import type { StackType } from './ast.js';

/** (ref null ht) or (ref ht) in the any hierarchy: ht a catalog index or an abstract heap type */
export type GcRef = `gc null ${string}` | `gc ${string}`;
export type Heap = number | 'any' | 'eq' | 'i31' | 'struct' | 'array' | 'none';
export type Storage = 'i32' | 'i64' | 'f32' | 'f64' | 'i8' | 'i16' | GcRef;
export interface Field {
  type: Storage;
  mutable: boolean;
}
export type GcDef =
  | { kind: 'struct'; fields: Field[]; super?: number; final: boolean }
  | { kind: 'array'; elem: Field; super?: number; final: boolean }
  | { kind: 'func'; params: StackType[]; results: StackType[] };

const f = (type: Storage, mutable = false): Field => ({ type, mutable });
const A = [f('i32', true)];
const B = [...A, f('i64'), f('i8', true), f('i16')];

export const GC_GROUPS: readonly (readonly GcDef[])[] = [
  [
    { kind: 'struct', fields: A, final: false }, // 0 $A
    { kind: 'struct', fields: B, super: 0, final: false }, // 1 $B
    { kind: 'struct', fields: [...B, f('f32', true), f('f64'), f('gc null 0', true)], super: 1, final: true }, // 2 $C
    { kind: 'struct', fields: [...A, f('gc null 1', true), f('i16', true)], super: 0, final: false }, // 3 $D
    { kind: 'struct', fields: [f('gc null 0'), f('i64', true)], final: false }, // 4 $P
    { kind: 'struct', fields: [f('gc 1'), f('i64', true), f('i8')], super: 4, final: true }, // 5 $Q: (ref $B) for (ref null $A)
    { kind: 'array', elem: f('i8', true), final: false }, // 6
    { kind: 'array', elem: f('i16', true), final: true }, // 7
    { kind: 'array', elem: f('i32', true), final: true }, // 8
    { kind: 'array', elem: f('i64', true), final: true }, // 9
    { kind: 'array', elem: f('f64', true), final: true }, // 10
    { kind: 'array', elem: f('gc null 0', true), final: true }, // 11
    { kind: 'array', elem: f('i32'), final: true }, // 12: immutable
    { kind: 'func', params: ['gc null 0' as StackType], results: ['i32'] }, // 13
  ],
  [{ kind: 'struct', fields: [f('i32', true)], final: true }], // 14 $E: $A's shape, another type
];

export const GC_DEFS: readonly GcDef[] = GC_GROUPS.flat();
export const GC_TYPE_COUNT = GC_DEFS.length;

export const STRUCTS = GC_DEFS.flatMap((d, i) => (d.kind === 'struct' ? [i] : []));
export const ARRAYS = GC_DEFS.flatMap((d, i) => (d.kind === 'array' ? [i] : []));
export const ABSTRACT: readonly Heap[] = ['any', 'eq', 'i31', 'struct', 'array', 'none'];
/** every heap type of the any hierarchy: casts and tests target them all */
export const HEAPS: readonly Heap[] = [...ABSTRACT, ...STRUCTS, ...ARRAYS];

export const gcRef = (h: Heap, nullable: boolean): GcRef => (nullable ? `gc null ${h}` : `gc ${h}`);
export const isGcRef = (t: string): t is GcRef => t.startsWith('gc ');

export function gcRefOf(t: string): { heap: Heap; nullable: boolean } | undefined {
  if (!isGcRef(t)) return undefined;
  const nullable = t.startsWith('gc null ');
  const s = t.slice(nullable ? 8 : 3);
  return { heap: /^\d+$/.test(s) ? Number(s) : (s as Heap), nullable };
}

/** Whether heap type a is b or below it. */
export function heapSub(a: Heap, b: Heap): boolean {
  if (a === b || a === 'none' || b === 'any') return true;
  if (typeof a === 'number') {
    const d = GC_DEFS[a];
    if (d.kind === 'func') return false;
    if (b === 'eq' || b === d.kind) return true;
    return d.super !== undefined && heapSub(d.super, b);
  }
  return b === 'eq' && (a === 'i31' || a === 'struct' || a === 'array');
}

export function gcSubtype(a: string, b: string): boolean {
  const x = gcRefOf(a);
  const y = gcRefOf(b);
  return !!x && !!y && (y.nullable || !x.nullable) && heapSub(x.heap, y.heap);
}

/** what a field's storage type reads as on the stack: packed ones as i32 */
export const unpacked = (s: Storage): StackType => (s === 'i8' || s === 'i16' ? 'i32' : (s as StackType));
export const isPacked = (s: Storage): boolean => s === 'i8' || s === 'i16';
/** a field has a default value: it is not a non-nullable reference */
export const defaultable = (fields: readonly Field[]): boolean => fields.every((x) => !x.type.startsWith('gc ') || x.type.startsWith('gc null '));
export const fieldsOf = (def: number): readonly Field[] => {
  const d = GC_DEFS[def];
  return d.kind === 'struct' ? d.fields : d.kind === 'array' ? [d.elem] : [];
};

const HEAP_CODE: Record<string, number> = { any: 0x6e, eq: 0x6d, i31: 0x6c, struct: 0x6b, array: 0x6a, none: 0x71 };

/** a heap type's bytes: an abstract one's code, or the catalog index as an s33 (small: one byte below 64) */
export function heapBytes(h: Heap): number[] {
  if (typeof h === 'number') return [h]; // the catalog has fewer than 64 types
  return [HEAP_CODE[h]];
}

/** (ref null ht) or (ref ht) as bytes */
export const gcTypeBytes = (t: GcRef): number[] => {
  const r = gcRefOf(t)!;
  return [r.nullable ? 0x63 : 0x64, ...heapBytes(r.heap)];
};

/** the type section's entries for the catalog: each group a rec group; `valType` writes a function type's value types */
export function writeGcGroups(out: number[], valType: (t: StackType) => number[]): void {
  const u32 = (n: number) => out.push(n); // every count here is below 128
  const storage = (s: Storage) => out.push(...(s === 'i8' ? [0x78] : s === 'i16' ? [0x77] : valType(s as StackType)));
  for (const group of GC_GROUPS) {
    out.push(0x4e);
    u32(group.length);
    for (const d of group) {
      if (d.kind === 'func') {
        out.push(0x60);
        u32(d.params.length);
        d.params.forEach((p) => out.push(...valType(p)));
        u32(d.results.length);
        d.results.forEach((r) => out.push(...valType(r)));
        continue;
      }
      // sub (open to subtypes) or sub final with its supertype; a final one without a supertype written plainly
      if (!d.final || d.super !== undefined) {
        out.push(d.final ? 0x4f : 0x50);
        if (d.super === undefined) u32(0);
        else out.push(1, d.super);
      }
      const fields = d.kind === 'struct' ? d.fields : [d.elem];
      out.push(d.kind === 'struct' ? 0x5f : 0x5e);
      if (d.kind === 'struct') u32(fields.length);
      for (const x of fields) {
        storage(x.type);
        out.push(x.mutable ? 1 : 0);
      }
    }
  }
}
