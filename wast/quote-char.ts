// A character as it should appear in an error message: quoted, and escaped unless it is visible on its own.
// Control characters (C0, DEL, C1), format characters (bidi overrides and isolates, zero-width ones, the BOM),
// surrogates, private-use and unassigned code points, separators other than the space, and lone combining
// marks would be invisible, move the cursor, reorder the line or join the quote when printed raw.
const INVISIBLE = /^[\p{C}\p{Z}\p{M}]$/u;

/** `"x"` for a visible character, `"\u007f"` (or `"\u{e0001}"` beyond the BMP) for any other; with its code point. */
export function quoteChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const hex = cp.toString(16).padStart(4, '0');
  const shown = ch === ' ' || !INVISIBLE.test(ch) ? JSON.stringify(ch) : `"\\u${cp > 0xffff ? `{${hex}}` : hex}"`;
  return `${shown} (U+${hex.toUpperCase()})`;
}
