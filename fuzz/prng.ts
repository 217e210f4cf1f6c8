// A small seeded PRNG (sfc32 seeded through splitmix32): every case of a run must be reproducible
// from (seed, case number) alone, without replaying the cases before it.

export interface Rng {
  /** a uniform 32-bit unsigned integer */
  u32(): number;
  /** an integer in [0, n) */
  int(n: number): number;
  /** an element of a non-empty array */
  pick<T>(items: readonly T[]): T;
  /** true with probability p */
  chance(p: number): boolean;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** The generator of one case: its stream depends on both numbers and nothing else. */
export function caseRng(seed: number, caseNo: number): Rng {
  const mix = splitmix32((seed >>> 0) ^ Math.imul(caseNo >>> 0, 0x27d4eb2f));
  let a = mix(), b = mix(), c = mix(), d = mix() | 1;
  const u32 = (): number => {
    // sfc32
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32(); // let the state mix before the first use
  return {
    u32,
    int: (n) => (n <= 0 ? 0 : Math.floor((u32() / 0x1_0000_0000) * n)),
    pick: (items) => items[Math.floor((u32() / 0x1_0000_0000) * items.length)],
    chance: (p) => u32() / 0x1_0000_0000 < p,
  };
}
