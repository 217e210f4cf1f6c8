// Long-lived worker processes: one file at a time each; a worker that dies or hangs is replaced,
// and its file is reported as crashed or timed out with the last directive it reached.
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { emptyTally, FileResult, FileStatus } from '../../wast/results.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { FromWorker, PROGRESS_FD, ToWorker, WorkerConfig } from './protocol.js';

const WORKER = join(PACKAGE_ROOT, 'dist', 'runner', 'pool', 'worker-main.js');

class Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  lastDirective = '';
  private partial = '';

  constructor(config: WorkerConfig) {
    this.child = fork(WORKER, [JSON.stringify(config)], {
      execArgv: [],  // not the parent's (jest's) flags
      stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'],
      serialization: 'advanced',
    });
    (this.child.stdio[PROGRESS_FD] as Readable).on('data', (chunk: Buffer) => {
      const lines = (this.partial + chunk.toString()).split('\n');
      this.partial = lines.pop() ?? '';
      if (lines.length) this.lastDirective = lines[lines.length - 1];
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
    w.lastDirective = '';
    return new Promise<FileResult>((resolve) => {
      const done = (r: FileResult, keep: boolean) => {
        clearTimeout(timer);
        w.child.off('message', onMessage);
        w.child.off('exit', onExit);
        if (keep) this.idle.push(w);
        else this.retire(w);
        resolve(r);
      };
      const where = () => (w.lastDirective ? ` after reaching line ${w.lastDirective.replace(' ', ' (')})` : ' before its first directive');
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
    for (const w of [...this.idle, ...this.live]) w.child.kill('SIGKILL');
    this.idle.length = 0;
    this.live.clear();
  }
}
