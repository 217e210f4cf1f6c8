// A driver process spoken to synchronously: the Engine interface is synchronous, so requests and replies go
// through two named pipes read and written with blocking calls, not through Node's event loop. Only the driver
// holds the write end of the reply pipe, so its end (crash, exit) is the end of input here, and its exit status is
// read from /proc while it waits, unreaped, as a zombie. Its stderr goes to a file, whose last lines say why.
// The pipes and the file lose their names at once: nothing is left behind however either process ends.
import { spawn, ChildProcess, execFileSync } from 'node:child_process';
import { closeSync, constants, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { FdLineReader, writeLineTo } from './fd-lines.js';
import { join } from 'node:path';

export class DriverDiedError extends Error {}

/** How long a driver asked to quit has before it is killed. */
const QUIT_GRACE_MS = 300;

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export class DriverProcess {
  private readonly child: ChildProcess;
  private readonly toDriver: number;
  private readonly fromDriver: number;
  private readonly driverErr: number;
  private readonly lines: FdLineReader;
  private closed = false;

  constructor(readonly argv: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    const dir = mkdtempSync(join(tmpdir(), 'mitey-driver-'));
    const requests = join(dir, 'requests');
    const replies = join(dir, 'replies');
    execFileSync('mkfifo', [requests, replies]);
    // Opening a pipe's one end blocks until its other end is open; a read-write opening never blocks on Linux and
    // stands in for the other end while the real ones open, then goes.
    const holdReplies = openSync(replies, constants.O_RDWR);
    this.fromDriver = openSync(replies, constants.O_RDONLY);
    this.lines = new FdLineReader(this.fromDriver);
    const driverOut = openSync(replies, constants.O_WRONLY);
    closeSync(holdReplies);
    const holdRequests = openSync(requests, constants.O_RDWR);
    this.toDriver = openSync(requests, constants.O_WRONLY);
    const driverIn = openSync(requests, constants.O_RDONLY);
    closeSync(holdRequests);
    this.driverErr = openSync(join(dir, 'stderr'), 'w+');
    try {
      this.child = spawn(argv[0], argv.slice(1), { stdio: [driverIn, driverOut, this.driverErr], env });
    } finally {
      closeSync(driverIn);
      closeSync(driverOut);
      // Nothing is left behind however this process ends: the descriptors are all that is needed.
      rmSync(dir, { recursive: true, force: true });
    }
    this.child.on('error', () => {}); // a driver that did not start: its first reply is the end of input
    this.child.unref();
  }

  /** The driver's process id (undefined when it did not start). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  writeLine(line: string): void {
    try {
      writeLineTo(this.toDriver, line);
    } catch (err) {
      throw new DriverDiedError(this.howItEnded(`it stopped reading (${(err as NodeJS.ErrnoException).code})`));
    }
  }

  /** The next line from the driver; throws DriverDiedError at the end of its output. */
  readLine(): string {
    const line = this.lines.readLine();
    if (line === null) throw new DriverDiedError(this.howItEnded('its output ended'));
    return line;
  }

  /** Why the driver is gone: its signal or exit status (once it is a zombie) and the last lines of its stderr. */
  private howItEnded(fallback: string): string {
    let how = fallback;
    const pid = this.child.pid;
    if (pid === undefined) how = `it did not start (${this.argv[0]}: ${this.child.exitCode ?? 'not found'})`;
    else {
      for (let waited = 0; waited < 2000; waited += 10) {
        const status = zombieStatus(pid);
        if (status !== undefined) {
          const signal = status & 0x7f;
          how = signal ? `it was killed by signal ${signal}${signalName(signal)}` : `it exited with status ${(status >> 8) & 0xff}`;
          break;
        }
        sleep(10);
      }
    }
    const tail = Buffer.alloc(4096);
    const size = fstatSync(this.driverErr).size;
    const got = readSync(this.driverErr, tail, 0, tail.length, Math.max(0, size - tail.length));
    const err = tail.toString('utf8', 0, got).trim().split('\n').slice(-3).join(' | ');
    return `the driver \`${this.argv.join(' ')}\` ended: ${how}${err ? `; its stderr: ${err.slice(0, 500)}` : ''}`;
  }

  /** Ends the driver: asks it to quit, gives it a moment to (a driver may write a profile, say), then kills it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      writeSync(this.toDriver, '{"op":"quit"}\n');
    } catch {
      // already gone
    }
    closeSync(this.toDriver);
    closeSync(this.fromDriver);
    closeSync(this.driverErr);
    // A driver that never started has no process: ChildProcess.kill() on it would signal process 0, our own group.
    const pid = this.child.pid;
    if (pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return; // none, or reaped
    for (let waited = 0; waited < QUIT_GRACE_MS && zombieStatus(pid) === undefined; waited += 5) sleep(5);
    // By number: not reaped (its exit is not recorded above), so the number is still its own.
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already reaped
    }
  }
}

/** The wait status of a process that has ended and not been reaped (field 52 of /proc/PID/stat), else undefined. */
function zombieStatus(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).trim().split(' ');
  return fields[0] === 'Z' ? Number(fields[fields.length - 1]) : undefined;
}

const SIGNALS: Record<number, string> = { 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM' };
const signalName = (n: number) => (SIGNALS[n] ? ` (${SIGNALS[n]})` : '');
