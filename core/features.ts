// Feature tiers: which features a script file and each of its assertions need, so that results can
// be selected (--features) and summarised per feature. A file's tags come from the testsuite's folders
// and file names; an assertion's add what its module actually uses (core/feature-scan.ts).
import { scanModuleFeatures } from './feature-scan.js';

/** Wasm 2.0: the MVP and the features merged into it, in the order summaries list them. */
export const WASM_2_FEATURES: readonly string[] = [
  'mvp',
  'mutable-globals',
  'sign-extension',
  'saturating-conversions',
  'multi-value',
  'bulk-memory',
  'reference-types',
  'simd',
];

/**
 * Wasm 3.0: every proposal its release merged that the testsuite tests (table64 is memory64's; the
 * custom annotation syntax is `annotations`), and the legacy exception handling its spec keeps as an
 * appendix. Its other two, JS string builtins and the deterministic profile, have no core tests of their own.
 */
export const WASM_3_FEATURES: readonly string[] = [
  'tail-call',
  'extended-const',
  'exceptions',
  'legacy-exceptions',
  'typed-function-references',
  'gc',
  'multi-memory',
  'memory64',
  'relaxed-simd',
  'annotations',
];

/** Proposals not (yet) in a release of the spec that the testsuite tests. */
export const PROPOSAL_FEATURES: readonly string[] = [
  'threads',
  'branch-hinting',
  'custom-page-sizes',
  'wide-arithmetic',
  'custom-descriptors',
];

/** Every feature, 2.0 first, then 3.0, then the proposals. */
export const ALL_FEATURES: readonly string[] = [...WASM_2_FEATURES, ...WASM_3_FEATURES, ...PROPOSAL_FEATURES];

const KNOWN = new Set(ALL_FEATURES);

/** The tier a feature belongs to, for summaries. */
export function featureTier(feature: string): '2.0' | '3.0' | 'proposal' | undefined {
  if (WASM_2_FEATURES.includes(feature)) return '2.0';
  if (WASM_3_FEATURES.includes(feature)) return '3.0';
  if (PROPOSAL_FEATURES.includes(feature)) return 'proposal';
  return undefined;
}

// The folder a proposal's tests sit in (testsuite/proposals/<repository>/), by the proposal
// repositories' names as well as the features' own.
const PROPOSAL_FOLDERS: Record<string, string[]> = {
  'mutable-global': ['mutable-globals'],
  'sign-extension-ops': ['sign-extension'],
  'nontrapping-float-to-int-conversions': ['saturating-conversions'],
  'multi-value': ['multi-value'],
  'bulk-memory-operations': ['bulk-memory'],
  'reference-types': ['reference-types'],
  simd: ['simd'],
  'tail-call': ['tail-call'],
  'extended-const': ['extended-const'],
  'exception-handling': ['exceptions'],
  'function-references': ['typed-function-references'],
  gc: ['gc'],
  'multi-memory': ['multi-memory'],
  memory64: ['memory64'],
  'relaxed-simd': ['relaxed-simd', 'simd'],
  threads: ['threads'],
  annotations: ['annotations'],
  'branch-hinting': ['branch-hinting'],
  'custom-page-sizes': ['custom-page-sizes'],
  'wide-arithmetic': ['wide-arithmetic'],
  'custom-descriptors': ['custom-descriptors', 'gc'], // descriptors of GC structs
};

// File names (without .wast, and without a 64 or multi-memory digit suffix) whose subject is a feature.
const NAME_RULES: [RegExp, string[]][] = [
  [/^simd_/, ['simd']],
  [/(^|_)relaxed_/, ['relaxed-simd', 'simd']],
  [/^(i32|i64)$/, ['sign-extension']], // their extend8_s/16_s/32_s tests
  [/^conversions$/, ['saturating-conversions']], // its trunc_sat tests
  [/^(bulk|memory_copy|memory_fill|memory_init|data_drop)$/, ['bulk-memory']],
  [/^(table_copy|table_init)$/, ['bulk-memory', 'reference-types']],
  [/^table_copy_mixed$/, ['bulk-memory', 'reference-types', 'memory64']], // copies between table32 and table64
  [/^(ref_func|ref_null|ref_is_null|table|table-sub|table_get|table_set|table_size|table_grow|table_fill)$/, ['reference-types']],
  [/^return_call(_indirect)?$/, ['tail-call']],
  [/^return_call_ref$/, ['tail-call', 'typed-function-references']],
  [/^(ref|call_ref|br_on_null|br_on_non_null|ref_as_non_null|local_init)$/, ['typed-function-references']],
  [/^(array|struct)(_|$)|^(i31|extern|ref_cast|ref_test|ref_eq|binary-gc)$|^br_on_cast|^type-(canon|equivalence|rec|subtyping)$/, ['gc']],
  [/^(tag|throw|throw_ref|try_table)$/, ['exceptions']],
  [/^(rethrow|try_catch|try_delegate)$/, ['legacy-exceptions']],
  [/^annotations$|_annot$/, ['annotations']],
  [/^branch_hint/, ['branch-hinting']],
  [/^atomic/, ['threads']],
  [/wide[-_]arithmetic/, ['wide-arithmetic']],
  [/multi[-_]memory|memory-multi|^memory_size_import$/, ['multi-memory']],
];

