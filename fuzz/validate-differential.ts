// The validation differential: mutated testsuite modules decided by the JIT and by V8's
// WebAssembly.validate. Every disagreement must be one of the known, explained differences.
//
//   npm run fuzz:validate -- --cases 100000 --seed 1 --suite ../shared/testsuite-2.0 [--out FILE] [--asan]
import { mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadAddon } from '../jit/addon.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { runUnderAsan } from './asan.js';
import { makeCase } from './cases.js';
import { explain, KNOWN_DIFFERENCES } from './known-differences.js';
import { collectSeeds } from './seed-corpus.js';
import { AddonFault, askJit, askV8, describeJit, describeV8, JitVerdict, V8Verdict } from './verdict.js';

export interface DifferentialOptions {
  suite: string;
  cases: number;
  seed: number;
  /** called before each case is decided (the ASan child records it to name the case that crashes) */
  beforeCase?: (caseNo: number) => void;
  progress?: (done: number) => void;
}

export interface CaseRecord {
  seed: number;
  caseNo: number;
  origin: string;
  mutations: string[];
  hex: string;
  jit: JitVerdict | { fault: string };
  v8: V8Verdict;
}

export interface DifferentialReport {
  seed: number;
  suite: string;
  corpus: { seeds: number; modules: number; unassembled: number; rejected: number; duplicates: number };
  cases: number;
  agree: number;
  agreeValid: number;
  agreeInvalid: number;
  jitUnsupported: number;
  /**
   * per JIT message: how many, and how many of those V8 accepts (features V8 11.3 has), with the
   * first such case, to check that the feature is really beyond Wasm 2.0
   */
  unsupportedFeatures: Record<string, { cases: number; v8Valid: number; v8ValidExample?: CaseRecord }>;
  disagree: number;
  explained: Record<string, number>;
  /** what each explained category is, and the fixture that shows who is right */
  knownDifferences: { id: string; fixture: string; why: string }[];
  unexplained: number;
  crashes: number;
  verdicts: { jitValid: number; jitInvalid: number; v8Valid: number; v8Invalid: number };
  /** the first case of each explained category, to look at */
  examples: Record<string, CaseRecord>;
  unexplainedCases: CaseRecord[];
  crashCases: CaseRecord[];
  seedMs: number;
  durationMs: number;
  casesPerSecond: number;
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export async function runDifferential(opts: DifferentialOptions): Promise<DifferentialReport> {
  const t0 = performance.now();
  const corpus = await collectSeeds(opts.suite);
  if (corpus.seeds.length === 0) throw new Error(`no valid module in ${opts.suite}`);
  const addon = loadAddon();
  const t1 = performance.now();
  const report: DifferentialReport = {
    seed: opts.seed,
    suite: opts.suite,
    corpus: { seeds: corpus.seeds.length, modules: corpus.modules, unassembled: corpus.unassembled, rejected: corpus.rejected, duplicates: corpus.duplicates },
    cases: 0,
    agree: 0,
    agreeValid: 0,
    agreeInvalid: 0,
    jitUnsupported: 0,
    unsupportedFeatures: {},
    disagree: 0,
    explained: Object.fromEntries(KNOWN_DIFFERENCES.map((k) => [k.id, 0])),
    knownDifferences: KNOWN_DIFFERENCES.map(({ id, fixture, why }) => ({ id, fixture, why })),
    unexplained: 0,
    crashes: 0,
    verdicts: { jitValid: 0, jitInvalid: 0, v8Valid: 0, v8Invalid: 0 },
    examples: {},
    unexplainedCases: [],
    crashCases: [],
    seedMs: Math.round(t1 - t0),
    durationMs: 0,
    casesPerSecond: 0,
  };
  for (let caseNo = 0; caseNo < opts.cases; caseNo++) {
    const c = makeCase(corpus.seeds, opts.seed, caseNo);
    const record = (jit: CaseRecord['jit'], v8: V8Verdict): CaseRecord => ({ seed: opts.seed, caseNo, origin: c.origin, mutations: c.mutations, hex: hex(c.bytes), jit, v8 });
    opts.beforeCase?.(caseNo);
    report.cases++;
    const v8 = askV8(c.bytes);
    let jit: JitVerdict;
    try {
      jit = askJit(addon, c.bytes);
    } catch (err) {
      if (!(err instanceof AddonFault)) throw err;
      report.crashes++;
      report.crashCases.push(record({ fault: err.message }, v8));
      continue;
    }
    report.verdicts[jit.valid ? 'jitValid' : 'jitInvalid']++;
    report.verdicts[v8.valid ? 'v8Valid' : 'v8Invalid']++;
    if (!jit.valid && jit.kind === 'unsupported') {
      // A feature the JIT does not have yet: neither agreement nor disagreement.
      report.jitUnsupported++;
      const f = (report.unsupportedFeatures[jit.message] ??= { cases: 0, v8Valid: 0 });
      f.cases++;
      if (v8.valid) {
        f.v8Valid++;
        f.v8ValidExample ??= record(jit, v8);
      }
    } else if (jit.valid === v8.valid) {
      report.agree++;
      report[jit.valid ? 'agreeValid' : 'agreeInvalid']++;
    } else {
      report.disagree++;
      const v8m = v8.valid ? v8 : askV8(c.bytes, true); // V8's reason, worth the compile only here
      const known = explain({ bytes: c.bytes, jit, v8: v8m });
      if (known) {
        report.explained[known.id]++;
        report.examples[known.id] ??= record(jit, v8m);
      } else {
        report.unexplained++;
        report.unexplainedCases.push(record(jit, v8m));
      }
    }
    if ((caseNo + 1) % 10_000 === 0) opts.progress?.(caseNo + 1);
  }
  report.durationMs = Math.round(performance.now() - t1);
  report.casesPerSecond = Math.round(report.cases / Math.max(report.durationMs / 1000, 1e-3));
  return report;
}

export function summary(r: DifferentialReport): string {
  const lines = [
    `validation differential, seed ${r.seed}: ${r.cases} cases from ${r.corpus.seeds} seed modules of ${r.suite}`,
    `  agree            ${r.agree} (both valid ${r.agreeValid}, both invalid ${r.agreeInvalid})`,
    `  jitUnsupported   ${r.jitUnsupported}`,
    ...Object.entries(r.unsupportedFeatures)
      .sort((a, b) => b[1].cases - a[1].cases)
      .map(([m, f]) => `    ${String(f.cases).padStart(7)} ${m} (V8 accepts ${f.v8Valid})`),
    `  disagree         ${r.disagree}`,
    ...KNOWN_DIFFERENCES.map((k) => `    explained ${k.id.padEnd(28)} ${r.explained[k.id]}  (${k.fixture})`),
    `    unexplained                            ${r.unexplained}`,
    `  crashes          ${r.crashes}`,
    `  verdicts         JIT valid ${r.verdicts.jitValid} / invalid ${r.verdicts.jitInvalid}; V8 valid ${r.verdicts.v8Valid} / invalid ${r.verdicts.v8Invalid}`,
    `  time             seeds ${r.seedMs} ms, cases ${r.durationMs} ms, ${r.casesPerSecond} cases/s`,
  ];
  for (const c of [...r.unexplainedCases.slice(0, 10), ...r.crashCases.slice(0, 10)]) {
    lines.push(`  case ${c.caseNo} (${c.origin}, ${c.mutations.join('+')}): JIT ${'fault' in c.jit ? c.jit.fault : describeJit(c.jit)}; V8 ${describeV8(c.v8)}`);
  }
  return lines.join('\n');
}

// ---- command line ---------------------------------------------------------------------------------

interface CliArgs {
  cases: number;
  seed: number;
  suite: string;
  out: string;
  asan: boolean;
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { cases: 100_000, seed: 1, suite: process.env.MITEY_TESTSUITE_2 ?? '', out: '', asan: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--cases') args.cases = Number(value());
    else if (a === '--seed') args.seed = Number(value());
    else if (a === '--suite') args.suite = value();
    else if (a === '--out') args.out = value();
    else if (a === '--asan') args.asan = true;
    else usage(`unknown argument ${a}`);
  }
  if (!Number.isSafeInteger(args.cases) || args.cases < 1) usage('--cases must be a positive integer');
  if (!Number.isSafeInteger(args.seed) || args.seed < 0) usage('--seed must be a non-negative integer');
  if (!args.suite) usage('--suite FOLDER is required (or MITEY_TESTSUITE_2)');
  args.out ||= join(PACKAGE_ROOT, 'results', `fuzz-validate-seed${args.seed}${args.asan ? '-asan' : ''}.json`);
  return args;
}

function usage(problem: string): never {
  console.error(`fuzz:validate: ${problem}\nusage: fuzz:validate [--cases N] [--seed N] --suite FOLDER [--out FILE] [--asan]`);
  process.exit(2);
}

/** The validation differential's command line (`npm run fuzz:validate`, `mitey fuzz --validate`). */
export async function validationMain(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.asan) return runUnderAsan(argv.filter((a) => a !== '--asan'), args.out);
  // The ASan parent names the case that killed its child from this file (see asan.ts).
  const progressFd = process.env.MITEY_FUZZ_PROGRESS ? openSync(process.env.MITEY_FUZZ_PROGRESS, 'w') : undefined;
  const report = await runDifferential({
    suite: resolve(args.suite),
    cases: args.cases,
    seed: args.seed,
    beforeCase: progressFd === undefined ? undefined : (n) => writeSync(progressFd, `${String(n).padStart(12)}\n`, 0),
    progress: (n) => process.stderr.write(`  ${n} cases…\n`),
  });
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, JSON.stringify(report, null, 1) + '\n');
  console.log(summary(report));
  console.log(`  report           ${args.out}`);
  const failed = report.unexplained + report.crashes;
  console.log(failed > 0 ? `fuzz:validate: FAILED (${report.unexplained} unexplained, ${report.crashes} crashes)` : 'fuzz:validate: OK');
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  validationMain(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    },
  );
}
