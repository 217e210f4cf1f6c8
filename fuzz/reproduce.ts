// Writes a finding's reproducer (.wast) on the reference's Node: its results, the expectations, are
// V8 14's, which Wasm 3.0 modules need (`mitey fuzz` runs on whatever Node started it).
// Arguments: the finding file (v8-serialized { bytes, calls, what, seed, path }) and the .wast to write.
import { readFileSync, writeFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import { createEngine } from '../engines/create-engine.js';
import { Assembler } from '../wast/assembler.js';
import { Call } from './oracle.js';
import { reproducer } from './reproducer.js';

const [findingFile, out] = process.argv.slice(2);
const f = deserialize(readFileSync(findingFile)) as { bytes: Uint8Array; calls: Call[]; what: string; seed: number; path: string };
const assembler = await Assembler.load();
writeFileSync(out, reproducer({ case: { bytes: f.bytes, calls: f.calls }, what: f.what, seed: f.seed, path: f.path }, createEngine('v8'), assembler));
