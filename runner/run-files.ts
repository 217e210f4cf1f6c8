// Runs .wast files one after another on one engine and gathers the run's results.
import { readFileSync } from 'node:fs';
import { Assembler } from '../wast/assembler.js';
import { Engine } from '../wast/engine.js';
import { runScript, RunOptions } from '../wast/interpreter.js';
import { parseScript } from '../wast/parser.js';
import { addCounts, emptyCounts, FileResult } from '../wast/results.js';
import { WastSyntaxError } from '../wast/source.js';
import { RunResult } from './run-result.js';

export interface RunFilesOptions extends RunOptions {
  onFile?: (r: FileResult) => void;
}

export function runFile(file: string, engine: Engine, assembler: Assembler, options: RunOptions): FileResult {
  const started = performance.now();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
    return runScript(parseScript(file, text), { engine, assembler, options });
  } catch (err) {
    // A script that cannot be read or tokenised at all: the file is an error, the run goes on.
    const error = err instanceof WastSyntaxError ? err.message : `${file}: ${(err as Error).message}`;
    return {
      file,
      status: 'error',
      error,
      counts: emptyCounts(),
      commandFailures: 0,
      messages: { compared: 0, matched: 0 },
      durationMs: Math.round(performance.now() - started),
      results: [],
    };
  }
}

export async function runFiles(files: string[], engine: Engine, options: RunFilesOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const assembler = await Assembler.load();
  const results: FileResult[] = [];
  for (const file of files) {
    const r = runFile(file, engine, assembler, options);
    results.push(r);
    options.onFile?.(r);
  }
  const totals = emptyCounts();
  for (const r of results) addCounts(totals, r.counts);
  return {
    schema: 'mitey-results',
    version: 1,
    engine: { name: engine.name, version: engine.version, features: [...engine.features].sort() },
    startedAt,
    durationMs: Math.round(performance.now() - started),
    totals: {
      ...totals,
      commandFailures: results.reduce((n, r) => n + r.commandFailures, 0),
      filesNotOk: results.filter((r) => r.status !== 'ok').length,
      messages: {
        compared: results.reduce((n, r) => n + r.messages.compared, 0),
        matched: results.reduce((n, r) => n + r.messages.matched, 0),
      },
    },
    files: results,
  };
}
