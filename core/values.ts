// Values that cross the Engine boundary, exact to the bit.

export type NumType = 'i32' | 'i64' | 'f32' | 'f64';
export type ValType = NumType | 'v128' | RefType;

/** A reference type as the binary format names it: nullable or not, over a heap type. */
export interface RefType {
  ref: true;
  nullable: boolean;
  heap: string; // 'func', 'extern', 'any', 'eq', 'i31', 'struct', 'array', 'exn', 'none', 'nofunc', 'noextern', 'noexn', or a type index as a decimal string
  exact?: boolean; // (ref exact $t): custom descriptors
}

export type Value =
  | { type: 'i32'; bits: number } // u32 bit pattern
  | { type: 'i64'; bits: bigint } // u64 bit pattern
  | { type: 'f32'; bits: number } // u32 bit pattern: NaN payloads survive
  | { type: 'f64'; bits: bigint } // u64 bit pattern
  | { type: 'v128'; bytes: Uint8Array } // 16 bytes, lane 0 first (little-endian)
  | { type: 'ref'; ref: RefValue };

/**
 * A reference. `handle` is engine-owned (a JS function for V8, a native handle for the JIT);
 * host references are the script's `ref.extern N` / `ref.host N` values.
 */
export type RefValue =
  | { kind: 'null'; heap: string }
  | { kind: 'host'; id: number } // ref.host N (an anyref host value)
  | { kind: 'extern'; id: number } // ref.extern N
  | { kind: 'func'; handle: unknown; index?: number } // index: in its module, where the engine can tell
  | { kind: 'opaque'; heap: string; handle: unknown }; // any other non-null reference (struct, array, i31, exn, …)

export function typeName(t: ValType): string {
  if (typeof t === 'string') return t;
  return `(ref ${t.nullable ? 'null ' : ''}${t.heap})`;
}

export function hex(n: number | bigint, digits: number): string {
  return '0x' + n.toString(16).padStart(digits, '0');
}

export function formatValue(v: Value): string {
  switch (v.type) {
    case 'i32':
      return `i32:${hex(v.bits, 8)}`;
    case 'i64':
      return `i64:${hex(v.bits, 16)}`;
    case 'f32':
      return `f32:${hex(v.bits, 8)}`;
    case 'f64':
      return `f64:${hex(v.bits, 16)}`;
    case 'v128':
      return `v128:${Array.from(v.bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')}`;
    case 'ref':
      return formatRef(v.ref);
  }
}

export function formatRef(r: RefValue): string {
  switch (r.kind) {
    case 'null':
      return `ref.null ${r.heap}`;
    case 'host':
      return `ref.host ${r.id}`;
    case 'extern':
      return `ref.extern ${r.id}`;
    case 'func':
      return r.index === undefined ? 'ref.func' : `ref.func ${r.index}`;
    case 'opaque':
      return `ref.${r.heap}`;
  }
}
