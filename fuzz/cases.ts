// Case number N of a run: a function of the corpus, the run's seed and N only, so that any case can be
// rebuilt alone (to report it, or to name the one that crashed a sanitizer run).
import { mutate } from './mutate.js';
import { caseRng } from './prng.js';
import { Seed } from './seed-corpus.js';

export interface Case {
  origin: string;
  bytes: Uint8Array;
  mutations: string[];
}

export function makeCase(seeds: readonly Seed[], seed: number, caseNo: number): Case {
  const rng = caseRng(seed, caseNo);
  const s = seeds[rng.int(seeds.length)];
  const { bytes, mutations } = mutate(s.bytes, rng);
  return { origin: s.origin, bytes, mutations };
}
