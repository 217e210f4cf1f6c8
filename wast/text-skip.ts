// Scanning module text by hand (rules the assembler does not apply): strings and comments are skipped
// whole, so that nothing inside them is taken for a paren or an atom.

/** Where the string or comment that starts at i ends, or undefined when none starts there. */
export function skipStringOrComment(text: string, i: number): number | undefined {
  if (text[i] === '"') {
    for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    return i + 1;
  }
  if (text.startsWith(';;', i)) {
    const end = text.indexOf('\n', i);
    return end < 0 ? text.length : end;
  }
  if (text.startsWith('(;', i)) {
    const end = text.indexOf(';)', i);
    return end < 0 ? text.length : end + 2;
  }
  return undefined;
}
