// `mitey fuzz`: the differential fuzzer. Engine b against reference a (default: the JIT against V8)
// for a time budget; a disagreement is shrunk and written to fixtures/regressions/ as a .wast.
// `--mutants` measures the fuzzer itself: V8 against each mutant engine, each must be found.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Assembler } from '../wast/assembler.js';
import { createEngine } from '../runner/engines/create-engine.js';
import { PACKAGE_ROOT } from '../runner/package-root.js';
import { differential } from './differential.js';
import { instructionCount } from './fuzz-case.js';
import { MutantEngine } from './mutants/mutant-engine.js';
import { TWINS } from './mutants/twins.js';
import { reproducer } from './reproducer.js';

export interface FuzzArgs {
  seconds: number;
  seed: number;
  engine: string;
  reference: string;
  mutants: boolean;
  out: string;
}

export async function fuzzCommand(a: FuzzArgs): Promise<number> {
  const reference = createEngine(a.reference);
  if (a.mutants) {
    const perMutant = Math.max(1, a.seconds) * 1000;
    let found = 0;
    const sizes: number[] = [];
    for (const twin of TWINS) {
      const t = performance.now();
      const r = differential(reference, new MutantEngine(twin), { seed: a.seed, ms: perMutant });
      const size = r.finding ? instructionCount(r.finding.case) : undefined;
      if (size !== undefined) {
        found++;
        sizes.push(size);
      }
      console.log(`${r.finding ? 'found ' : 'MISSED'} ${twin.name.padEnd(32)} ${r.cases} cases, ${((performance.now() - t) / 1000).toFixed(1)} s${size !== undefined ? `, shrunk to ${size} instructions` : ''}`);
    }
    sizes.sort((x, y) => x - y);
    const median = sizes.length ? sizes[Math.floor(sizes.length / 2)] : 0;
    console.log(`mutants: ${found} of ${TWINS.length} found (${((100 * found) / TWINS.length).toFixed(1)}%), median reproducer ${median} instructions`);
    return found === TWINS.length ? 0 : 1;
  }
  const engine = createEngine(a.engine);
  const t = performance.now();
  const r = differential(reference, engine, { seed: a.seed, ms: a.seconds * 1000 });
  const secs = (performance.now() - t) / 1000;
  console.log(`fuzz ${engine.name} against ${reference.name}: ${r.cases} cases, ${r.calls} export calls in ${secs.toFixed(1)} s (${Math.round(r.cases / secs)} cases/s, ${Math.round(r.calls / secs)} calls/s), ${r.finding ? 1 : 0} disagreements`);
  if (!r.finding) return 0;
  console.log(`disagreement: ${r.finding.what}`);
  const assembler = await Assembler.load();
  mkdirSync(a.out, { recursive: true });
  const path = join(a.out, `fuzz-seed${r.finding.seed}-${Date.now()}.wast`);
  writeFileSync(path, reproducer(r.finding, reference, assembler));
  console.log(`reproducer (${instructionCount(r.finding.case)} instructions) written to ${path}`);
  return 1;
}

export const DEFAULT_REGRESSIONS = join(PACKAGE_ROOT, 'fixtures', 'regressions');
