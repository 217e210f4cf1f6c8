// A rule of the Wasm 2.0 text format that wasm-tools (which reads 3.0) does not apply: the limits of a
// memory or table are u32 literals, so `(memory 0x1_0000_0000)` is malformed ("i32 constant out of
// range"). Wasm 3.0 reads limits as u64 and calls such a module invalid instead.
import { skipStringOrComment } from './text-skip.js';

// A memory or table field, or such an import's description: `(memory`, not `(memory.size`.
const FIELD = /\((memory|table)(?=[\s)])/g;
const NUMBER = /^(0x[0-9a-fA-F_]+|[0-9_]+)$/;

/** Why the text is malformed by that rule, or undefined. */
export function limitLiteralError(text: string): string | undefined {
  for (const m of text.matchAll(FIELD)) {
    for (const atom of topLevelAtoms(text, m.index! + m[0].length)) {
      if (NUMBER.test(atom) && BigInt(atom.replace(/_/g, '')) > 0xffffffffn) {
        return `i32 constant out of range: ${m[1]} limit ${atom} does not fit in 32 bits`;
      }
    }
  }
  return undefined;
}

/** The atoms of the list that continues at `from`, skipping nested lists, strings and comments. */
function topLevelAtoms(text: string, from: number): string[] {
  const atoms: string[] = [];
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const c = text[i];
    const skipped = skipStringOrComment(text, i);
    if (skipped !== undefined) {
      i = skipped;
    } else if (c === '(') (depth++, i++);
    else if (c === ')') {
      if (depth === 0) break;
      depth--;
      i++;
    } else if (/\s/.test(c)) i++;
    else {
      const start = i;
      while (i < text.length && !/[\s()";]/.test(text[i])) i++;
      if (depth === 0) atoms.push(text.slice(start, i));
    }
  }
  return atoms;
}
