// Finds the .wast files named on the command line: files as given, folders searched recursively,
// globs (*, **, ?) expanded; and the stable key of each file (its path within the folder given).
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir).sort()) {
    const child = join(dir, entry);
    if (statSync(child).isDirectory()) walk(child, out);
    else if (entry.endsWith('.wast')) out.push(child);
  }
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') {
        re += '(?:.*/)?'; // "**/": any number of whole folders, none included
        i++;
      } else {
        re += '.*';
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const isGlob = (p: string) => /[*?]/.test(p);

export interface Discovered {
  file: string;
  key: string; // the path within the folder (or glob base) it was found in; the file name for a file given as such
}

/**
 * The files the paths name, each path's in order. A glob or folder that yields no .wast file is an error
 * (a run of nothing must not look like a green run), as is a path that does not exist.
 */
export function discoverWastFiles(paths: string[], filter?: string): Discovered[] {
  const found = new Map<string, string>();
  for (const p of paths) {
    if (isGlob(p)) {
      const firstGlob = p.split('/').findIndex(isGlob);
      const base = p.split('/').slice(0, firstGlob).join('/') || '.';
      if (!statSync(base, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`no such folder: ${base} (in ${p})`);
      const re = globToRegExp(p);
      const all: string[] = [];
      walk(base, all);
      const matched = all.filter((f) => re.test(f));
      if (matched.length === 0) throw new Error(`no .wast file matches ${p}`);
      for (const f of matched) if (!found.has(f)) found.set(f, relative(base, f));
      continue;
    }
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) throw new Error(`no such file or folder: ${p}`);
    if (st.isDirectory()) {
      const all: string[] = [];
      walk(p, all);
      if (all.length === 0) throw new Error(`no .wast file in the folder ${p}`);
      for (const f of all) if (!found.has(f)) found.set(f, relative(p, f).split(sep).join('/'));
    } else if (!found.has(p)) {
      found.set(p, basename(p));
    }
  }
  const re = filter === undefined ? undefined : new RegExp(filter);
  const selected = [...found].filter(([f]) => !re || re.test(f)).map(([file, key]) => ({ file, key }));
  if (selected.length === 0) throw new Error(`--filter ${filter} matches none of the ${found.size} files found`);
  return selected;
}

/** Shard i of n (1-based): every n-th file, so that shards are balanced and disjoint. */
export function shard<T>(items: T[], spec: string): T[] {
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new Error(`--shard wants i/n with 1 <= i <= n, got "${spec}"`);
  const [i, n] = [Number(m[1]), Number(m[2])];
  const part = items.filter((_, k) => k % n === i - 1);
  if (part.length === 0) throw new Error(`--shard ${spec} leaves no file: there are only ${items.length}`);
  return part;
}

