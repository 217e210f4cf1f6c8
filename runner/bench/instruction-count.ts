// `npm run bench -- --count-instructions`: each kernel's run counted in instructions under valgrind's
// callgrind, on this checkout's JIT and on a baseline's. Run times on a shared machine vary by a
// quarter from one process to the next (layout, load); the instructions a kernel executes do not, so
// "did this change make a kernel slower" gets an answer that holds on a noisy machine: the
// instructions in generated code (code of no file: the JIT's, and V8's JIT-compiled JS of the
// harness, the same on both sides) and in the addon's handlers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KernelJob, WorkerReply } from './protocol.js';

/** Instructions one worker process executed, split by where they ran. */
export interface InstructionSplit {
  /** in code that belongs to no file: generated code */
  generated: number;
  /** in the JIT's addon (mitey_jit*.node): handlers, compiler, runtime */
  addon: number;
  /** the whole process */
  total: number;
}

export interface CountedRun extends InstructionSplit {
  checksum: string;
}

/** Whether valgrind and callgrind_annotate are on the PATH. */
export function callgrindAvailable(): boolean {
  // callgrind_annotate --version prints its version and exits 255: that it started is what counts
  const runs = (cmd: string): boolean => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).error === undefined;
  return runs('valgrind') && runs('callgrind_annotate');
}

const number = (s: string): number => Number(s.replace(/,/g, ''));

/**
 * The split of `callgrind_annotate --inclusive=no --threshold=100` output: its PROGRAM TOTALS, and the
 * self cost of each function line by its object in brackets ("[???]": no file; a path ending in
 * mitey_jit*.node: the addon).
 */
export function splitAnnotated(text: string): InstructionSplit {
  let total: number | undefined;
  let generated = 0;
  let addon = 0;
  for (const line of text.split('\n')) {
    const totals = /^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?PROGRAM TOTALS/.exec(line);
    if (totals) {
      total = number(totals[1]);
      continue;
    }
    const fn = /^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?\S.*\[([^\]]*)\]\s*$/.exec(line);
    if (!fn) continue;
    if (fn[2] === '???') generated += number(fn[1]);
    else if (/mitey_jit[\w.-]*\.node$/.test(fn[2])) addon += number(fn[1]);
  }
  if (total === undefined) throw new Error('callgrind_annotate printed no PROGRAM TOTALS line');
  return { generated, addon, total };
}

/** One kernel job of a bench worker (this checkout's or a baseline's) under callgrind. */
export function countInstructions(workerPath: string, job: KernelJob, timeoutMs = 15 * 60_000): CountedRun {
  const dir = mkdtempSync(join(tmpdir(), 'mitey-callgrind-'));
  try {
    const out = join(dir, 'callgrind.out');
    const run = spawnSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, workerPath], {
      input: JSON.stringify(job),
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 64 << 20,
    });
    if (run.error) throw new Error(`valgrind: ${run.error.message}`);
    const last = run.stdout.trim().split('\n').pop() ?? '';
    let reply: WorkerReply;
    try {
      reply = JSON.parse(last) as WorkerReply;
    } catch {
      throw new Error(`the worker under valgrind gave no reply (status ${run.status}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    }
    if (!reply.ok) throw new Error(reply.error);
    if (!('measurement' in reply)) throw new Error('the worker sent no kernel measurement');
    const annotated = spawnSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', out], { encoding: 'utf8', maxBuffer: 256 << 20 });
    if (annotated.status !== 0) throw new Error(`callgrind_annotate failed: ${annotated.stderr.trim()}`);
    return { ...splitAnnotated(annotated.stdout), checksum: reply.measurement.checksum };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CountedKernel {
  kernel: string;
  arg: number;
  jit?: CountedRun;
  baseline?: CountedRun;
  /** why the baseline has no count: it failed on the kernel (a feature it lacks, as in the timed bench's n/a) */
  baselineError?: string;
  /** the JIT failed, or the checksums differ */
  problem?: string;
}

function tryCount(workerPath: string, job: KernelJob): CountedRun | string {
  try {
    return countInstructions(workerPath, job);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Every kernel at its count-arg on this JIT (workerPath) and, when given, a baseline checkout's JIT. */
export function countKernels(
  kernels: readonly { name: string; countArg: number; wasm: string }[],
  workerPath: string,
  baselineWorkerPath: string | undefined,
  progress?: (line: string) => void,
): CountedKernel[] {
  return kernels.map((k) => {
    const job: KernelJob = { kind: 'kernel', engine: 'jit', kernel: k.name, wasm: k.wasm, arg: k.countArg, runs: 1 };
    const row: CountedKernel = { kernel: k.name, arg: k.countArg };
    const jit = tryCount(workerPath, job);
    if (typeof jit === 'string') row.problem = `the JIT failed: ${jit}`;
    else row.jit = jit;
    progress?.(`${k.name}(${k.countArg}) on JIT: ${row.jit ? `${row.jit.generated} in generated code, ${row.jit.addon} in the addon, ${row.jit.total} in all` : row.problem}`);
    if (!baselineWorkerPath) return row;
    const baseline = tryCount(baselineWorkerPath, job);
    if (typeof baseline === 'string') row.baselineError = baseline;
    else row.baseline = baseline;
    progress?.(`${k.name}(${k.countArg}) on the baseline: ${row.baseline ? `${row.baseline.generated} in generated code, ${row.baseline.addon} in the addon` : `n/a (${row.baselineError})`}`);
    if (row.jit && row.baseline && row.jit.checksum !== row.baseline.checksum) row.problem = `checksum ${row.jit.checksum} on the JIT, ${row.baseline.checksum} on the baseline`;
    return row;
  });
}

const millions = (n: number): string => (n / 1e6).toFixed(2);
const ratio = (a: number, b: number): string => (b === 0 ? '-' : `${(a / b).toFixed(4)}x`);

/** The table: millions of instructions per kernel, and against the baseline the ratios now/baseline. */
export function formatCounts(rows: readonly CountedKernel[], baselineLabel?: string): string {
  const head = ['kernel', 'arg', 'generated (M)', 'addon (M)'];
  if (baselineLabel) head.push(`${baselineLabel} generated (M)`, `${baselineLabel} addon (M)`, 'generated now/baseline', 'generated+addon now/baseline');
  const body = rows.map((r) => {
    const cells = [r.kernel, String(r.arg), r.jit ? millions(r.jit.generated) : '-', r.jit ? millions(r.jit.addon) : '-'];
    if (baselineLabel && r.jit && r.baseline) {
      cells.push(millions(r.baseline.generated), millions(r.baseline.addon), ratio(r.jit.generated, r.baseline.generated));
      cells.push(ratio(r.jit.generated + r.jit.addon, r.baseline.generated + r.baseline.addon));
    } else if (baselineLabel) cells.push('n/a', 'n/a', '-', '-');
    if (r.problem) cells.push(`PROBLEM: ${r.problem}`);
    return cells;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((c) => (c[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [
    'instructions executed by one run of each kernel at its count-arg (warm-up and one counted run, in one worker process under valgrind --tool=callgrind):',
    line(head),
    ...body.map(line),
  ].join('\n');
}
