// Jest transform for .wast scripts: the script becomes an ES module whose tests are its directives
// (see wast-tests.ts). CommonJS and plain JavaScript: jest loads transforms itself.
// Use: transform { "\\.wast$": "<mitey>/runner/jest/wast-transform.cjs" }, testMatch ["**/*.wast"],
// extensionsToTreatAsEsm [".wast"], moduleFileExtensions [..., "wast"]; run jest with
// node --experimental-vm-modules. MITEY_ENGINE picks the engine (v8 or jit).
const { createHash } = require('node:crypto');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const entry = pathToFileURL(join(__dirname, '..', '..', 'dist', 'runner', 'jest', 'wast-tests.js')).href;

module.exports = {
  process(_sourceText, sourcePath) {
    return { code: `import { defineWastTests } from ${JSON.stringify(entry)};\nawait defineWastTests(${JSON.stringify(sourcePath)});\n` };
  },
  getCacheKey(sourceText, sourcePath) {
    return createHash('sha256').update(entry).update(sourcePath).update(sourceText).digest('hex');
  },
};
