// The JS API test files under the given files and folders: every *.any.js (wpt's multi-global tests), sorted,
// each with its key for expectations (its path within the folder given).
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Discovered } from '../discover.js';

export class NoTestsError extends Error {}

export function discoverJsApiTests(paths: string[], filter?: string): Discovered[] {
  const re = filter ? new RegExp(filter) : undefined;
  const out = new Map<string, string>();
  const walk = (p: string, base: string | undefined) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) throw new NoTestsError(`no such file or folder: ${p}`);
    if (!st.isDirectory()) {
      out.set(p, base === undefined ? basename(p) : relative(base, p));
      return;
    }
    for (const name of readdirSync(p).sort()) {
      if (name === 'resources' || name.startsWith('.')) continue;
      const child = join(p, name);
      if (name.endsWith('.any.js') || statSync(child).isDirectory()) walk(child, base ?? p);
    }
  };
  for (const p of paths) walk(p, undefined);
  const found = [...out].map(([file, key]) => ({ file, key })).filter((d) => !re || re.test(d.file)).sort((a, b) => (a.file < b.file ? -1 : 1));
  if (found.length === 0) throw new NoTestsError(`no .any.js test files in ${paths.join(', ')}${filter ? ` matching /${filter}/` : ''}`);
  return found;
}
