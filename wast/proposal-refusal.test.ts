// A module refused in the folder of a proposal the engine does not claim is unsupported, even when its
// bytes use nothing of that proposal: the proposal's rules may make it valid (custom descriptors accept
// br_on_cast forms that Wasm 3.0 refuses). Outside such a folder the same refusal fails.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { featuresOfFile, proposalFeaturesOfFile } from '../core/features.js';
import { Assembler } from './assembler.js';
import { Engine, EngineModule } from './engine.js';
import { runScript } from './interpreter.js';
import { parseScript } from './parser.js';

let assembler: Assembler;
beforeAll(async () => {
  assembler = await Assembler.load();
});

/** An engine that claims gc but not custom descriptors, and refuses every module as invalid. */
const refusing: Engine = {
  name: 'refusing',
  version: '1',
  features: new Set(['gc']),
  compile: (): EngineModule => {
    throw Object.assign(new Error('invalid: type mismatch'), { kind: 'invalid' });
  },
  instantiate: () => {
    throw new Error('never instantiated');
  },
};

function outcomeIn(path: string): string {
  const features = { ofFile: featuresOfFile(path), ofModule: () => new Set<string>(), ofProposal: proposalFeaturesOfFile(path) };
  const r = runScript(parseScript(path, '(module (func))\n'), { engine: refusing, assembler, options: { features } });
  return r.results.map((x) => `${x.outcome}${x.detail?.includes('custom-descriptors') ? ' (custom-descriptors)' : ''}`).join();
}

describe('a refused module in a proposal folder', () => {
  test('the proposal folder names its features, nothing outside proposals/', () => {
    expect([...proposalFeaturesOfFile('suite/proposals/custom-descriptors/br_on_cast.wast')].sort()).toEqual(['custom-descriptors', 'gc']);
    expect([...proposalFeaturesOfFile('suite/proposals/threads/atomic.wast')]).toEqual(['threads']);
    expect(proposalFeaturesOfFile('suite/gc/br_on_cast.wast').size).toBe(0);
    expect(proposalFeaturesOfFile('suite/br_on_cast.wast').size).toBe(0);
  });

  test('of a proposal the engine lacks: unsupported, naming it', () => {
    expect(outcomeIn('suite/proposals/custom-descriptors/br_on_cast.wast')).toBe('unsupported (custom-descriptors)');
  });

  test('of a proposal the engine has, or outside proposals/: failed', () => {
    expect(outcomeIn('suite/proposals/gc/br_on_cast.wast')).toBe('failed');
    expect(outcomeIn('suite/br_on_cast.wast')).toBe('failed');
  });
});
