// Writes a finding's reproducer (.wast) on the fuzzing workers' Node (V8 14's where V8 is one of the engines,
// which Wasm 3.0 modules need; `mitey fuzz` runs on whatever Node started it), with the results of the
// engine the finding names (the majority's, else the reference) as the expectations.
// Arguments: the finding file (v8-serialized { bytes, calls, what, seed, path, expectFrom }) and the .wast to write.
import { readFileSync, writeFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import { createEngine } from '../engines/create-engine.js';
import { Assembler } from '../wast/assembler.js';
import { Call } from './oracle.js';
import { reproducer } from './reproducer.js';

const [findingFile, out] = process.argv.slice(2);
const f = deserialize(readFileSync(findingFile)) as { bytes: Uint8Array; calls: Call[]; what: string; seed: number; path: string; expectFrom: string };
const assembler = await Assembler.load();
writeFileSync(out, reproducer({ case: { bytes: f.bytes, calls: f.calls }, what: f.what, seed: f.seed, path: f.path }, createEngine(f.expectFrom), assembler));
process.exit(0); // an engine may hold a child process (cmd:…) that would keep this one alive
