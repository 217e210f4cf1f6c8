// Which version of the spec a script is checked against. The text formats differ where 3.0 widened
// them: 2.0 calls 64-bit limit literals and memarg offsets malformed, 3.0 reads them (and may call the
// module invalid). The assembler reads 3.0; these rules give 2.0's verdict on assert_malformed texts,
// and add the rules of both versions that the assembler misses.
import { strayCatchError } from './catch-clauses.js';
import { limitLiteralError } from './limit-literals.js';
import { memargOffsetError } from './memarg-offsets.js';
import { multipleStartError } from './start-fields.js';

export type SpecVersion = '2.0' | '3.0';

export const SPEC_VERSIONS: readonly SpecVersion[] = ['2.0', '3.0'];

/** Why a text the assembler accepted is malformed in this version of the spec, or undefined. */
export function malformedInSpec(text: string, spec: SpecVersion): string | undefined {
  const both = multipleStartError(text) ?? strayCatchError(text);
  if (both || spec !== '2.0') return both;
  return limitLiteralError(text) ?? memargOffsetError(text);
}
