// The program benchmark's printed table and its JSON file.
import type { EngineRow, ProgramResult, ProgramsResult } from './run-programs.js';

const num = (v: number): string => v.toFixed(v < 10 ? 2 : 1);
const ratio = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(2)}x`);
const oneLine = (s: string, max = 110): string => {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

function hashCell(p: ProgramResult, r: EngineRow): string {
  const m = r.measurement;
  if (!m) return r.unavailable ? '-' : 'FAILED';
  const short = m.hash.slice(0, 12);
  if (r.engine === 'jit' && p.v8Hash !== undefined && m.hash !== p.v8Hash) return `${short} MISMATCH`;
  if (r.engine !== 'jit' && p.v8Hash === undefined && p.engines.some((x) => x.engine !== 'jit' && x.measurement)) return `${short} V8 DISAGREES`;
  return short;
}

function noteCell(r: EngineRow): string {
  if (r.unavailable) return r.unavailable;
  if (r.error) return oneLine(r.error);
  return '';
}

/** Columns padded to their widest cell; `left` columns left-aligned, the numbers right-aligned. */
function align(rows: string[][], leftColumns: ReadonlySet<number>): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (leftColumns.has(c) || c === r.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}

export function formatTable(result: ProgramsResult): string {
  const header = ['program', 'size', 'engine', 'compile ms', 'run ms', 'hash', 'JIT/Liftoff', 'JIT/TurboFan', 'note'];
  const rows: string[][] = [];
  for (const p of result.programs) {
    p.engines.forEach((r, i) => {
      const m = r.measurement;
      rows.push([
        i === 0 ? `${p.program}` : '',
        i === 0 ? `${p.size} ${p.sizeUnit}` : '',
        r.label,
        m ? num(m.compileMs) : '-',
        m ? num(m.runMs) : '-',
        hashCell(p, r),
        r.engine === 'jit' ? ratio(p.jitOverLiftoff) : '',
        r.engine === 'jit' ? ratio(p.jitOverTurbofan) : '',
        noteCell(r),
      ]);
    });
  }
  const runs = result.runs === 0 ? 'one run' : `best of ${result.runs} runs after one warm-up run, in the same process`;
  const lines = [
    `times in ms; compile: wall time inside WebAssembly.compile/instantiate(Streaming), new Module/Instance while the program loads; run: the workload, ${runs}`,
    ...align([header, ...rows], new Set([0, 1, 2, 5])),
    '',
    `geometric mean over ${result.geomean.programs} program(s): JIT/Liftoff ${ratio(result.geomean.jitOverLiftoff)}, JIT/TurboFan ${ratio(result.geomean.jitOverTurbofan)}`,
  ];
  const problems = result.programs.flatMap((p) => p.problems.map((x) => `${p.program}: ${x}`));
  if (problems.length > 0) lines.push('', '!!! FAILED:', ...problems.map((x) => `  ${x.replace(/\n/g, '\n    ')}`));
  return lines.join('\n');
}

export function toJson(result: ProgramsResult): object {
  return { schema: 'mitey-bench-programs', version: 1, ...result };
}
