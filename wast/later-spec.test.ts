// A 2.0 script's rejection of a module that a later spec made valid: an engine of the later spec
// accepting it is unsupported (it cannot show 2.0's verdict), while a 3.0 script fails it.
import { beforeAll, expect, test } from '@jest/globals';
import { Assembler } from './assembler.js';
import { Engine, EngineInstance, EngineModule } from './engine.js';
import { runScript } from './interpreter.js';
import { parseScript } from './parser.js';
import { SpecVersion } from './spec-version.js';

let assembler: Assembler;
beforeAll(async () => {
  assembler = await Assembler.load();
});

/** An engine of the later spec: it claims multi-memory and accepts every module. */
const accepting: Engine = {
  name: 'later',
  version: '1',
  features: new Set(['multi-memory']),
  compile: (): EngineModule => ({ imports: [] }),
  instantiate: (): EngineInstance => ({ exportNames: () => [], export: () => undefined, invoke: () => [], getGlobal: () => ({ type: 'i32', bits: 0 }) }),
};

const SCRIPT = `(assert_invalid (module (memory 1) (memory 1)) "multiple memories")
(assert_invalid (module (func (result i32) (i32.add (i32.const 1)))) "type mismatch")`;

function outcomes(spec: SpecVersion) {
  const twoMemories = Buffer.from(assembler.assemble('(module (memory 1) (memory 1))'));
  const features = {
    ofFile: new Set<string>(),
    ofModule: (bytes: Uint8Array) => new Set(Buffer.from(bytes).equals(twoMemories) ? ['multi-memory'] : []),
    inSpec: (f: string, s: SpecVersion) => s === '3.0' || f !== 'multi-memory',
  };
  const r = runScript(parseScript('later.wast', SCRIPT), { engine: accepting, assembler, options: { spec, features } });
  return r.results.filter((x) => x.assertion).map((x) => x.outcome);
}

test('on a 2.0 script, accepting a module that uses a later feature the engine has is unsupported; other acceptances fail', () => {
  expect(outcomes('2.0')).toEqual(['unsupported', 'failed']);
});

test('on a 3.0 script the same acceptance fails', () => {
  expect(outcomes('3.0')).toEqual(['failed', 'failed']);
});
