// The result of running scripts: per directive, per file, per run. The JSON format (see README) is built from these.

/** What became of a directive. Only assertions are counted; other commands report failures too. */
export type Outcome =
  | 'passed'
  | 'failed'
  | 'skipped' // not run (e.g. unknown directive, unsupported by the harness)
  | 'blocked' // depends on a module that could not be made
  | 'assembler' // the text could not be assembled, or a malformed text was wrongly accepted, by wabt
  | 'unsupported'; // the engine lacks a feature the directive needs

export const OUTCOMES: readonly Outcome[] = ['passed', 'failed', 'skipped', 'blocked', 'assembler', 'unsupported'];

export interface DirectiveResult {
  line: number;
  col: number;
  directive: string;
  assertion: boolean;
  outcome: Outcome;
  detail?: string;
  expected?: string;
  actual?: string;
  expectedMessage?: string;
  actualMessage?: string;
  messageMatches?: boolean;
  source?: string;
}

export type Counts = Record<Outcome, number> & { total: number };

export function emptyCounts(): Counts {
  return { passed: 0, failed: 0, skipped: 0, blocked: 0, assembler: 0, unsupported: 0, total: 0 };
}

export function addCounts(into: Counts, from: Counts): void {
  for (const o of OUTCOMES) into[o] += from[o];
  into.total += from.total;
}

/** passed, failed, and everything else (skipped, blocked, assembler, unsupported) as skipped. */
export function summaryTriple(c: Counts): { passed: number; failed: number; skipped: number } {
  return { passed: c.passed, failed: c.failed, skipped: c.total - c.passed - c.failed };
}

export interface MessageCounts {
  compared: number; // passed assertions whose expected message was compared with the engine's
  matched: number; // of those, the engine's message starts with the expected one
}

/** What a run of directives adds up to; files and whole runs are sums of these. */
export interface Tally {
  counts: Counts; // assertions only
  byDirective: Record<string, Counts & { messages: MessageCounts }>; // per assertion kind
  byFeature: Record<string, Counts>; // per feature an assertion needs (each assertion under each of its features)
  commandFailures: number; // module, register and action commands that failed
  messages: MessageCounts;
}

export function emptyTally(): Tally {
  return { counts: emptyCounts(), byDirective: {}, byFeature: {}, commandFailures: 0, messages: { compared: 0, matched: 0 } };
}

export function addTally(into: Tally, from: Tally): void {
  addCounts(into.counts, from.counts);
  for (const [d, c] of Object.entries(from.byDirective)) {
    const t = (into.byDirective[d] ??= { ...emptyCounts(), messages: { compared: 0, matched: 0 } });
    addCounts(t, c);
    t.messages.compared += c.messages.compared;
    t.messages.matched += c.messages.matched;
  }
  for (const [f, c] of Object.entries(from.byFeature)) addCounts((into.byFeature[f] ??= emptyCounts()), c);
  into.commandFailures += from.commandFailures;
  into.messages.compared += from.messages.compared;
  into.messages.matched += from.messages.matched;
}

export type FileStatus = 'ok' | 'crashed' | 'timeout' | 'error';

export interface FileResult extends Tally {
  file: string;
  status: FileStatus;
  error?: string; // for status error/crashed/timeout: what happened, with file:line:col where known
  durationMs: number;
  results: DirectiveResult[]; // every non-pass, every failed command, and every message mismatch
}
