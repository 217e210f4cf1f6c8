// Runs one program on one engine in a child node process and reads its reply. A child that crashes,
// exits without a reply or outlives its time limit (killed) is an error for that program and engine.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../core/package-root.js';
import type { ChildJob, ChildReply } from './protocol.js';

/** The compiled child; the benchmark runs from dist/ (`npm run bench:programs` builds first). */
export const CHILD_PATH = join(PACKAGE_ROOT, 'dist', 'runner', 'bench', 'programs', 'child.js');

export const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export interface ChildRun {
  reply: ChildReply;
  command: string[];
  wallMs: number;
}

export function childCommand(nodeFlags: readonly string[], job: ChildJob): string[] {
  return [process.execPath, ...nodeFlags, CHILD_PATH, JSON.stringify(job)];
}

export function runChild(nodeFlags: readonly string[], job: ChildJob, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ChildRun> {
  if (!existsSync(CHILD_PATH)) throw new Error(`${CHILD_PATH} is missing: run "npm run build" first`);
  const command = childCommand(nodeFlags, job);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-20_000)));
    const done = (reply: ChildReply): void => resolve({ reply, command, wallMs: Date.now() - started });
    child.on('error', (err) => {
      clearTimeout(timer);
      done({ ok: false, error: `could not start the child: ${err.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      let reply: ChildReply | undefined;
      try {
        const parsed = last ? (JSON.parse(last) as ChildReply) : undefined;
        reply = parsed && typeof parsed === 'object' && 'ok' in parsed ? parsed : undefined;
      } catch {
        reply = undefined;
      }
      const tail = stderr.trim() ? `; stderr: ${stderr.trim().split('\n').slice(-5).join(' | ')}` : '';
      if (timedOut) done({ ok: false, error: `timed out after ${Math.round(timeoutMs / 1000)} s (killed)${tail}` });
      else if (reply) done(reply);
      else if (signal) done({ ok: false, error: `the child crashed (signal ${signal})${tail}` });
      else done({ ok: false, error: `the child exited with status ${code} and no reply${tail}` });
    });
  });
}
