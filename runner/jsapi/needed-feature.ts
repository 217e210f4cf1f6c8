// The Wasm proposal a JS API test file needs beyond 2.0, from its folder or name: an engine without it
// counts the file's tests unsupported rather than failed.
import { sep } from 'node:path';

const BY_FOLDER: Record<string, string> = {
  exception: 'exceptions',
  tag: 'exceptions',
  gc: 'gc',
  'js-string': 'js-string',
};

/** The feature (as core/features.ts names them) the file needs, or undefined for a 2.0 test. */
export function neededFeature(file: string): string | undefined {
  const parts = file.split(sep);
  for (const folder of parts.slice(0, -1).reverse()) if (Object.hasOwn(BY_FOLDER, folder)) return BY_FOLDER[folder];
  const name = parts[parts.length - 1];
  if (/memory64/.test(name)) return 'memory64';
  return undefined;
}

/**
 * Subtests of 2.0 files that need a proposal all the same. limits.any.js's "data segments" and "memories"
 * modules declare a shared memory (its wasm-module-builder.js sets the shared flag whenever `shared` is given,
 * and those tests give `false`), which is the threads proposal's.
 */
const SUBTESTS_NEEDING: { file: RegExp; name: RegExp; feature: string }[] = [
  { file: /(^|[/\\])limits\.any\.js$/, name: /^(Validate|Compile|Async compile) (data segments|memories) /, feature: 'threads' },
];

/**
 * A subtest that exercises a proposal: by its name, table64 / memory64's `(i64)` variants and `address`
 * descriptors, threads' shared memories; or one of SUBTESTS_NEEDING in its file.
 */
export function featureOfSubtest(name: string, file = ''): string | undefined {
  if (/\(i64\)|\baddress\b/.test(name)) return 'memory64';
  if (/\bshared memory\b/i.test(name)) return 'threads';
  return SUBTESTS_NEEDING.find((s) => s.file.test(file) && s.name.test(name))?.feature;
}

/**
 * Whether the engine has the feature. Legacy exceptions do not stand in for `exceptions`: exception/ tests
 * use try_table and exnref.
 */
export function engineHas(features: ReadonlySet<string>, feature: string): boolean {
  return features.has(feature);
}
