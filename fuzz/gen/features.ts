// The Wasm 3.0 features the generator can add to its Wasm 2.0 modules (GenOptions.features), by the
// feature tags of core/features.ts. The fuzzer asks for those both engines have (differential.ts);
// none of them leaves the generator as it was, Wasm 2.0 only. Wide arithmetic is not among them:
// V8 14 lacks it, so it cannot be the oracle there.

export const GEN_FEATURES = ['tail-call', 'typed-function-references', 'multi-memory', 'memory64', 'extended-const', 'relaxed-simd', 'exceptions', 'threads', 'gc'] as const;

export type GenFeature = (typeof GEN_FEATURES)[number];

/** The generator's features that every one of these engines has (relaxed SIMD also needs SIMD). */
export function sharedGenFeatures(...engines: { features: ReadonlySet<string> }[]): GenFeature[] {
  return GEN_FEATURES.filter((f) => engines.every((e) => e.features.has(f) && (f !== 'relaxed-simd' || e.features.has('simd'))));
}

