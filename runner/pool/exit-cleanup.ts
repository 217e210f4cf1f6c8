// Cleanups that must run however the runner ends: on SIGINT, SIGTERM and SIGHUP (then the runner exits
// with 128 + the signal's number, as a shell reports it) and on every exit Node sees (the end of the run,
// process.exit, an uncaught error). Signal handlers are installed only while a cleanup is registered:
// otherwise the signals keep their default action.
import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** A cleanup acts at once; its promise, if any, says when what it stopped has ended (awaited on a signal). */
type Cleanup = () => void | Promise<void>;
const cleanups = new Set<Cleanup>();
/** How long a signalled runner waits for its workers' ends (so that it, not init, reaps them). */
const REAP_MS = 2000;

function runAll(): Promise<void>[] {
  const ended: Promise<void>[] = [];
  for (const c of [...cleanups]) {
    cleanups.delete(c);
    const p = c();
    if (p) ended.push(p);
  }
  return ended;
}

async function onSignal(signal: NodeJS.Signals): Promise<void> {
  const ended = runAll();
  process.stderr.write(`\nmitey: stopped by ${signal}\n`);
  await Promise.race([Promise.all(ended), new Promise((resolve) => setTimeout(resolve, REAP_MS).unref())]);
  process.exit(128 + constants.signals[signal]);
}

function onProcessExit(): void {
  runAll();
}

function install(on: boolean): void {
  for (const s of SIGNALS) (on ? process.on : process.off).call(process, s, onSignal);
  (on ? process.on : process.off).call(process, 'exit', onProcessExit);
}

/** Registers a cleanup until the returned function is called (which does not run it). */
export function onExit(cleanup: Cleanup): () => void {
  if (cleanups.size === 0) install(true);
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
    if (cleanups.size === 0) install(false);
  };
}
