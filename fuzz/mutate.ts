// Structure-aware byte mutators. Each is small and returns a new array; a case chains 1-3 of them.
// They aim where decoders go wrong: bit patterns of opcodes and types, LEB128 edges, section order.
import { Rng } from './prng.js';
import { encodeSleb, encodeUleb, HEADER_SIZE, parseBodies, parseSections, readUleb, splice } from './sections.js';

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

/** How often an insertion or deletion keeps the sizes around it right (else it tests the size checks). */
const FIX_SIZES = 0.6;

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
  return splice(bytes, position(bytes, rng, true), 0, insert, rng.chance(FIX_SIZES));
};

export const byteDelete: Mutator = (bytes, rng) => {
  if (bytes.length === 0) return bytes;
  const at = position(bytes, rng);
  return splice(bytes, at, Math.min(1 + rng.int(rng.chance(0.8) ? 2 : 8), bytes.length - at), [], rng.chance(FIX_SIZES));
};

export const byteOverwrite: Mutator = (bytes, rng) => {
  if (bytes.length === 0) return bytes;
  const out = bytes.slice();
  out[position(bytes, rng)] = rng.pick(INTERESTING);
  return out;
};

export const truncate: Mutator = (bytes, rng) => bytes.slice(0, position(bytes, rng));

/**
 * Where LEB128 numbers surely are: section sizes, each section's first number (a vector count, or the
 * start function's index), function body sizes and local counts; otherwise any byte that begins a
 * well-formed LEB (it may be an opcode: then the change is just a denser byte change, which is fine).
 * `size`: the number is itself a size, so the sizes around it must not be fixed up.
 */
function lebSite(bytes: Uint8Array, rng: Rng): { at: number; length: number; value: bigint; size: boolean } | undefined {
  const sections = parseSections(bytes);
  const sizes: number[] = [];
  const counts: number[] = [];
  for (const s of sections) {
    sizes.push(s.sizeAt);
    if (s.contentStart < s.end) counts.push(s.contentStart);
    if (s.id === 10) {
      for (const b of parseBodies(bytes, s)) {
        sizes.push(b.sizeAt);
        counts.push(...b.localCountSites);
      }
    }
  }
  for (let tries = 0; tries < 8; tries++) {
    const kind = rng.int(10);
    const at = kind < 2 && sizes.length > 0 ? rng.pick(sizes) : kind < 5 && counts.length > 0 ? rng.pick(counts) : position(bytes, rng);
    const leb = readUleb(bytes, at, 10);
    if (leb) return { at, length: leb.length, value: leb.value, size: sizes.includes(at) };
  }
  return undefined;
}

export const lebChange: Mutator = (bytes, rng) => {
  const site = lebSite(bytes, rng);
  if (!site) return bitFlip(bytes, rng);
  const { at, length, value, size } = site;
  let encoding: number[];
  switch (rng.int(9)) {
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
    case 7: // the same value modulo 2^8, 2^16 or 2^32: a decoder that keeps too few bits accepts it
      encoding = encodeUleb(value + rng.pick([0x100n, 0x1_0000n, 0x1_0000_0000n]));
      break;
    default: // doubled: a scale change
      encoding = encodeUleb(value * 2n + 1n);
  }
  return splice(bytes, at, length, encoding, !size && rng.chance(FIX_SIZES));
};

// Well-formed instructions (opcode and immediates) of every kind: spliced into a body with its sizes
// fixed, each makes a module that decodes and so exercises the validator's typing rules.
const INSTRUCTIONS: readonly (readonly number[])[] = [
  [0x00], [0x01], [0x02, 0x40], [0x02, 0x7f], [0x03, 0x40], [0x04, 0x40], [0x04, 0x7f], [0x02, 0x00], [0x05], [0x0b],
  [0x0c, 0x00], [0x0c, 0x01], [0x0d, 0x00], [0x0e, 0x01, 0x00, 0x00], [0x0e, 0x00, 0x01], [0x0f], [0x10, 0x00], [0x10, 0x01],
  [0x11, 0x00, 0x00], [0x1a], [0x1b], [0x1c, 0x01, 0x7f], [0x1c, 0x01, 0x70], [0x1c, 0x00], [0x20, 0x00], [0x20, 0x01],
  [0x21, 0x00], [0x22, 0x00], [0x23, 0x00], [0x24, 0x00], [0x25, 0x00], [0x26, 0x00], [0x28, 0x02, 0x00], [0x29, 0x03, 0x00],
  [0x36, 0x02, 0x00], [0x2c, 0x00, 0x00], [0x28, 0x03, 0x00], [0x3f, 0x00], [0x40, 0x00], [0x41, 0x00], [0x41, 0x7f],
  [0x42, 0x00], [0x43, 0, 0, 0, 0], [0x44, 0, 0, 0, 0, 0, 0, 0, 0], [0x45], [0x46], [0x50], [0x6a], [0x7c], [0x92], [0xa0],
  [0xa7], [0xac], [0xbc], [0xc0], [0xd0, 0x70], [0xd0, 0x6f], [0xd1], [0xd2, 0x00], [0xfc, 0x00], [0xfc, 0x08, 0x00, 0x00],
  [0xfc, 0x09, 0x00], [0xfc, 0x0a, 0x00, 0x00], [0xfc, 0x0b, 0x00], [0xfc, 0x0c, 0x00, 0x00], [0xfc, 0x0d, 0x00],
  [0xfc, 0x0e, 0x00, 0x00], [0xfc, 0x0f, 0x00], [0xfc, 0x10, 0x00], [0xfc, 0x11, 0x00], [0xfd, 0x00, 0x04, 0x00],
  [0xfd, 0x0c, ...new Array<number>(16).fill(0)], [0xfd, 0x0d, ...new Array<number>(16).fill(1)], [0xfd, 0x0f], [0xfd, 0x15, 0x00],
  [0xfd, 0x1b, 0x03], [0xfd, 0x54, 0x00, 0x00, 0x00], [0xfd, 0x5c, 0x02, 0x00], [0xfd, 0x4d], [0xfd, 0x6e], [0xfd, 0xae, 0x01],
];

/** Inserts (or, a third of the time, substitutes for one byte) a whole instruction inside a function body. */
export const instructionInsert: Mutator = (bytes, rng) => {
  const code = parseSections(bytes).find((s) => s.id === 10);
  const bodies = code ? parseBodies(bytes, code).filter((b) => b.end - b.start > 1) : [];
  if (bodies.length === 0) return byteInsert(bytes, rng);
  const b = rng.pick(bodies);
  const at = b.start + 1 + rng.int(b.end - b.start - 1); // past the locals' count at least
  return splice(bytes, at, rng.chance(0.33) ? 1 : 0, rng.pick(INSTRUCTIONS), rng.chance(0.9));
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
  { name: 'instructionInsert', weight: 12, apply: instructionInsert },
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
