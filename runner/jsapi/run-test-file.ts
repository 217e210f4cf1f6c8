// Runs one JS API test file (web-platform-tests on testharness.js) in a fresh vm realm: the harness, then the
// `// META: script=` helpers, then the file; resolves when the harness completes, with every subtest's outcome.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import vm from 'node:vm';
import { FileResult } from '../../wast/results.js';
import { JsApiEngine } from './jsapi-engine.js';
import { LEGACY_ASSERTIONS } from './legacy-assertions.js';
import { parseMeta, runsInShell } from './meta.js';
import { engineHas, featureOfSubtest, neededFeature } from './needed-feature.js';
import { fileResult, Subtest } from './subtest-results.js';

const HARNESS = join('resources', 'testharness.js');

/** The folder the tests' absolute helper paths (/wasm/jsapi/…) start from: the nearest one up with resources/testharness.js. */
export function jsapiRoot(file: string, fallback = process.env.MITEY_JSAPI): string | undefined {
  for (let dir = dirname(resolve(file)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, HARNESS))) return dir;
    if (dirname(dir) === dir) break;
  }
  return fallback && existsSync(join(fallback, HARNESS)) ? resolve(fallback) : undefined;
}

function helperPath(file: string, root: string, script: string): string {
  const abs = /^\/wasm\/jsapi\/(.*)$/.exec(script);
  if (abs) return join(root, abs[1]);
  return script.startsWith('/') ? join(root, script) : join(dirname(file), script);
}

// testharness's statuses: PASS, FAIL, TIMEOUT, NOTRUN, PRECONDITION_FAILED.
const OUTCOME_OF_STATUS: Subtest['outcome'][] = ['passed', 'failed', 'failed', 'failed', 'unsupported'];

export interface RunTestFileOptions {
  /** Where /wasm/jsapi/ helpers and the harness are: default, found from the file (jsapiRoot). */
  root?: string;
  /** Each subtest as it ends (a worker writes it down, so that a crash or a hang keeps what was reached). */
  onSubtest?: (t: Subtest) => void;
}

export async function runTestFile(file: string, engine: JsApiEngine, options: RunTestFileOptions = {}): Promise<FileResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return fileResult(file, text, [], 'error', ms(), `${file}: ${(err as Error).message}`);
  }
  const meta = parseMeta(text);
  const feature = neededFeature(file);
  const subtests: Subtest[] = [];
  if (!runsInShell(meta)) return fileResult(file, text, [{ name: `(runs only in ${meta.globals.join(', ')})`, outcome: 'skipped' }], 'ok', ms());
  if (feature && !engineHas(engine.features, feature)) {
    return fileResult(file, text, [{ name: `(needs ${feature}, which ${engine.name} lacks)`, outcome: 'unsupported' }], 'ok', ms(), undefined, feature);
  }
  const root = options.root ?? jsapiRoot(file);
  if (!root) return fileResult(file, text, [], 'error', ms(), `${file}: no resources/testharness.js above it, nor in $MITEY_JSAPI`, feature);

  // A shell-like global: the realm's own builtins, timers of this process, and the engine's WebAssembly. In a
  // fresh vm realm, or (for an engine whose namespace is made of this process's intrinsics) in the main realm.
  let realm: typeof globalThis;
  let run: (code: string, filename: string) => unknown;
  if (engine.realm === 'main') {
    realm = globalThis;
    Object.defineProperty(realm, 'META_TITLE', { value: file, writable: true, configurable: true, enumerable: true });
    run = (code, filename) => vm.runInThisContext(code, { filename });
  } else {
    const sandbox: Record<string, unknown> = {
      console, setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask,
      META_TITLE: file,
    };
    const context = vm.createContext(sandbox);
    realm = vm.runInContext('globalThis', context) as typeof globalThis;
    run = (code, filename) => vm.runInContext(code, context, { filename });
  }
  const load = (path: string) => run(readFileSync(path, 'utf8'), path);
  Object.defineProperty(realm, 'self', { value: realm, writable: true, configurable: true });
  Object.defineProperty(realm, 'WebAssembly', { value: engine.webAssemblyFor(realm), writable: true, configurable: true });

  load(join(root, HARNESS));
  run(LEGACY_ASSERTIONS, 'mitey:legacy-assertions.js');
  const completed = new Promise<string | undefined>((done) => {
    const harness = realm as unknown as {
      add_result_callback(f: (t: { name: string; status: number; message: string | null }) => void): void;
      add_completion_callback(f: (tests: unknown[], status: { status: number; message: string | null }) => void): void;
    };
    harness.add_result_callback((t) => {
      const s: Subtest = { name: t.name, outcome: OUTCOME_OF_STATUS[t.status] ?? 'failed', message: t.message ?? undefined };
      // A failure of a subtest for a proposal the engine lacks is not the engine's fault.
      const needs = featureOfSubtest(t.name, file);
      if (s.outcome === 'failed' && needs && !engineHas(engine.features, needs)) s.outcome = 'unsupported';
      subtests.push(s);
      options.onSubtest?.(s);
    });
    // The harness's own status: OK 0, ERROR 1 (an uncaught error), TIMEOUT 2, PRECONDITION_FAILED 3.
    harness.add_completion_callback((_tests, status) => done(status.status === 0 || status.status === 3 ? undefined : `harness status ${status.status}: ${status.message ?? ''}`));
  });
  try {
    for (const script of meta.scripts) load(helperPath(file, root, script));
    load(file);
  } catch (err) {
    // A throw at top level: the subtests it made still run and count; the file is an error.
    const message = err instanceof Error || (err && typeof err === 'object' && 'message' in err) ? String((err as Error).message) : String(err);
    const harnessDone = (realm as unknown as { done(): void }).done;
    harnessDone();
    await completed;
    return fileResult(file, text, subtests, 'error', ms(), `${file}: uncaught at top level: ${message}`, feature);
  }
  const harnessError = await completed;
  return fileResult(file, text, subtests, harnessError ? 'error' : 'ok', ms(), harnessError && `${file}: ${harnessError}`, feature);
}
