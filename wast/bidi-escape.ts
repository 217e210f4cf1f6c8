// wasm-tools refuses raw bidirectional-format characters anywhere in a text ("likely-confusing unicode
// character"), a guard against source that reads other than it parses; the spec's text format allows
// them in strings (names.wast exports such names). Our rule: inside a string they become `\u{…}`
// escapes, which denote the same characters; in a comment they become a space. Both keep the module.

// The characters wasm-tools 1.1.9's lexer refuses (each of U+0020–U+FFFF tried in a string; U+007F is refused too, as the spec does): the embeddings and
// overrides (not their end U+202C), the isolates, and U+206C.
const BIDI = /[\u202a\u202b\u202d\u202e\u2066-\u2069\u206c]/;
const BIDI_ALL = new RegExp(BIDI.source, 'g');

const escape = (c: string) => `\\u{${c.codePointAt(0)!.toString(16)}}`;

const blank = () => ' ';
const keep = (c: string) => c; // outside strings and comments such a character is malformed: left for the parser to refuse

/** The text with every raw bidi character escaped (in strings) or blanked (in comments). */
export function escapeBidi(text: string): string {
  if (!BIDI.test(text)) return text;
  let out = '';
  let from = 0;
  // Everything before `to` is of one kind (code, a string, a comment).
  const take = (to: number, replace: (c: string) => string) => {
    out += text.slice(from, to).replace(BIDI_ALL, replace);
    from = to;
  };
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      take(i, keep);
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      take(Math.min(i + 1, text.length), escape);
      i++;
    } else if (text.startsWith(';;', i)) {
      take(i, keep);
      const end = text.indexOf('\n', i);
      take(end < 0 ? text.length : end, blank);
      i = from;
    } else if (text.startsWith('(;', i)) {
      take(i, keep);
      let depth = 0;
      do {
        if (text.startsWith('(;', i)) (depth++, (i += 2));
        else if (text.startsWith(';)', i)) (depth--, (i += 2));
        else i++;
      } while (depth > 0 && i < text.length);
      take(Math.min(i, text.length), blank);
    } else i++;
  }
  take(text.length, keep);
  return out;
}
