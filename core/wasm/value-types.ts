// The binary encodings of value types that the module reader and writer share (module-info.ts,
// writer.ts; feature-scan.ts keeps its own byte table, which adds what each type needs).

/** The numeric and vector types' bytes. */
export const NUMERIC_TYPE_CODES: Readonly<Record<string, number>> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** The abstract heap types' bytes; as a value type, the byte alone is the nullable reference (funcref). */
export const ABSTRACT_HEAP_CODES: Readonly<Record<string, number>> = {
  func: 0x70, extern: 0x6f, any: 0x6e, eq: 0x6d, i31: 0x6c, struct: 0x6b, array: 0x6a, exn: 0x69,
  none: 0x71, noextern: 0x72, nofunc: 0x73, noexn: 0x74,
};

/** (ref null ht) and (ref ht): the byte, then the heap type. */
export const REF_NULL = 0x63;
export const REF = 0x64;
/** Custom descriptors: the prefix of an exact heap type. */
export const EXACT = 0x62;

/** The name of each byte of a table above: its inverse. */
export function namesByCode(codes: Readonly<Record<string, number>>): Readonly<Record<number, string>> {
  return Object.fromEntries(Object.entries(codes).map(([name, code]) => [code, name]));
}
