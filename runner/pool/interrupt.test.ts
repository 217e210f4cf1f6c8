// The runner stops what it started, however it ends: a timeout with --jobs 0 is honoured, SIGINT and SIGTERM
// kill the workers (even one spinning in a loop), a worker ends itself when the runner is killed outright,
// and nothing is left in /dev/shm. A timeout Node's timers cannot wait for is refused.
import { describe, expect, test } from '@jest/globals';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runCli } from '../cli-run.js';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { RunResult } from '../run-result.js';

const GOOD = join(PACKAGE_ROOT, 'fixtures', 'wast');
const LOOP = join(PACKAGE_ROOT, 'fixtures', 'hangs', 'endless-loop.wast');
const GOOD_FILES = readdirSync(GOOD).filter((f) => f.endsWith('.wast')).length;
const SHM = existsSync('/dev/shm') ? '/dev/shm' : undefined;

/** pid → [parent pid, state] of every process, from /proc. */
function processes(): Map<number, [number, string]> {
  const out = new Map<number, [number, string]>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(e), [Number(ppid), state]);
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

const childrenOf = (pid: number) => [...processes()].filter(([, [ppid]]) => ppid === pid).map(([p]) => p);
/** Gone, or a zombie (dead; reaped by whoever init is). */
const ended = (pid: number) => ['Z', undefined].includes(processes().get(pid)?.[1]);
const progressFilesOf = (pid: number) => (SHM ? readdirSync(SHM).filter((f) => f.startsWith(`mitey-progress-${pid}-`)) : []);

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The runner on the good files and the endless loop, with two workers: once the good files are done, one worker spins. */
async function spinning(): Promise<{ runner: ChildProcess; workers: number[]; out: () => string }> {
  const runner = spawn(process.execPath, [CLI, 'wast', GOOD, LOOP, '--jobs', '2', '--timeout', '600'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  runner.stdout!.on('data', (d) => (out += d));
  runner.stderr!.on('data', (d) => (out += d));
  await until('the good files', () => (out.match(/^ok /gm) ?? []).length === GOOD_FILES);
  const workers = childrenOf(runner.pid!);
  expect(workers).toHaveLength(2);
  return { runner, workers, out: () => out };
}

const exit = (p: ChildProcess) => new Promise<[number | null, string | null]>((resolve) => p.once('exit', (code, signal) => resolve([code, signal])));

describe('the runner stops what it started', () => {
  test('--jobs 0 with --timeout: the looping file times out, the others run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mitey-'));
    const json = join(dir, 'run.json');
    // Killed after 60 s, so that a runner that ignores the timeout fails the test instead of hanging it.
    const r = spawnSync(process.execPath, [CLI, 'wast', LOOP, join(GOOD, 'modules.wast'), '--jobs', '0', '--timeout', '2', '--json', json], { encoding: 'utf8', timeout: 60_000 });
    expect(r.signal).toBeNull();
    const [loop, modules] = (JSON.parse(readFileSync(json, 'utf8')) as RunResult).files;
    rmSync(dir, { recursive: true });
    expect(loop).toMatchObject({ status: 'timeout', counts: { passed: 0, failed: 2, total: 2 } });
    expect(loop.error).toMatch(/no result within 2 s after reaching line 4 \(assert_return\)/);
    expect(modules).toMatchObject({ status: 'ok' });
    expect(modules.counts.passed).toBe(modules.counts.total);
    expect(r.stdout).toMatch(/^wast: \d+ passed, 2 failed, 0 skipped \(1 file did not run to its end\)$/m);
    expect(r.status).toBe(1);
  });

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: the workers (the spinning one too) are killed and reaped, nothing is left in /dev/shm', async (signal, code) => {
    const { runner, workers, out } = await spinning();
    // The progress files are on tmpfs, open in the workers, without a name from the start.
    if (SHM) for (const w of workers) expect(readlinkSync(`/proc/${w}/fd/4`)).toMatch(new RegExp(`^${SHM}/mitey-progress-${runner.pid}-\\d+ \\(deleted\\)$`));
    expect(progressFilesOf(runner.pid!)).toEqual([]);
    const exited = exit(runner);
    runner.kill(signal);
    expect(await exited).toEqual([code, null]);
    expect(out()).toContain(`mitey: stopped by ${signal}`);
    for (const w of workers) expect([w, processes().has(w)]).toEqual([w, false]);
    expect(progressFilesOf(runner.pid!)).toEqual([]);
  });

  test('SIGKILL to the runner: the workers end themselves', async () => {
    const { runner, workers } = await spinning();
    const exited = exit(runner);
    runner.kill('SIGKILL');
    await exited;
    await until('the workers to end', () => workers.every(ended), 10_000);
  });

  test('a timeout longer than Node timers can wait is refused', () => {
    const r = runCli(['wast', GOOD, '--timeout', '2147484']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--timeout can be at most 2147483 seconds');
    expect(r.stdout).toBe('');
    expect(runCli(['wast', join(GOOD, 'modules.wast'), '--timeout', '2147483']).status).toBe(0);
  });
});
