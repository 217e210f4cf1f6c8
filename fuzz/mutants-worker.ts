// A worker process of `mitey fuzz --mutants`: V8 against each mutant engine it is given, in turn,
// reporting each as it is done. Forked on the reference's Node (V8 14), whose Wasm 3.0 the new
// mutants' modules need. A Wasm 2.0 mutant is looked for in Wasm 2.0 cases (the distribution its
// budget was set for: among Wasm 3.0's instructions its own are rarer), a Wasm 3.0 one in cases with
// every Wasm 3.0 feature V8 has, as a campaign makes them.
import { V8Engine } from '../engines/v8.js';
import { differential } from './differential.js';
import { instructionCount } from './fuzz-case.js';
import { GenFeature } from './gen/features.js';
import { twinNamed } from './mutants/catalog.js';
import { MutantEngine } from './mutants/mutant-engine.js';
import { is3Twin } from './mutants/twins.js';

export interface MutantsWorkerArgs {
  twins: string[];
  seed: number;
  /** the time budget of each mutant */
  ms: number;
  /** at most this many cases of each (the ones the twin changes; default: as many as the time allows) */
  runs?: number;
  /** the Wasm 3.0 features generated (default: none for a Wasm 2.0 mutant, V8's for a Wasm 3.0 one) */
  features?: GenFeature[];
}

export interface MutantReport {
  type: 'mutant';
  name: string;
  found: boolean;
  /** cases generated, and run (those the twin changes) */
  cases: number;
  ran: number;
  secs: number;
  /** the shrunk reproducer's instruction count */
  size?: number;
  what?: string;
}

const a = JSON.parse(process.argv[2]) as MutantsWorkerArgs;
const v8 = new V8Engine();
for (const name of a.twins) {
  const twin = twinNamed(name);
  if (!twin) throw new Error(`no mutant named ${name}`);
  const mutant = new MutantEngine(twin, v8);
  let ran = 0;
  const started = performance.now();
  const r = differential([v8, mutant], {
    seed: a.seed,
    ms: a.ms,
    ...(a.runs ? { numRuns: a.runs } : {}),
    ...(a.features ? { gen: { features: a.features } } : is3Twin(twin) ? {} : { gen: { features: [] } }),
    relevant: (bytes) => mutant.applies(bytes) && ++ran > 0,
  });
  const report: MutantReport = {
    type: 'mutant',
    name,
    found: !!r.finding,
    cases: r.cases,
    ran,
    secs: (performance.now() - started) / 1000,
    ...(r.finding ? { size: instructionCount(r.finding.case), what: r.finding.what } : {}),
  };
  process.send!(report);
}
process.disconnect();
