// What a worker has reached in its current file, written as it goes and read by the runner only when the
// worker died or hung: a fixed header "line directive", rewritten before each directive, then a line per
// recorded outcome ("p": passed, "m": passed with the message matched, else the JSON of its listed result).
// Written synchronously, before the next instruction can crash; a file rather than a pipe, so that the
// runner is not woken per directive. The runner creates it on tmpfs, passes it to the worker as an open
// descriptor and deletes its name at once: nothing is left behind, however either process ends.
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordedOutcome } from '../../wast/interpreter.js';
import { DirectiveResult } from '../../wast/results.js';

const HEADER_BYTES = 64;

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
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private end = HEADER_BYTES;

  constructor(private readonly fd: number) {}

  /** Forgets the previous file's progress. */
  startFile(): void {
    ftruncateSync(this.fd, 0);
    this.end = HEADER_BYTES;
  }

  directive(line: number, directive: string): void {
    this.header.fill(0x20);
    this.header.write(`${line} ${directive}`, 0, 'latin1');
    writeSync(this.fd, this.header, 0, HEADER_BYTES, 0);
  }

  record(r: RecordedOutcome): void {
    const text = (r.listed ? JSON.stringify(r.listed) : r.messageMatched ? 'm' : 'p') + '\n';
    this.end += writeSync(this.fd, text, this.end);
  }
}

export interface Progress {
  last: string; // "line directive" of the last directive begun, or ''
  reached: RecordedOutcome[]; // in the order recorded
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
  const last = bytes.subarray(0, HEADER_BYTES).toString('latin1').replace(/\0/g, '').trim();
  const reached: RecordedOutcome[] = [];
  for (const line of bytes.subarray(HEADER_BYTES).toString('utf8').split('\n')) {
    if (line === 'p' || line === 'm') reached.push({ assertion: true, outcome: 'passed', messageMatched: line === 'm' });
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
  return { last, reached };
}

export function closeProgressFile(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
