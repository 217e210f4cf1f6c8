// The few bits of the binary format the fuzzer must see without a decoder: LEB128 numbers and the
// section headers (id, size). Tolerant by design: mutated bytes are read as far as they make sense.
// The reading is the shared Reader's (core/wasm/reader.ts); what it cannot read is undefined here.
import { HEADER_SIZE, ReadError, Reader, SectionHeader } from '../core/wasm/reader.js';
import { s64 } from '../core/wasm/writer.js';

export { HEADER_SIZE };

export interface Leb {
  value: bigint;
  /** bytes used */
  length: number;
}

/** What `read` returns, or undefined where it met bytes it cannot read. */
function tolerant<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (err instanceof ReadError) return undefined;
    throw err;
  }
}

/** An unsigned LEB128 at `at`, at most `maxBytes` long; undefined if it runs off the end or past maxBytes. */
export function readUleb(bytes: Uint8Array, at: number, maxBytes = 10): Leb | undefined {
  const r = new Reader(bytes, { start: at });
  const value = tolerant(() => r.ulebBigint(maxBytes));
  return value === undefined ? undefined : { value, length: r.pos - at };
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

/** The signed LEB128 encoding of `value` (two's complement), minimal length: the harness's own encoder. */
export const encodeSleb = s64;

export type Section = SectionHeader;

/**
 * The sections of a module, in order, as far as their headers parse and fit; the walk stops at the
 * first header that does not (a mutated module may have a broken one).
 */
export function parseSections(bytes: Uint8Array): Section[] {
  const out: Section[] = [];
  const r = new Reader(bytes, { start: HEADER_SIZE });
  while (!r.atEnd) {
    const section = tolerant(() => r.sectionHeader());
    if (!section || section.end > bytes.length) break;
    out.push(section);
    r.pos = section.end;
  }
  return out;
}

/** The section containing byte `offset`, if the headers parse that far. */
export function sectionAt(bytes: Uint8Array, offset: number): Section | undefined {
  return parseSections(bytes).find((s) => offset >= s.start && offset < s.end);
}

export interface Body {
  /** offset of the body's size field, and its length in bytes */
  sizeAt: number;
  sizeLength: number;
  /** the body's bytes: [start, end) */
  start: number;
  end: number;
  /** offsets of the number of local runs, then of each run's count */
  localCountSites: number[];
}

/** The function bodies of a code section, as far as their sizes parse and fit in the section. */
export function parseBodies(bytes: Uint8Array, code: Section): Body[] {
  const out: Body[] = [];
  const count = readUleb(bytes, code.contentStart, 5);
  if (!count) return out;
  let at = code.contentStart + count.length;
  for (let i = 0n; i < count.value && at < code.end; i++) {
    const size = readUleb(bytes, at, 5);
    if (!size) break;
    const start = at + size.length;
    const end = start + Number(size.value);
    if (end > code.end) break;
    const sites: number[] = [];
    const runs = readUleb(bytes, start, 5);
    if (runs && start < end) {
      sites.push(start);
      let p = start + runs.length;
      for (let k = 0n; k < runs.value && p < end; k++) {
        const n = readUleb(bytes, p, 5);
        if (!n) break;
        sites.push(p);
        p += n.length + 1; // the count, then one value type byte
      }
    }
    out.push({ sizeAt: at, sizeLength: size.length, start, end, localCountSites: sites });
    at = end;
  }
  return out;
}

/**
 * Replaces bytes [at, at+remove) by `insert` and, when `fixSizes`, rewrites the size of the enclosing
 * function body and section so the change stays inside them: an insertion that only broke the sizes
 * would die at the first size check and never reach the validator.
 */
export function splice(bytes: Uint8Array, at: number, remove: number, insert: ArrayLike<number> = [], fixSizes = false): Uint8Array {
  const plain = (b: Uint8Array, p: number, r: number, ins: ArrayLike<number>): Uint8Array => {
    const out = new Uint8Array(b.length - r + ins.length);
    out.set(b.subarray(0, p), 0);
    out.set(ins, p);
    out.set(b.subarray(p + r), p + ins.length);
    return out;
  };
  if (!fixSizes) return plain(bytes, at, remove, insert);
  const section = parseSections(bytes).find((s) => at >= s.contentStart && at < s.end);
  if (!section || at + remove > section.end) return plain(bytes, at, remove, insert);
  const body = section.id === 10 ? parseBodies(bytes, section).find((b) => at >= b.start && at < b.end) : undefined;
  if (body && at + remove > body.end) return plain(bytes, at, remove, insert);
  // From the highest offset down, so that each edit leaves the offsets of the next ones valid.
  let out = plain(bytes, at, remove, insert);
  let delta = insert.length - remove;
  if (body) {
    const size = encodeUleb(BigInt(body.end - body.start + delta));
    out = plain(out, body.sizeAt, body.sizeLength, size);
    delta += size.length - body.sizeLength;
  }
  const sizeLength = section.contentStart - section.sizeAt;
  out = plain(out, section.sizeAt, sizeLength, encodeUleb(BigInt(section.end - section.contentStart + delta)));
  return out;
}

/**
 * For each function body that parses: its function's parameter count (0 where the type and function
 * sections do not parse that far) and the number of locals it declares. Bodies are the defined
 * functions in order, which the function section lists (imports are not in it).
 */
export function functionSizes(bytes: Uint8Array): { params: number; locals: bigint }[] {
  const sections = parseSections(bytes);
  const params: number[] = [];
  const funcTypes: number[] = [];
  const vecAt = (s: Section): { n: bigint; at: number } | undefined => {
    const n = readUleb(bytes, s.contentStart, 5);
    return n && { n: n.value, at: s.contentStart + n.length };
  };
  for (const s of sections) {
    const v = vecAt(s);
    if (!v) continue;
    let at = v.at;
    const leb = (): number => {
      const r = readUleb(bytes, at, 5);
      if (!r) throw new RangeError('not a LEB');
      at += r.length;
      return Number(r.value);
    };
    try {
      if (s.id === 1) {
        for (let i = 0n; i < v.n; i++) {
          at++; // 0x60
          const np = leb();
          params.push(np);
          at += np;
          const nr = leb(); // not `at += leb()`: that adds to the position from before the LEB
          at += nr;
        }
      } else if (s.id === 3) {
        for (let i = 0n; i < v.n; i++) funcTypes.push(leb());
      }
    } catch {
      // a mutated section: what was read so far is all there is
    }
  }
  const code = sections.find((s) => s.id === 10);
  const bodies = code ? parseBodies(bytes, code) : [];
  return bodies.map((b, i) => {
    let locals = 0n;
    for (const site of b.localCountSites.slice(1)) locals += readUleb(bytes, site, 5)?.value ?? 0n;
    return { params: params[funcTypes[i]] ?? 0, locals };
  });
}
