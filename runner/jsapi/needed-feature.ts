// The Wasm proposal a JS API test file needs beyond 2.0, from its folder or name: an engine without it
// counts the file's tests unsupported rather than failed.
import { sep } from 'node:path';

const BY_FOLDER: Record<string, string> = {
  exception: 'exceptions',
  tag: 'exceptions',
  gc: 'gc',
  'js-string': 'js-string',
};

/** The feature (as runner/features.ts names them) the file needs, or undefined for a 2.0 test. */
export function neededFeature(file: string): string | undefined {
  const parts = file.split(sep);
  for (const folder of parts.slice(0, -1).reverse()) if (Object.hasOwn(BY_FOLDER, folder)) return BY_FOLDER[folder];
  const name = parts[parts.length - 1];
  if (/memory64/.test(name)) return 'memory64';
  return undefined;
}

/** A subtest that exercises a proposal by its name: table64 / memory64's `(i64)` variants and `address` descriptors. */
export function featureOfSubtest(name: string): string | undefined {
  return /\(i64\)|\baddress\b/.test(name) ? 'memory64' : undefined;
}

/**
 * Whether the engine has the feature. Legacy exceptions do not stand in for `exceptions`: exception/ tests
 * use try_table and exnref.
 */
export function engineHas(features: ReadonlySet<string>, feature: string): boolean {
  return features.has(feature);
}
