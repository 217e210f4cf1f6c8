// The seeds of the differential: every valid module binary of a testsuite folder. Mutating modules
// that are valid to begin with reaches deep into the validator (a random byte string dies at the magic).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Assembler } from '../wast/assembler.js';
import { parseScript } from '../wast/parser.js';
import { ModuleCommand } from '../wast/script.js';

export interface Seed {
  /** where it comes from, "file.wast:line" */
  origin: string;
  bytes: Uint8Array;
}

export interface SeedCorpus {
  seeds: Seed[];
  /** top-level module commands seen, before filtering */
  modules: number;
  /** that wabt could not assemble, or V8 refused, or were duplicates */
  unassembled: number;
  rejected: number;
  duplicates: number;
}

/**
 * Collects the top-level `module` commands of every .wast file directly in `folder` (the 2.0 suite
 * keeps its scripts flat; proposals/ subfolders of later suites are deliberately left out), in file
 * order, keeping those WebAssembly.validate accepts, each distinct binary once.
 */
export async function collectSeeds(folder: string): Promise<SeedCorpus> {
  const assembler = await Assembler.load();
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.wast'))
    .sort();
  const seen = new Set<string>();
  const out: SeedCorpus = { seeds: [], modules: 0, unassembled: 0, rejected: 0, duplicates: 0 };
  for (const file of files) {
    const path = join(folder, file);
    const script = parseScript(path, readFileSync(path, 'utf8'));
    for (const c of script.commands) {
      if (c.kind !== 'module') continue;
      out.modules++;
      const bytes = binaryOf(c, assembler);
      if (!bytes) {
        out.unassembled++;
        continue;
      }
      // Only modules the reference accepts: a seed must start out on the "valid" side.
      if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) {
        out.rejected++;
        continue;
      }
      const key = createHash('sha1').update(bytes).digest('hex');
      if (seen.has(key)) {
        out.duplicates++;
        continue;
      }
      seen.add(key);
      out.seeds.push({ origin: `${file}:${c.loc.line}`, bytes });
    }
  }
  return out;
}

function binaryOf(c: ModuleCommand, assembler: Assembler): Uint8Array | undefined {
  if (c.source.kind === 'binary') return c.source.bytes;
  try {
    return assembler.assemble(c.source.text);
  } catch {
    return undefined; // wabt's gaps are not the validators' business here
  }
}
