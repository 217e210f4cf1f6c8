// The folded form of the legacy exception proposal's `try`: `(try $l? <blocktype> (do …) (catch $t …)
// (catch_all …) (delegate $l))`. wasm-tools reads the flat form (try … catch … end) but not this one;
// wabt reads both, so the assembler hands such texts to wabt when wasm-tools refuses them.

// `(try`, then atoms and one-level lists (label, `(result i32)`, `(type $t)`), then `(do`.
const FOLDED_TRY = /\(\s*try\b(?:[^()]|\([^()]*\))*\(\s*do\b/;

export function usesFoldedLegacyTry(text: string): boolean {
  return text.includes('try') && FOLDED_TRY.test(text);
}
