// How the dashboard names a run's files: by their path below the folder all of the run's files share, so that
// the same file run on two machines (or by two engines from two clones) has one key.
import { RunResult } from '../run-result.js';

/** The folder all of a run's files share: file keys are paths below it, comparable across machines. */
function commonDir(files: string[]): string {
  if (files.length === 0) return '';
  const parts = files.map((f) => f.split('/').slice(0, -1));
  const first = parts[0];
  let n = first.length;
  for (const p of parts) {
    let k = 0;
    while (k < n && k < p.length && p[k] === first[k]) k++;
    n = k;
  }
  return first.slice(0, n).join('/');
}

/** A run's file path → its key. */
export function keyer(run: RunResult): (file: string) => string {
  const dir = commonDir(run.files.map((f) => f.file));
  return (file) => (dir && file.startsWith(dir + '/') ? file.slice(dir.length + 1) : file);
}
