// Structure-aware byte mutators. Each is small and returns a new array; a case chains 1-3 of them.
// They aim where decoders go wrong: bit patterns of opcodes and types, LEB128 edges, section order.
import { Rng } from './prng.js';
import { encodeSleb, encodeUleb, HEADER_SIZE, parseSections, readUleb } from './sections.js';

export type Mutator = (bytes: Uint8Array, rng: Rng) => Uint8Array;

// Bytes with a meaning somewhere in the format: LEB edges, value/ref types, block types, form 0x60,
// control opcodes (end, else, br_table…), const opcodes, the prefixes, and later proposals' bytes.
const INTERESTING = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x08, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x1a, 0x1b, 0x1c, 0x20,
  0x21, 0x23, 0x24, 0x25, 0x26, 0x28, 0x36, 0x3f, 0x40, 0x41, 0x42, 0x43, 0x44, 0x60, 0x63, 0x64, 0x6f, 0x70, 0x7b,
  0x7c, 0x7d, 0x7e, 0x7f, 0x80, 0xc0, 0xd0, 0xd1, 0xd2, 0xe0, 0xf0, 0xfc, 0xfd, 0xfe, 0xff,
];

/** A position to mutate: mostly past the 8-byte header, which would only make the module die early. */
function position(bytes: Uint8Array, rng: Rng, inclusiveEnd = false): number {
  const n = bytes.length + (inclusiveEnd ? 1 : 0);
  if (n <= HEADER_SIZE || rng.chance(0.02)) return rng.int(n);
  return HEADER_SIZE + rng.int(n - HEADER_SIZE);
}

function splice(bytes: Uint8Array, at: number, remove: number, insert: ArrayLike<number> = []): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

function randomByte(rng: Rng): number {
  return rng.chance(0.5) ? rng.pick(INTERESTING) : rng.int(256);
}

export const bitFlip: Mutator = (bytes, rng) => {
  if (bytes.length === 0) return bytes;
  const out = bytes.slice();
  out[position(bytes, rng)] ^= 1 << rng.int(8);
  return out;
};

export const byteInsert: Mutator = (bytes, rng) => {
  const count = 1 + rng.int(rng.chance(0.8) ? 2 : 8);
  const insert = Array.from({ length: count }, () => randomByte(rng));
  return splice(bytes, position(bytes, rng, true), 0, insert);
};

export const byteDelete: Mutator = (bytes, rng) => {
  if (bytes.length === 0) return bytes;
  const at = position(bytes, rng);
  return splice(bytes, at, Math.min(1 + rng.int(rng.chance(0.8) ? 2 : 8), bytes.length - at));
};

export const byteOverwrite: Mutator = (bytes, rng) => {
  if (bytes.length === 0) return bytes;
  const out = bytes.slice();
  out[position(bytes, rng)] = rng.pick(INTERESTING);
  return out;
};

export const truncate: Mutator = (bytes, rng) => bytes.slice(0, position(bytes, rng));

/**
 * Where LEB128 numbers surely are: section sizes and each section's first number (a vector count,
 * or the start function's index); otherwise any byte that begins a well-formed LEB (it may be an
 * opcode: then the mutation is just a denser byte change, which is fine).
 */
function lebSite(bytes: Uint8Array, rng: Rng): { at: number; length: number; value: bigint } | undefined {
  const sections = parseSections(bytes);
  const sites: number[] = [];
  for (const s of sections) {
    sites.push(s.sizeAt);
    if (s.contentStart < s.end) sites.push(s.contentStart);
  }
  for (let tries = 0; tries < 8; tries++) {
    const at = sites.length > 0 && rng.chance(0.35) ? rng.pick(sites) : position(bytes, rng);
    const leb = readUleb(bytes, at, 10);
    if (leb) return { at, length: leb.length, value: leb.value };
  }
  return undefined;
}

