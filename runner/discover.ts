// Finds the .wast files named on the command line: files as given, folders searched recursively.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function discoverWastFiles(paths: string[], filter?: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) throw new Error(`no such file or folder: ${p}`);
    if (st.isDirectory()) {
      for (const entry of readdirSync(p).sort()) {
        const child = join(p, entry);
        if (statSync(child).isDirectory() || entry.endsWith('.wast')) walk(child);
      }
    } else {
      out.push(p);
    }
  };
  for (const p of paths) walk(p);
  const re = filter === undefined ? undefined : new RegExp(filter);
  return [...new Set(out)].filter((f) => !re || re.test(f));
}
