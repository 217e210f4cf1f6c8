// Long-lived worker processes: one file at a time each; a worker that dies or hangs is replaced,
// and its file is reported as crashed or timed out with the last directive it reached; its assertions
// are counted all the same (what it reported before it stopped, the rest failed).
import { ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyTally, FileResult, FileStatus } from '../../wast/results.js';
import { featuresOfFile } from '../../core/features.js';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { completeUnfinished } from '../unfinished-file.js';
import { onExit } from './exit-cleanup.js';
import { closeProgressFile, createProgressFile, readProgress } from './progress-file.js';
import { DRIVER_DIED_EXIT, EngineIdentity, FromWorker, ToWorker, WorkerConfig } from './protocol.js';

const WORKER = join(PACKAGE_ROOT, 'dist', 'runner', 'pool', 'worker-main.js');

/** The Node a worker is forked with: its binary, and the V8 flags on its command line (never NODE_OPTIONS, which Node 26 refuses them in). */
export interface WorkerNode {
  execPath: string;
  v8Flags: string[];
}

class Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly progress = createProgressFile();
  private ended = false;

  constructor(config: WorkerConfig, node: WorkerNode, onIdentity: (e: EngineIdentity) => void) {
    this.child = fork(WORKER, [JSON.stringify({ ...config, v8Flags: node.v8Flags })], {
      execPath: node.execPath,
      execArgv: node.v8Flags,  // not the parent's (jest's) flags
      stdio: ['ignore', 'inherit', 'inherit', 'ipc', this.progress],  // the progress file is the worker's fd 4 (PROGRESS_FD)
      serialization: 'advanced',
      // A process group of its own: killing it kills an engine driver the worker started too, even a hung one.
      detached: true,
    });
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === 'ready') {
          this.child.off('message', onMessage);
          onIdentity(m.engine);
          resolve();
        }
      };
      this.child.on('message', onMessage);
      this.child.once('exit', (code, signal) => reject(new Error(`worker exited at start (${signal ?? code})`)));
    });
  }

  /** Kills the worker's process group: the worker and any driver it started. */
  kill(): void {
    try {
      if (this.child.pid !== undefined) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }

  /**
   * Kills the worker (the signal is sent at once: this works in an exit handler too) and lets its progress file
   * go; resolves when the worker has ended.
   */
  end(): Promise<void> {
    const exited = this.child.exitCode !== null || this.child.signalCode !== null;
    const ended = exited ? Promise.resolve() : new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.ended) return ended;  // the descriptor's number may already be another file's
    this.ended = true;
    this.kill();
    closeProgressFile(this.progress);
    return ended;
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly live = new Set<Worker>();

  private readonly forgetCleanup: () => void;
  /** The engine as the first worker that started reported it. */
  identity?: EngineIdentity;

  /** `timeoutMs` undefined: no limit (--jobs 0 run in a worker because the engine cannot run in this process). */
  constructor(
    private readonly config: WorkerConfig,
    private readonly timeoutMs: number | undefined,
    private readonly node: WorkerNode = { execPath: process.execPath, v8Flags: [] },
  ) {
    // Interrupted, or ended any other way, the runner leaves no worker behind.
    this.forgetCleanup = onExit(() => this.close());
  }

  /** A file that did not run to its end, with every assertion counted (what the worker reached, the rest failed). */
  private unfinished(file: string, w: Worker | undefined, status: FileStatus, error: (where: string) => string, durationMs: number): FileResult {
    const progress = w ? readProgress(w.progress) : { last: '', reached: [] };
    const where = progress.last ? ` after reaching line ${progress.last.replace(' ', ' (')})` : ' before its first directive';
    const r: FileResult = { file, status, error: error(where), durationMs, ...emptyTally(), results: [] };
    return completeUnfinished(r, {
      why: status === 'timeout' ? 'the file timed out' : 'the worker crashed',
      text: readText(file),
      line: this.config.options.line,
      features: featuresOfFile(file),
      reached: progress.reached,
      stoppedAt: progress.last ? Number(progress.last.split(' ')[0]) : undefined,
    });
  }

  private take(): Worker {
    const w = this.idle.pop() ?? new Worker(this.config, this.node, (e) => (this.identity ??= e));
    this.live.add(w);
    return w;
  }

  private retire(w: Worker): void {
    this.live.delete(w);
    void w.end();
  }

  /** Runs one file in a worker; resolves with its result, or with crashed / timeout. */
  async run(file: string): Promise<FileResult> {
    const w = this.take();
    const started = performance.now();
    try {
      await w.ready;
    } catch (err) {
      this.retire(w);
      return this.unfinished(file, undefined, 'crashed', () => `${file}: ${(err as Error).message}`, 0);
    }
    return new Promise<FileResult>((resolve) => {
      const done = (r: FileResult | (() => FileResult), keep: boolean) => {
        clearTimeout(timer);
        w.child.off('message', onMessage);
        w.child.off('exit', onExit);
        if (!keep) w.kill();  // its progress is read before the file is let go
        const result = typeof r === 'function' ? r() : r;
        if (keep) this.idle.push(w);
        else this.retire(w);
        resolve(result);
      };
      const onMessage = (m: FromWorker) => {
        if (m.type === 'result') done(m.result, true);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        const died = code === DRIVER_DIED_EXIT ? readProgress(w.progress).driverDied : undefined;
        const how = died ? `stopped: its engine's driver died (${died})` : signal ? `killed by ${signal}` : `ended with exit code ${code}`;
        done(() => this.unfinished(file, w, 'crashed', (where) => `${file}: the worker was ${how}${where}`, Math.round(performance.now() - started)), false);
      };
      const limit = this.timeoutMs;
      const timer = limit === undefined ? undefined : setTimeout(() => {
        done(() => this.unfinished(file, w, 'timeout', (where) => `${file}: no result within ${limit / 1000} s${where}`, limit), false);
      }, limit);
      w.child.on('message', onMessage);
      w.child.once('exit', onExit);
      w.child.send({ type: 'run', file } satisfies ToWorker);
    });
  }

  /** Kills every worker; resolves when they have ended. */
  close(): Promise<void> {
    const ended = [...new Set([...this.idle, ...this.live])].map((w) => w.end());
    this.idle.length = 0;
    this.live.clear();
    this.forgetCleanup();
    return Promise.all(ended).then(() => undefined);
  }
}
