// The JS API test files under the given files and folders: every *.any.js (wpt's multi-global tests), and any
// other .js that opens with a `// META: global=` line (error-interfaces-no-symbol-tostringtag.js: a test, though
// not named as one; helpers have no META lines), sorted, each with its key for expectations (its path within the
// folder given).
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Discovered } from '../discover.js';

export class NoTestsError extends Error {}

/** A .js file whose first line is a `// META: global=` line. */
function declaresGlobals(file: string): boolean {
  const head = Buffer.alloc(64);
  const fd = openSync(file, 'r');
  try {
    const n = readSync(fd, head, 0, head.length, 0);
    return /^\/\/ META: global=/.test(head.subarray(0, n).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

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
      const isDir = statSync(child).isDirectory();
      if (isDir || name.endsWith('.any.js') || (name.endsWith('.js') && declaresGlobals(child))) walk(child, base ?? p);
    }
  };
  for (const p of paths) walk(p, undefined);
  const found = [...out].map(([file, key]) => ({ file, key })).filter((d) => !re || re.test(d.file)).sort((a, b) => (a.file < b.file ? -1 : 1));
  if (found.length === 0) throw new NoTestsError(`no .any.js test files in ${paths.join(', ')}${filter ? ` matching /${filter}/` : ''}`);
  return found;
}
