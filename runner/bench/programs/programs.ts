// The programs `npm run bench:programs` knows, in the order it runs them.
import { brotli } from './brotli.js';
import { esbuild } from './esbuild.js';
import { sqlite } from './sqlite.js';
import { tiktoken } from './tiktoken.js';
import type { ProgramWorkload } from './workload.js';

export const PROGRAMS: readonly ProgramWorkload[] = [sqlite, brotli, tiktoken, esbuild];

/** The named programs (all when `names` is empty), in PROGRAMS order; an unknown name is an error. */
export function selectPrograms(names: readonly string[] = []): ProgramWorkload[] {
  const unknown = names.filter((n) => !PROGRAMS.some((p) => p.name === n));
  if (unknown.length > 0) {
    throw new Error(`no program ${unknown.map((n) => `"${n}"`).join(', ')}; the programs are ${PROGRAMS.map((p) => p.name).join(', ')}`);
  }
  return names.length === 0 ? [...PROGRAMS] : PROGRAMS.filter((p) => names.includes(p.name));
}

export function programNamed(name: string): ProgramWorkload {
  return selectPrograms([name])[0];
}
