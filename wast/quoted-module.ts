// The text of a "(module quote …)": its strings joined, read as the text format reads a module —
// either a whole "(module …)" or bare module fields, which the inline-module rule wraps.

/** Where the first token starts, past white space, line comments and (nested) block comments. */
function firstToken(text: string): number {
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (text.startsWith(';;', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (text.startsWith('(;', i)) {
      let depth = 0;
      while (i < text.length) {
        if (text.startsWith('(;', i)) (depth++, (i += 2));
        else if (text.startsWith(';)', i)) {
          i += 2;
          if (--depth === 0) break;
        } else i++;
      }
    } else break;
  }
  return i;
}

/** The module text to assemble: a whole "(module …)" as it is, anything else as inline module fields. */
export function quotedModuleText(joined: string): string {
  const at = firstToken(joined);
  return /^\(module(?![^\s()";])/.test(joined.slice(at)) ? joined : `(module ${joined})`;
}
