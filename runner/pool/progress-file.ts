// What a worker has reached in its current file, written as it goes and read by the runner only when the
// worker died or hung: an append-only log of "@line directive" as each directive begins and a line per
// recorded outcome ("p": passed, "m": passed with the message matched, else the JSON of its listed result).
// One write per directive, synchronously before it runs (a crash can only come from running it): the
// outcomes of the directive before, then its own line. A file rather than a pipe, so that the runner is
// not woken per directive. The runner creates it on tmpfs, passes it to the worker as an open
// descriptor and deletes its name at once: nothing is left behind, however either process ends.
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordedOutcome } from '../../wast/interpreter.js';
import { DirectiveResult } from '../../wast/results.js';


// tmpfs where there is one: progress writes never touch a disk.
const PROGRESS_DIR = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
let created = 0;

/** A new progress file, already without a name: the descriptor is all there is of it. */
export function createProgressFile(): number {
  const path = join(PROGRESS_DIR, `mitey-progress-${process.pid}-${++created}`);
  const fd = openSync(path, 'w+');
  unlinkSync(path);
  return fd;
}

/** The worker's side. */
export class ProgressWriter {
  private end = 0;
  private pending = '';

  constructor(private readonly fd: number) {}

  /** Forgets the previous file's progress. */
  startFile(): void {
    ftruncateSync(this.fd, 0);
    this.end = 0;
    this.pending = '';
  }

  directive(line: number, directive: string): void {
    this.end += writeSync(this.fd, `${this.pending}@${line} ${directive}\n`, this.end);
    this.pending = '';
  }

  /** The engine's driver died: said before the worker ends (a line of its own, "!" and the reason). */
  died(reason: string): void {
    this.end += writeSync(this.fd, `${this.pending}!${reason.replace(/\n/g, ' ')}\n`, this.end);
    this.pending = '';
  }

  record(r: RecordedOutcome): void {
    this.pending += (r.listed ? JSON.stringify(r.listed) : r.messageMatched ? 'm' : 'p') + '\n';
  }
}

export interface Progress {
  last: string; // "line directive" of the last directive begun, or ''
  reached: RecordedOutcome[]; // in the order recorded
  driverDied?: string; // why the engine's driver ended, when it did
}

/** The runner's side: what the worker had reached when it stopped. */
export function readProgress(fd: number): Progress {
  let bytes: Buffer;
  try {
    bytes = Buffer.alloc(fstatSync(fd).size);
    readSync(fd, bytes, 0, bytes.length, 0);
  } catch {
    return { last: '', reached: [] };
  }
  let last = '';
  let driverDied: string | undefined;
  const reached: RecordedOutcome[] = [];
  for (const line of bytes.toString('utf8').split('\n')) {
    if (line.startsWith('@')) last = line.slice(1);
    else if (line.startsWith('!')) driverDied = line.slice(1);
    else if (line === 'p' || line === 'm') reached.push({ assertion: true, outcome: 'passed', messageMatched: line === 'm' });
    else if (line !== '') {
      let listed: DirectiveResult;
      try {
        listed = JSON.parse(line) as DirectiveResult;
      } catch {
        break; // cut short by the end of the worker
      }
      reached.push({ assertion: listed.assertion, outcome: listed.outcome, messageMatched: false, listed });
    }
  }
  return { last, reached, ...(driverDied ? { driverDied } : {}) };
}

export function closeProgressFile(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
