// The benchmark's printed table and its JSON file.
import { formatBoundary } from './boundary.js';
import { engineLacks } from './run-bench.js';
import type { BenchResult, KernelResult } from './run-bench.js';
import type { EngineName } from './engines.js';

const ORDER: EngineName[] = ['jit', 'liftoff', 'turbofan'];

function ms(k: KernelResult, engine: EngineName, which: 'compileMs' | 'runMs'): string {
  const r = k.engines.find((e) => e.engine === engine);
  const m = r?.measurement;
  if (r && engineLacks(r)) return 'n/a';  // the baseline predates the kernel's features, or this V8 cannot run it
  if (!m) return 'FAIL';
  const v = m[which];
  return v.toFixed(v < 1 ? 3 : v < 100 ? 2 : 1);
}

const ratio = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(2)}x`);

function checksumCell(k: KernelResult): string {
  if (k.checksum !== undefined) return k.checksum;
  return k.engines.some((r) => r.measurement) ? 'MISMATCH' : 'FAIL';
}

/** Columns padded to their widest cell; the first three left-aligned, numbers right-aligned. */
function align(rows: string[][], left: number): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c < left ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}

export function formatTable(result: BenchResult): string {
  const baseline = result.engines.find((x) => x.name === 'baseline');
  const order: EngineName[] = baseline ? [...ORDER, 'baseline'] : ORDER;
  const labels = order.map((e) => result.engines.find((x) => x.name === e)!.label);
  const header = ['kernel', 'arg', 'checksum', ...labels.map((l) => `${l} compile`), ...labels.map((l) => `${l} run`), 'JIT/Liftoff', 'JIT/TurboFan'];
  if (baseline) header.push(`${baseline.label}/Liftoff`);
  const rows = result.kernels.map((k) => [
    k.kernel,
    String(k.arg),
    checksumCell(k),
    ...order.map((e) => ms(k, e, 'compileMs')),
    ...order.map((e) => ms(k, e, 'runMs')),
    ratio(k.jitOverLiftoff),
    ratio(k.jitOverTurbofan),
    ...(baseline ? [ratio(k.baselineOverLiftoff)] : []),
  ]);
  const boundary = result.boundary ? formatBoundary(result.boundary, result.runs, result.processes) : undefined;
  if (result.kernels.length === 0 && boundary !== undefined) return boundary; // --boundary-only
  const lines = [
    `times in ms; compile: new WebAssembly.Module / new JitModule; run: best of ${result.runs} runs after one warm-up, in each of ${result.processes} process(es) the engines take turns in, the best process counting`,
    ...align([header, ...rows], 3),
    '',
    `geometric mean over ${result.geomean.kernels} kernel(s): JIT/Liftoff ${ratio(result.geomean.jitOverLiftoff)}, JIT/TurboFan ${ratio(result.geomean.jitOverTurbofan)}` +
      (baseline ? `; ${baseline.label}/Liftoff ${ratio(result.geomean.baselineOverLiftoff)}` : ''),
  ];
  const problems = result.kernels.flatMap((k) => k.problems.map((p) => `${k.kernel}: ${p}`));
  if (problems.length > 0) lines.push('', 'FAILED:', ...problems.map((p) => `  ${p}`));
  if (boundary !== undefined) lines.push('', boundary);
  return lines.join('\n');
}

export function toJson(result: BenchResult): object {
  return { schema: 'mitey-bench', version: 1, ...result };
}
