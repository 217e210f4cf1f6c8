#!/usr/bin/env node
// The `mitey` command line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Engine } from '../wast/engine.js';
import { discoverWastFiles } from './discover.js';
import { JitEngine } from '../jit/engine.js';
import { V8Engine } from './engines/v8.js';
import { PACKAGE_ROOT } from './package-root.js';
import { closingLine, failureLines, fileLine, outcomeLine } from './reporters/console.js';
import { runFailed } from './run-result.js';
import { runFiles } from './run-files.js';

const USAGE = `usage: mitey wast <files or folders…> [--engine v8|jit] [--json FILE] [--filter REGEXP] [--strict-messages] [--quiet]
       mitey conformance [files or folders…] [same options]

wast         Runs WebAssembly .wast scripts (e.g. the official testsuite) on an engine.
             Prints a line per file and closes with "wast: N passed, N failed, N skipped".
             Exit status 1 on any failure.
conformance  The same run with defaults for publishing, on V8 and the JIT (or the
             engine --engine names): the folders default to $MITEY_TESTSUITE, else our
             own fixtures/wast; the JSON goes to results/<engine>.json.`;


export class UsageError extends Error {}

interface WastArgs {
  paths: string[];
  engine: string;
  json?: string;
  filter?: string;
  strictMessages: boolean;
  quiet: boolean;
}

export function parseWastArgs(argv: string[], allowNoPaths = false): WastArgs {
  const a: WastArgs = { paths: [], engine: 'v8', strictMessages: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--engine') a.engine = value();
    else if (arg === '--json') a.json = value();
    else if (arg === '--filter') a.filter = value();
    else if (arg === '--strict-messages') a.strictMessages = true;
    else if (arg === '--quiet') a.quiet = true;
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else a.paths.push(arg);
  }
  if (a.paths.length === 0 && !allowNoPaths) throw new UsageError('no files or folders given');
  return a;
}

function makeEngine(name: string): Engine {
  if (name === 'v8') return new V8Engine();
  if (name === 'jit') return new JitEngine();
  throw new UsageError(`unknown engine "${name}" (known: v8, jit)`);
}

/** The suite on every engine (or the one --engine names), a results file per engine. */
async function conformance(argv: string[]): Promise<number> {
  const args = parseWastArgs(argv, true);
  if (args.paths.length === 0) args.paths.push(process.env.MITEY_TESTSUITE || join(PACKAGE_ROOT, 'fixtures', 'wast'));
  const engines = argv.includes('--engine') ? [args.engine] : ['v8', 'jit'];
  let code = 0;
  for (const engine of engines) {
    const json = args.json && engines.length === 1 ? args.json : join('results', `${engine}.json`);
    console.log(`conformance: ${args.paths.join(' ')} on ${engine}`);
    code = Math.max(code, await wast({ ...args, engine, json }));
    console.log(`results written to ${json}`);
  }
  return code;
}

async function wast(args: WastArgs): Promise<number> {
  const engine = makeEngine(args.engine);
  const files = discoverWastFiles(args.paths, args.filter);
  const run = await runFiles(files, engine, {
    strictMessages: args.strictMessages,
    onFile: (r) => {
      if (args.quiet && r.status === 'ok' && r.counts.failed === 0 && r.commandFailures === 0) return;
      console.log(fileLine(r));
      for (const l of failureLines(r)) console.log(l);
    },
  });
  if (args.json) {
    mkdirSync(dirname(args.json), { recursive: true });
    writeFileSync(args.json, JSON.stringify(run, null, 1) + '\n');
  }
  console.log(`engine ${engine.name} ${engine.version}; ${files.length} files`);
  console.log(outcomeLine(run));
  console.log(closingLine(run));
  return runFailed(run) ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'wast') return wast(parseWastArgs(rest));
  if (command === 'conformance') return conformance(rest);
  if (command === undefined || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  throw new UsageError(`unknown command "${command}"`);
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    if (err instanceof UsageError) {
      console.error(`mitey: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      const detail = err instanceof Error ? (process.env.MITEY_DEBUG ? (err.stack ?? err.message) : err.message) : String(err);
      console.error(`mitey: ${detail}`);
      process.exitCode = 2;
    }
  },
);