export const lebChange: Mutator = (bytes, rng) => {
  const site = lebSite(bytes, rng);
  if (!site) return bitFlip(bytes, rng);
  const { at, length, value } = site;
  let encoding: number[];
  switch (rng.int(8)) {
    case 0: // the same value, overlong (still legal up to 5 bytes for a u32, malformed past it)
      encoding = encodeUleb(value, length + 1 + rng.int(5));
      break;
    case 1: // one more or one less: off-by-one counts, indices and sizes
      encoding = encodeUleb(value + (rng.chance(0.5) ? 1n : value > 0n ? -1n : 1n));
      break;
    case 2: // the edges of u32 and s32
      encoding = encodeUleb(rng.pick([0n, 0x7fn, 0x80n, 0x3fffn, 0x4000n, 0x7fff_ffffn, 0x8000_0000n, 0xffff_ffffn, 0x1_0000_0000n]));
      break;
    case 3: // five bytes whose last carries bits a u32 does not have (too large)
      encoding = [0xff, 0xff, 0xff, 0xff, rng.pick([0x1f, 0x10, 0x7f, 0x4f])];
      break;
    case 4: // a negative number (valid as s32/s33, huge as u32)
      encoding = encodeSleb(-BigInt(1 + rng.int(rng.chance(0.5) ? 64 : 100_000)));
      break;
    case 5: // a random small value
      encoding = encodeUleb(BigInt(rng.int(rng.chance(0.7) ? 16 : 70_000)));
      break;
    case 6: // the implementation-limit neighbourhood of V8 (locals, table sizes…)
      encoding = encodeUleb(rng.pick([49_999n, 50_000n, 50_001n, 65_536n, 65_537n, 100_000n, 1_000_000n, 10_000_001n]));
      break;
    default: // doubled: a scale change
      encoding = encodeUleb(value * 2n + 1n);
  }
  return splice(bytes, at, length, encoding);
};

function sectionMutator(bytes: Uint8Array, rng: Rng, minSections: number, f: (s: ReturnType<typeof parseSections>) => Uint8Array): Uint8Array {
  const sections = parseSections(bytes);
  if (sections.length < minSections) return byteOverwrite(bytes, rng);
  return f(sections);
}

/** Swaps two sections: ordering rules, and what one section may assume about the ones before it. */
export const sectionSwap: Mutator = (bytes, rng) =>
  sectionMutator(bytes, rng, 2, (sections) => {
    let i = rng.int(sections.length);
    let j = rng.int(sections.length - 1);
    if (j >= i) j++;
    if (i > j) [i, j] = [j, i];
    const a = sections[i], b = sections[j];
    const parts = [bytes.subarray(0, a.start), bytes.subarray(b.start, b.end), bytes.subarray(a.end, b.start), bytes.subarray(a.start, a.end), bytes.subarray(b.end)];
    return concat(parts);
  });

/** Repeats a section right after itself: duplicate sections are malformed unless custom. */
export const sectionDuplicate: Mutator = (bytes, rng) =>
  sectionMutator(bytes, rng, 1, (sections) => {
    const s = rng.pick(sections);
    return splice(bytes, s.end, 0, bytes.subarray(s.start, s.end));
  });

/** Removes a section: what depends on it (types, functions, data count…) loses its ground. */
export const sectionDelete: Mutator = (bytes, rng) =>
  sectionMutator(bytes, rng, 1, (sections) => {
    const s = rng.pick(sections);
    return splice(bytes, s.start, s.end - s.start);
  });

/** Changes a section id (tags 13, later proposals' ids, unknown ids) keeping its content. */
export const sectionRetag: Mutator = (bytes, rng) =>
  sectionMutator(bytes, rng, 1, (sections) => {
    const s = rng.pick(sections);
    const out = bytes.slice();
    out[s.start] = rng.chance(0.7) ? rng.int(14) : rng.int(256);
    return out;
  });

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// Weights: byte-level mutations are the bulk; structural ones are rarer but find other bugs.
export const MUTATORS: readonly { name: string; weight: number; apply: Mutator }[] = [
  { name: 'bitFlip', weight: 20, apply: bitFlip },
  { name: 'byteInsert', weight: 12, apply: byteInsert },
  { name: 'byteDelete', weight: 12, apply: byteDelete },
  { name: 'byteOverwrite', weight: 18, apply: byteOverwrite },
  { name: 'lebChange', weight: 20, apply: lebChange },
  { name: 'sectionSwap', weight: 4, apply: sectionSwap },
  { name: 'sectionDuplicate', weight: 3, apply: sectionDuplicate },
  { name: 'sectionDelete', weight: 3, apply: sectionDelete },
  { name: 'sectionRetag', weight: 3, apply: sectionRetag },
  { name: 'truncate', weight: 5, apply: truncate },
];

const TOTAL_WEIGHT = MUTATORS.reduce((n, m) => n + m.weight, 0);

function pickMutator(rng: Rng): (typeof MUTATORS)[number] {
  let k = rng.int(TOTAL_WEIGHT);
  for (const m of MUTATORS) {
    if (k < m.weight) return m;
    k -= m.weight;
  }
  return MUTATORS[0];
}

/** One case: 1 to 3 mutations (mostly one, so that most cases stay close to valid). */
export function mutate(seed: Uint8Array, rng: Rng): { bytes: Uint8Array; mutations: string[] } {
  const count = rng.chance(0.6) ? 1 : rng.chance(0.6) ? 2 : 3;
  let bytes = seed;
  const mutations: string[] = [];
  for (let i = 0; i < count; i++) {
    const m = pickMutator(rng);
    bytes = m.apply(bytes, rng);
    mutations.push(m.name);
  }
  return { bytes, mutations };
}
