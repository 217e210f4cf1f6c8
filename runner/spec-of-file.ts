// Which spec a script is checked against (wast/spec-version.ts), when the run does not say (--spec).
// The folder tells: Wasm 3.0 brought memory64, whose test memory64.wast sits beside memory.wast in
// every 3.0 snapshot of the official suite. A folder with memory.wast and no memory64.wast is of 2.0:
// the 2.0 snapshot, and the threads proposal (written against 2.0: its memory.wast calls 64-bit
// limits malformed). Anything else (a file of one's own, another proposal's folder) is read as 3.0.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SpecVersion } from '../wast/spec-version.js';

const byFolder = new Map<string, SpecVersion>();

export function specOfFile(file: string): SpecVersion {
  const dir = dirname(file);
  let spec = byFolder.get(dir);
  if (!spec) {
    const wasm20 = existsSync(join(dir, 'memory.wast')) && !existsSync(join(dir, 'memory64.wast'));
    spec = wasm20 ? '2.0' : '3.0';
    byFolder.set(dir, spec);
  }
  return spec;
}
