// The META header and the feature a file needs: plain text rules, no harness needed.
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { parseMeta, runsInShell } from './meta.js';
import { neededFeature } from './needed-feature.js';

describe('META header', () => {
  test('scripts in order, scopes, long timeout; the header ends at the first code', () => {
    const m = parseMeta('// META: global=window,dedicatedworker,jsshell\n// META: script=/wasm/jsapi/assertions.js\n// META: script=helper.js\n// META: timeout=long\n\ntest(() => {});\n// META: script=late.js\n');
    expect(m).toEqual({ scripts: ['/wasm/jsapi/assertions.js', 'helper.js'], globals: ['window', 'dedicatedworker', 'jsshell'], longTimeout: true });
    expect(runsInShell(m)).toBe(true);
  });

  test('no global: wpt default scopes (a worker scope runs in our shell-like realm); window only does not', () => {
    expect(parseMeta('test(() => {});').globals).toEqual(['window', 'dedicatedworker']);
    expect(runsInShell(parseMeta('test(() => {});'))).toBe(true);
    expect(runsInShell(parseMeta('// META: global=window\n'))).toBe(false);
  });
});

describe('feature a file needs', () => {
  test('by folder and by name; 2.0 files (constructor/, the Object prototype name) need none', () => {
    expect(neededFeature(join('js-api', 'exception', 'basic.tentative.any.js'))).toBe('exceptions');
    expect(neededFeature(join('js-api', 'gc', 'i31.tentative.any.js'))).toBe('gc');
    expect(neededFeature(join('js-api', 'js-string', 'basic.any.js'))).toBe('js-string');
    expect(neededFeature(join('js-api', 'memory', 'constructor-memory64.any.js'))).toBe('memory64');
    expect(neededFeature(join('js-api', 'constructor', 'instantiate.any.js'))).toBeUndefined();
    expect(neededFeature(join('js-api', 'memory', 'grow.any.js'))).toBeUndefined();
  });
});
