// Runs one job in a fresh worker process with the engine configuration's node flags, and reads
// its reply. A worker that dies (a crash in native code, a signal, no reply) is an error too.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import type { EngineConfig } from './engines.js';
import type { WorkerJob, WorkerReply } from './protocol.js';

/** The compiled worker; the benchmark runs from dist/ (`npm run bench` builds first). */
export const WORKER_PATH = join(PACKAGE_ROOT, 'dist', 'runner', 'bench', 'worker.js');

export interface WorkerRun {
  reply: WorkerReply;
  /** The exact command line, for reports. */
  command: string[];
}

export interface WorkerOptions {
  timeoutMs?: number;
  /** A kernel's own flags, for V8's workers only. */
  v8Flags?: string[];
  /** The node binary of V8's workers when another V8 than this Node's runs the kernel (kernel-v8.ts); the JIT's stay on this Node. */
  v8Node?: string;
}

export function runWorker(engine: EngineConfig, job: WorkerJob, options: WorkerOptions = {}): Promise<WorkerRun> {
  const { timeoutMs = 15 * 60_000, v8Flags = [], v8Node = process.execPath } = options;
  const worker = engine.workerPath ?? WORKER_PATH;
  if (!existsSync(worker)) throw new Error(`${worker} is missing: run "npm run build" first`);
  const v8 = engine.kind === 'v8';
  const command = [v8 ? v8Node : process.execPath, ...engine.nodeFlags, ...(v8 ? v8Flags : []), worker];
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const fail = (error: string): void => resolve({ command, reply: { ok: false, error } });
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(`could not start the worker: ${err.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      let reply: WorkerReply | undefined;
      try {
        reply = last ? (JSON.parse(last) as WorkerReply) : undefined;
      } catch {
        reply = undefined;
      }
      const tail = stderr.trim() ? `; stderr: ${stderr.trim().split('\n').slice(-5).join(' | ')}` : '';
      if (timedOut) fail(`timed out after ${timeoutMs / 1000} s${tail}`);
      else if (reply) resolve({ command, reply });
      else if (signal) fail(`the worker crashed (signal ${signal})${tail}`);
      else fail(`the worker exited with status ${code} and no reply${tail}`);
    });
    child.stdin.on('error', () => {}); // a worker that dies before reading its job is reported at close
    child.stdin.end(JSON.stringify(job));
  });
}