/**
 * The features of the proposal whose folder (proposals/NAME/…) holds a script: that proposal's rules may
 * change what any module of the file means (e.g. custom descriptors make valid some br_on_cast that
 * Wasm 3.0 refuses), whatever the module's own bytes use. Empty outside proposals/.
 */
export function proposalFeaturesOfFile(path: string): Set<string> {
  const folders = path.replace(/\\/g, '/').split('/').filter(Boolean).slice(0, -1);
  const proposals = folders.lastIndexOf('proposals');
  return new Set(proposals >= 0 && proposals + 1 < folders.length ? (PROPOSAL_FOLDERS[folders[proposals + 1]] ?? []) : []);
}

/**
 * The features a script file needs, from its folder and name in the official testsuite: e.g.
 * proposals/threads/… → threads, legacy/… → legacy-exceptions, simd_* → simd, memory64, table_get64… →
 * memory64, address0, imports3… (the multi-memory copies of core tests) → multi-memory. Always 'mvp'.
 */
export function featuresOfFile(path: string): Set<string> {
  const out = new Set<string>(['mvp']);
  const parts = path.replace(/\\/g, '/').split('/').filter(Boolean);
  const file = parts.pop() ?? '';
  const folders = parts;
  const add = (fs: string[]) => fs.forEach((f) => out.add(f));

  add([...proposalFeaturesOfFile(path)]);
  const legacy = folders.includes('legacy');
  if (legacy) out.add('legacy-exceptions');

  let name = file.replace(/\.wast$/, '');
  // 64-bit addresses (memory64 and table64): memory64, address64, table_get64, binary_leb128_64, memory_max_i64
  if (/^memory64/.test(name) || (/[a-z_]64$/.test(name) && !/^[if]64$/.test(name))) {
    out.add('memory64');
    name = name.replace(/^memory64/, 'memory').replace(/_?(i)?64$/, '');
  }
  // The multi-memory proposal's copies of core tests: address0, imports4, memory_size3, …
  if (/^[a-z][a-z_-]*[a-z]\d$/.test(name) && !/^simd_/.test(name)) {
    out.add('multi-memory');
    name = name.replace(/\d$/, '');
  }
  for (const [pattern, features] of NAME_RULES) {
    // legacy/throw.wast tests throwing in the legacy form (try/catch), not the exnref one
    if (legacy && features.includes('exceptions')) continue;
    if (pattern.test(name)) add(features);
  }
  return out;
}

/**
 * The features an assertion needs: its file's, and those its module uses when it has or acts on one
 * (the bytes given; a module that could not be assembled adds nothing).
 */
export function featuresOfAssertion(fileFeatures: Set<string>, moduleBytes: Uint8Array | undefined): Set<string> {
  const out = new Set(fileFeatures);
  out.add('mvp');
  if (moduleBytes) for (const f of scanModuleFeatures(moduleBytes)) out.add(f);
  return out;
}

/** The features named by a `--features a,b` option (commas or spaces). Unknown names are an error. */
export function parseFeatureList(s: string): Set<string> {
  const names = s
    .split(/[\s,]+/)
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !KNOWN.has(n));
  if (unknown.length > 0 || names.length === 0) {
    const what = unknown.length > 0 ? `unknown feature${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}` : 'no feature named';
    throw new Error(`--features: ${what}; known features: ${ALL_FEATURES.join(', ')}`);
  }
  return new Set(names);
}

/** Features ordered as ALL_FEATURES lists them (unknown ones last, sorted). */
export function sortFeatures(features: Iterable<string>): string[] {
  const order = (f: string) => {
    const i = ALL_FEATURES.indexOf(f);
    return i < 0 ? ALL_FEATURES.length : i;
  };
  return [...new Set(features)].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
}
