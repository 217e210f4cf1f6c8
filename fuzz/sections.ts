// The few bits of the binary format the fuzzer must see without a decoder: LEB128 numbers and the
// section headers (id, size). Tolerant by design: mutated bytes are read as far as they make sense.

export interface Leb {
  value: bigint;
  /** bytes used */
  length: number;
}

/** An unsigned LEB128 at `at`, at most `maxBytes` long; undefined if it runs off the end or past maxBytes. */
export function readUleb(bytes: Uint8Array, at: number, maxBytes = 10): Leb | undefined {
  let value = 0n;
  for (let i = 0; i < maxBytes && at + i < bytes.length; i++) {
    const b = bytes[at + i];
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if (!(b & 0x80)) return { value, length: i + 1 };
  }
  return undefined;
}

/** The minimal unsigned LEB128 encoding of `value`, padded with continuation bytes to `minLength`. */
export function encodeUleb(value: bigint, minLength = 1): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n || out.length + 1 < minLength) b |= 0x80;
    out.push(b);
  } while (v !== 0n || out.length < minLength);
  return out;
}

/** The signed LEB128 encoding of `value` (two's complement), minimal length. */
export function encodeSleb(value: bigint): number[] {
  const out: number[] = [];
  let v = value;
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n; // arithmetic shift on bigint
    const signBit = (b & 0x40) !== 0;
    if ((v === 0n && !signBit) || (v === -1n && signBit)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export interface Section {
  id: number;
  /** offset of the id byte */
  start: number;
  /** offset of the first content byte */
  contentStart: number;
  /** offset of the size field */
  sizeAt: number;
  /** one past the last content byte */
  end: number;
}

export const HEADER_SIZE = 8;

/**
 * The sections of a module, in order, as far as their headers parse and fit; the walk stops at the
 * first header that does not (a mutated module may have a broken one).
 */
export function parseSections(bytes: Uint8Array): Section[] {
  const out: Section[] = [];
  let at = HEADER_SIZE;
  while (at < bytes.length) {
    const id = bytes[at];
    const size = readUleb(bytes, at + 1, 5);
    if (!size) break;
    const contentStart = at + 1 + size.length;
    const end = contentStart + Number(size.value);
    if (end > bytes.length) break;
    out.push({ id, start: at, sizeAt: at + 1, contentStart, end });
    at = end;
  }
  return out;
}

/** The section containing byte `offset`, if the headers parse that far. */
export function sectionAt(bytes: Uint8Array, offset: number): Section | undefined {
  return parseSections(bytes).find((s) => offset >= s.start && offset < s.end);
}
