#!/usr/bin/env node
// `npm run bench:programs`: real WebAssembly programs from npm (SQLite, Brotli, tiktoken, esbuild) on
// V8 Liftoff, V8 TurboFan and mitey's JIT.
import { ENGINE_NAMES, programEngines } from './engines.js';
import { PROGRAMS, selectPrograms } from './programs.js';
import { formatTable, toJson } from './report.js';
import { programSize, runPrograms, type ProgramsOptions } from './run-programs.js';
import { writeJson } from '../write-json.js';
import { CHILD_PATH } from './spawn-child.js';

const USAGE = `usage: npm run bench:programs -- [--programs a,b] [--engines a,b] [--runs N] [--quick] [--scale F]
                                  [--timeout SECONDS] [--json FILE]

Runs real WebAssembly programs shipped on npm, each with a deterministic workload, on V8 pinned to
Liftoff, on V8 TurboFan and on mitey's JIT (node --import dist/jit/register.js, which makes the JIT
the program's WebAssembly), each program and engine in a node process of its own. Prints compile
time (inside the WebAssembly compile/instantiate functions), run time, the sha256 of the workload's
output, the run-time ratios JIT/Liftoff and JIT/TurboFan and their geometric means. Exit status 1
when an engine fails, crashes or times out on a program, or when an output hash differs from V8's.

programs: ${PROGRAMS.map((p) => `${p.name} (${p.npmPackage} ${p.version})`).join(', ')}
engines:  ${ENGINE_NAMES.join(', ')}

--programs a,b     only these programs
--engines a,b      only these engines
--runs N           timed runs after one warm-up run, the best counts (default 3; 0: the warm-up run alone)
--quick            each program's small test size (a smoke run)
--scale F          multiply each program's size by F
--timeout SECONDS  per child process (default 600)
--json FILE        also write the figures to FILE`;

class UsageError extends Error {}

type CliOptions = ProgramsOptions & { json?: string };

const list = (v: string): string[] => v.split(',').map((s) => s.trim()).filter(Boolean);

function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    const positive = (v: string, what: string): number => {
      const n = Number(v);
      if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`${arg} needs ${what}, not "${v}"`);
      return n;
    };
    if (arg === '--programs') o.programs = [...(o.programs ?? []), ...list(value())];
    else if (arg === '--engines') o.engines = [...(o.engines ?? []), ...list(value())];
    else if (arg === '--json') o.json = value();
    else if (arg === '--quick') o.quick = true;
    else if (arg === '--scale') o.scale = positive(value(), 'a positive number');
    else if (arg === '--timeout') o.timeoutMs = positive(value(), 'a positive number of seconds') * 1000;
    else if (arg === '--runs') {
      const v = value();
      if (!/^\d+$/.test(v)) throw new UsageError(`--runs needs a whole number, not "${v}"`);
      o.runs = Number(v);
    } else throw new UsageError(`unknown argument ${arg}`);
  }
  return o;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let options: CliOptions;
  try {
    options = parseArgs(argv);
    selectPrograms(options.programs ?? []); // unknown names are usage errors, before any work
    programEngines(options.engines ?? []);
  } catch (err) {
    const usage = err instanceof UsageError ? `\n\n${USAGE}` : '';
    console.error(`bench:programs: ${err instanceof Error ? err.message : String(err)}${usage}`);
    return 2;
  }
  console.log(`node ${process.version}, V8 ${process.versions.v8}; one child process per program and engine:`);
  for (const e of programEngines(options.engines ?? [])) {
    console.log(`  ${e.label.padEnd(8)} ${e.nodeFlags ? [process.execPath, ...e.nodeFlags, CHILD_PATH].join(' ') : e.unavailable}`);
  }
  for (const p of selectPrograms(options.programs ?? [])) {
    const size = programSize(p.benchSize, p.testSize, options.quick ?? false, options.scale ?? 1);
    console.log(`  ${p.name.padEnd(8)} ${p.npmPackage} ${p.version} (${p.origin}): ${p.description}; N = ${size} ${p.sizeUnit}`);
  }
  const result = await runPrograms({ ...options, progress: (line) => console.error(`  ${line}`) });
  console.log(`\n${formatTable(result)}`);
  if (options.json) {
    writeJson(options.json, toJson(result));
    console.log(`\nfigures written to ${options.json}`);
  }
  return result.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`bench:programs: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
