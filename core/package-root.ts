// The project's root folder, found from this file whether it runs from dist/ or from source (jest).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the mitey package root');
    dir = up;
  }
  return dir;
}

export const PACKAGE_ROOT = findRoot();
