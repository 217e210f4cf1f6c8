// The benchmark's printed table and its JSON file.
import { formatBoundary } from './boundary.js';
import { formatCompileSpeed } from './compile-speed.js';
import { engineLacks } from './run-bench.js';
import type { BenchResult, EngineResult, KernelResult } from './run-bench.js';
import type { EngineName } from './engines.js';

const ORDER: EngineName[] = ['jit', 'liftoff', 'turbofan'];

/** Marks the V8 figures of a kernel that ran on another V8 than this Node's (a footnote says which). */
const OTHER_V8 = '*';

const onOtherV8 = (k: KernelResult, engine: EngineName): boolean => k.otherV8 !== undefined && (engine === 'liftoff' || engine === 'turbofan');

/** A figure of an engine on a kernel: n/a where it was not run, FAIL where it failed. */
function cell(k: KernelResult, engine: EngineName, figure: (r: EngineResult) => string | undefined): string {
  const r = k.engines.find((e) => e.engine === engine);
  if (r && engineLacks(r)) return 'n/a'; // the baseline predates the kernel's features, or no V8 at hand can run it
  const v = r?.measurement ? figure(r) : undefined;
  if (v === undefined) return r?.measurement ? '-' : 'FAIL';
  return onOtherV8(k, engine) ? `${v}${OTHER_V8}` : v;
}

function ms(k: KernelResult, engine: EngineName, which: 'compileMs' | 'runMs'): string {
  return cell(k, engine, (r) => {
    const v = r.measurement![which];
    return v.toFixed(v < 1 ? 3 : v < 100 ? 2 : 1);
  });
}

/** The peak resident memory in MiB, the most of the engine's processes. */
const rssMiB = (k: KernelResult, engine: EngineName): string => cell(k, engine, (r) => (r.peakRssKiB === undefined ? undefined : (r.peakRssKiB / 1024).toFixed(1)));

const ratio = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(2)}x`);
const kernelRatio = (k: KernelResult, v: number | undefined): string => (v !== undefined && k.otherV8 ? `${ratio(v)}${OTHER_V8}` : ratio(v));

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
    kernelRatio(k, k.jitOverLiftoff),
    kernelRatio(k, k.jitOverTurbofan),
    ...(baseline ? [kernelRatio(k, k.baselineOverLiftoff)] : []),
  ]);
  const rssRows = result.kernels.map((k) => [k.kernel, String(k.arg), ...order.map((e) => rssMiB(k, e))]);
  const others = result.kernels.filter((k) => k.otherV8);
  const compile = result.compile ? formatCompileSpeed(result.compile) : undefined;
  const boundary = result.boundary ? formatBoundary(result.boundary, result.runs, result.processes) : undefined;
  const sections = [compile, boundary].filter((s) => s !== undefined);
  if (result.kernels.length === 0 && sections.length > 0) return sections.join('\n\n'); // --compile-only, --boundary-only
  const lines = [
    `times in ms; compile: new WebAssembly.Module / new JitModule; run: best of ${result.runs} runs after one warm-up, in each of ${result.processes} process(es) the engines take turns in, the best process counting`,
    ...align([header, ...rows], 3),
    ...others.map((k) => `${OTHER_V8} ${k.kernel}: Liftoff and TurboFan on V8 ${k.otherV8!.v8} (node ${k.otherV8!.node}), the ratios against them; ${k.otherV8!.why}`),
    '',
    `geometric mean over ${result.geomean.kernels} kernel(s) on V8 ${result.v8}: JIT/Liftoff ${ratio(result.geomean.jitOverLiftoff)}, JIT/TurboFan ${ratio(result.geomean.jitOverTurbofan)}` +
      (baseline ? `; ${baseline.label}/Liftoff ${ratio(result.geomean.baselineOverLiftoff)}` : '') +
      (others.length > 0 ? ` (${others.map((k) => k.kernel).join(', ')} on another V8, left out)` : ''),
    '',
    `peak resident memory in MiB: each worker process's high-water mark after its runs (Node itself included), the most of the engine's ${result.processes} process(es)`,
    ...align([['kernel', 'arg', ...labels.map((l) => `${l} RSS`)], ...rssRows], 2),
  ];
  const problems = result.kernels.flatMap((k) => k.problems.map((p) => `${k.kernel}: ${p}`));
  if (problems.length > 0) lines.push('', 'FAILED:', ...problems.map((p) => `  ${p}`));
  for (const section of sections) lines.push('', section);
  return lines.join('\n');
}

export function toJson(result: BenchResult): object {
  return { schema: 'mitey-bench', version: 1, ...result };
}
