// Runs .wast files one after another on one engine and gathers the run's results.
import { readFileSync } from 'node:fs';
import { Assembler } from '../wast/assembler.js';
import { Engine } from '../wast/engine.js';
import { runScript, RunOptions } from '../wast/interpreter.js';
import { parseScript } from '../wast/parser.js';
import { addTally, emptyTally, FileResult } from '../wast/results.js';
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
      ...emptyTally(),
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
  const totals = emptyTally();
  for (const r of results) addTally(totals, r);
  return {
    schema: 'mitey-results',
    version: 1,
    engine: { name: engine.name, version: engine.version, features: [...engine.features].sort() },
    startedAt,
    durationMs: Math.round(performance.now() - started),
    totals: {
      ...totals.counts,
      byDirective: totals.byDirective,
      commandFailures: totals.commandFailures,
      filesNotOk: results.filter((r) => r.status !== 'ok').length,
      messages: totals.messages,
    },
    files: results,
  };
}
