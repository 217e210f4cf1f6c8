// Long-lived worker processes: one file at a time each; a worker that dies or hangs is replaced,
// and its file is reported as crashed or timed out with the last directive it reached.
import { ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyTally, FileResult, FileStatus } from '../../wast/results.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { FromWorker, ToWorker, WorkerConfig } from './protocol.js';

const WORKER = join(PACKAGE_ROOT, 'dist', 'runner', 'pool', 'worker-main.js');

// tmpfs where there is one: progress writes never touch a disk.
const PROGRESS_DIR = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
let workerCount = 0;

class Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly progressPath = join(PROGRESS_DIR, `mitey-progress-${process.pid}-${++workerCount}`);

  constructor(config: WorkerConfig) {
    this.child = fork(WORKER, [JSON.stringify(config), this.progressPath], {
      execArgv: [],  // not the parent's (jest's) flags
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === 'ready') {
          this.child.off('message', onMessage);
          resolve();
        }
      };
      this.child.on('message', onMessage);
      this.child.once('exit', (code, signal) => reject(new Error(`worker exited at start (${signal ?? code})`)));
    });
  }

  /** "line directive" of the last directive the worker began, or ''. */
  lastDirective(): string {
    try {
      return readFileSync(this.progressPath, 'latin1').trim();
    } catch {
      return '';
    }
  }
}

function failedFile(file: string, status: FileStatus, error: string, durationMs: number): FileResult {
  return { file, status, error, durationMs, ...emptyTally(), results: [] };
}

export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly live = new Set<Worker>();

  constructor(
    private readonly config: WorkerConfig,
    private readonly timeoutMs: number,
  ) {}

  private take(): Worker {
    const w = this.idle.pop() ?? new Worker(this.config);
    this.live.add(w);
    return w;
  }

  private retire(w: Worker): void {
    this.live.delete(w);
    w.child.kill('SIGKILL');
    rmSync(w.progressPath, { force: true });
  }

  /** Runs one file in a worker; resolves with its result, or with crashed / timeout. */
  async run(file: string): Promise<FileResult> {
    const w = this.take();
    const started = performance.now();
    try {
      await w.ready;
    } catch (err) {
      this.retire(w);
      return failedFile(file, 'crashed', `${file}: ${(err as Error).message}`, 0);
    }
    return new Promise<FileResult>((resolve) => {
      const done = (r: FileResult, keep: boolean) => {
        clearTimeout(timer);
        w.child.off('message', onMessage);
        w.child.off('exit', onExit);
        if (keep) this.idle.push(w);
        else this.retire(w);
        resolve(r);
      };
      const where = () => {
        const last = w.lastDirective();
        return last ? ` after reaching line ${last.replace(' ', ' (')})` : ' before its first directive';
      };
      const onMessage = (m: FromWorker) => {
        if (m.type === 'result') done(m.result, true);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        const how = signal ? `killed by ${signal}` : `ended with exit code ${code}`;
        done(failedFile(file, 'crashed', `${file}: the worker was ${how}${where()}`, Math.round(performance.now() - started)), false);
      };
      const timer = setTimeout(() => {
        done(failedFile(file, 'timeout', `${file}: no result within ${this.timeoutMs / 1000} s${where()}`, this.timeoutMs), false);
      }, this.timeoutMs);
      w.child.on('message', onMessage);
      w.child.once('exit', onExit);
      w.child.send({ type: 'run', file } satisfies ToWorker);
    });
  }

  close(): void {
    for (const w of [...this.idle, ...this.live]) {
      w.child.kill('SIGKILL');
      rmSync(w.progressPath, { force: true });
    }
    this.idle.length = 0;
    this.live.clear();
  }
}
