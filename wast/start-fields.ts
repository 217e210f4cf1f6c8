// A rule of the text format (2.0 and 3.0) that wasm-tools does not apply: a module has at most one
// `(start …)` field (start.wast: "multiple start sections"); wasm-tools writes two start sections.

// `(start` as a field: there is no start instruction, so any such list is one.
const START_FIELD = /\(\s*start(?=[\s)])/g;

/** Why the text is malformed by that rule, or undefined. */
export function multipleStartError(text: string): string | undefined {
  const n = text.match(START_FIELD)?.length ?? 0;
  return n > 1 ? `multiple start sections: ${n} start fields` : undefined;
}
