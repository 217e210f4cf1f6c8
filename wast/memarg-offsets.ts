// A rule of the Wasm 2.0 text format that our assembler does not apply: a memory instruction's
// `offset=` must fit in 32 bits (the spec's parser says "i32 constant"). wasm-tools reads 3.0's text,
// which takes any offset below 2^64 for any memory (3.0 calls such a module invalid instead, so only
// assert_malformed asks this question; spec-version.ts applies the rule to 2.0 scripts).

const OFFSET = /\boffset=(0x[0-9a-fA-F_]+|[0-9_]+)/g;
// A standalone i64 token (`(memory i64 1)`, `(param i64)`), not an instruction such as i64.load.
const I64_TOKEN = /\bi64(?=[\s)])/;

/**
 * Why the text is malformed by that rule, or undefined. Conservative: a text with any standalone
 * i64 token (which may declare a 64-bit memory) is left to the assembler.
 */
export function memargOffsetError(text: string): string | undefined {
  if (!text.includes('offset=') || I64_TOKEN.test(text)) return undefined;
  for (const m of text.matchAll(OFFSET)) {
    const value = BigInt(m[1].replace(/_/g, ''));
    if (value > 0xffffffffn) return `i32 constant: offset=${m[1]} does not fit in 32 bits (the memories are 32-bit)`;
  }
  return undefined;
}
