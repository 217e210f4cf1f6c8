// Where a script's assertions are, found without parsing it: so that a file that could not be parsed,
// or did not run to its end, still counts every assertion it has.
import { ASSERTION_KINDS } from './script.js';

export interface ScannedAssertion {
  line: number; // of its "(", as the parser reports a directive (1-based)
  col: number; // 1-based, in UTF-16 code units of the line
  kind: string; // assert_return, assert_trap, …
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
// Where a keyword ends: a ";" ends it only when it starts a ";;" comment (the lexer's reserved tokens).
const endsAtom = (text: string, i: number) => /[\s()"]/.test(text[i]) || text.startsWith(';;', i);

/**
 * Every "(" followed by an assertion's name (assert_return, …), outside comments and strings, in the
 * order of the text, which is the order they run in (thread bodies included). Parentheses need not be
 * balanced: this is what is counted for a file the parser gives up on. It agrees with the parser on
 * every well-formed script, but for an assertion written inside an annotation (the parser drops those).
 */
export function scanAssertions(text: string): ScannedAssertion[] {
  const out: ScannedAssertion[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const newlineAt = (at: number) => {
    line++;
    lineStart = at + 1;
  };
  /** Skips a block comment starting at i ("(;"), nested ones included; returns the offset after it. */
  const blockComment = (from: number): number => {
    let depth = 0;
    let j = from;
    while (j < text.length) {
      if (text.startsWith('(;', j)) {
        depth++;
        j += 2;
      } else if (text.startsWith(';)', j)) {
        j += 2;
        if (--depth === 0) return j;
      } else {
        if (text[j] === '\n') newlineAt(j);
        j++;
      }
    }
    return j;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      newlineAt(i);
      i++;
    } else if (c === ';' && text[i + 1] === ';') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '(' && text[i + 1] === ';') {
      i = blockComment(i);
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\n') newlineAt(i);
        i += text[i] === '\\' ? 2 : 1;
      }
      i++;
    } else if (c === '(') {
      const at = { line, col: i - lineStart + 1 };
      i++;
      // The directive's name may follow after white space or comments, as the lexer allows.
      for (;;) {
        if (i < text.length && isSpace(text[i])) {
          if (text[i] === '\n') newlineAt(i);
          i++;
        } else if (text.startsWith(';;', i)) {
          while (i < text.length && text[i] !== '\n') i++;
        } else if (text.startsWith('(;', i)) {
          i = blockComment(i);
        } else break;
      }
      let end = i;
      while (end < text.length && !endsAtom(text, end)) end++;
      const name = text.slice(i, end);
      if (ASSERTION_KINDS.has(name)) out.push({ ...at, kind: name });
      i = end;
    } else {
      i++;
    }
  }
  return out;
}
