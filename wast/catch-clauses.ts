// A rule of the text format that wasm-tools does not apply: `catch`, `catch_all` and `delegate` are
// clauses of a folded `try` (and `catch…` of a `try_table`), not instructions that fold on their own;
// wasm-tools reads `(func (catch_all))` as a folded flat instruction (try_table.wast:366,
// legacy/try_catch.wast:247: "unexpected token").
import { skipStringOrComment } from './text-skip.js';

const CLAUSE = /^(catch|catch_ref|catch_all|catch_all_ref|delegate)$/;
const OWNER = /^(try|try_table)$/;

/** Why the text is malformed by that rule, or undefined. Strings and comments are skipped. */
export function strayCatchError(text: string): string | undefined {
  if (!/\(\s*(catch|delegate)/.test(text)) return undefined;
  const heads: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const skipped = skipStringOrComment(text, i);
    if (skipped !== undefined) {
      i = skipped;
    } else if (c === '(') {
      const head = /^\(\s*([^\s()";]*)/.exec(text.slice(i, i + 40))![1];
      if (CLAUSE.test(head) && !OWNER.test(heads[heads.length - 1] ?? '')) return `unexpected token: (${head} …) outside a try`;
      heads.push(head);
      i++;
    } else {
      if (c === ')') heads.pop();
      i++;
    }
  }
  return undefined;
}
