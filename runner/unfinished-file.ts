// A file that did not run to its end (it crashed, timed out, or could not be parsed) still counts every
// assertion of its script, so that passed + failed + skipped is every assertion of every file: those it
// reached keep their outcome, every other one is failed, listed with why it was not run.
import { scanAssertions } from '../wast/assertion-scan.js';
import { RecordedOutcome } from '../wast/interpreter.js';
import { addCounts, Counts, DirectiveResult, emptyCounts, FileResult, Outcome } from '../wast/results.js';

/** How the detail of an assertion the file never reached begins. */
const UNREACHED = 'not run: ';

/** An assertion listed failed only because its file stopped before it (the engine never ran it). */
export function unreached(d: DirectiveResult): boolean {
  return d.outcome === 'failed' && d.detail?.startsWith(UNREACHED) === true;
}

export interface Unfinished {
  /** Why the file stopped, for the assertions it did not reach: "the worker crashed", … */
  why: string;
  /** The script's text; none if it could not be read (then there is nothing to count). */
  text?: string;
  /** --line: only the assertion at that line was to run. */
  line?: number;
  /** The file's feature tags, under which the assertions not reached are counted. */
  features: ReadonlySet<string>;
  /**
   * What a worker recorded before it stopped; absent when the result itself holds what was reached
   * (a script that stopped with an error in the process that ran it).
   */
  reached?: RecordedOutcome[];
  /** The line of the directive the worker had begun when it stopped, if known. */
  stoppedAt?: number;
}

function count(r: FileResult, directive: string, features: ReadonlySet<string>, outcome: Outcome): void {
  const one = { ...emptyCounts(), [outcome]: 1, total: 1 } as Counts;
  addCounts(r.counts, one);
  addCounts((r.byDirective[directive] ??= { ...emptyCounts(), messages: { compared: 0, matched: 0 } }), one);
  for (const f of features) addCounts((r.byFeature[f] ??= emptyCounts()), one);
}

/** Completes the result of a file whose status is not ok; returns it. */
export function completeUnfinished(r: FileResult, how: Unfinished): FileResult {
  if (r.status === 'ok' || how.text === undefined) return r;
  let scanned = scanAssertions(how.text);
  if (how.line !== undefined) scanned = scanned.filter((a) => a.line === how.line);
  // What a worker reached: its assertions are the script's first ones, in order.
  for (const rec of how.reached ?? []) {
    if (rec.listed) r.results.push(rec.listed);
    if (!rec.assertion) {
      if (rec.outcome === 'failed') r.commandFailures++;
      continue;
    }
    const directive = rec.listed?.directive ?? scanned[r.counts.total]?.kind ?? 'assertion';
    count(r, directive, how.features, rec.outcome);
    const compared = rec.messageMatched || (rec.outcome === 'passed' && rec.listed?.messageMatches !== undefined);
    if (compared) {
      for (const m of [r.messages, r.byDirective[directive].messages]) {
        m.compared++;
        if (rec.messageMatched) m.matched++;
      }
    }
  }
  let first = true;
  for (const a of scanned.slice(r.counts.total)) {
    count(r, a.kind, how.features, 'failed');
    const here = first && a.line === how.stoppedAt;
    first = false;
    r.results.push({ line: a.line, col: a.col, directive: a.kind, assertion: true, outcome: 'failed', detail: `${UNREACHED}${how.why}${here ? ' here' : ''}` });
  }
  return r;
}
