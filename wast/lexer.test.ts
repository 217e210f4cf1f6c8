import { describe, expect, test } from '@jest/globals';
import { tokenize } from './lexer.js';
import { WastSyntaxError } from './source.js';

const kinds = (text: string) => tokenize('t.wast', text).map((t) => (t.kind === 'atom' ? t.text : t.kind));

describe('lexer', () => {
  test('atoms, parens, strings and their positions', () => {
    const toks = tokenize('t.wast', '(module\n  $m (func))');
    expect(toks.map((t) => t.kind)).toEqual(['lparen', 'atom', 'atom', 'lparen', 'atom', 'rparen', 'rparen']);
    expect(toks[2].loc).toEqual({ file: 't.wast', line: 2, col: 3, offset: 10 });
  });

  test('comments: line comments and nested block comments vanish, lines still count', () => {
    const toks = tokenize('t.wast', ';; one\n(; a (; nested ;)\n still ;) x');
    expect(kinds(';; one\n(; a (; nested ;) still ;) x')).toEqual(['x']);
    expect(toks[0].loc.line).toBe(3);
  });

  test('string escapes become bytes', () => {
    const [s] = tokenize('t.wast', '"a\\t\\n\\r\\"\\\'\\\\\\41\\u{1F600}é"');
    expect(s.kind).toBe('string');
    const bytes = Array.from((s as { bytes: Uint8Array }).bytes);
    expect(bytes).toEqual([0x61, 9, 10, 13, 0x22, 0x27, 0x5c, 0x41, 0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9]);
  });

  test('raw bytes that are not UTF-8 survive in strings', () => {
    const [s] = tokenize('t.wast', '"\\ff\\00"');
    expect(Array.from((s as { bytes: Uint8Array }).bytes)).toEqual([0xff, 0]);
  });

  test('reserved characters of Wasm 3.0 form atoms; ";;" still starts a comment', () => {
    expect(kinds('(@a , ; ] [ }x{ ;; gone\n)')).toEqual(['lparen', '@a', ',', ';', ']', '[', '}x{', 'rparen']);
  });

  test('quoted identifiers', () => {
    expect(kinds('$"a b"')).toEqual(['$a b']);
  });

  test.each([
    ['"unclosed', 1, 1, 'unclosed string'],
    ['\n  (; never closed', 2, 3, 'unclosed block comment'],
    ['"bad \\q escape"', 1, 6, 'malformed escape'],
    ['"\\u{110000}"', 1, 2, 'malformed unicode escape'],
  ])('errors name line and column: %j', (text, line, col, message) => {
    let err: unknown;
    try {
      tokenize('bad.wast', text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WastSyntaxError);
    const e = err as WastSyntaxError;
    expect([e.loc.line, e.loc.col]).toEqual([line, col]);
    expect(e.message).toContain(`bad.wast:${line}:${col}`);
    expect(e.message).toContain(message);
  });
});

describe('an unexpected character is named so that a terminal shows it', () => {
  const messageFor = (text: string) => {
    try {
      tokenize('bad.wast', text);
    } catch (e) {
      return (e as WastSyntaxError).message;
    }
    throw new Error('no error');
  };

  // Every C0 control but the whitespace the lexer skips, DEL, C1 controls, bidi overrides and isolates, zero-width
  // characters, the BOM, a line separator, a no-break space, a private-use and an unassigned code point, a lone surrogate.
  const invisible = [
    ...Array.from({ length: 0x20 }, (_, i) => i).filter((c) => ![0x09, 0x0a, 0x0d].includes(c)),
    0x7f, 0x80, 0x85, 0x9b, 0x9f, 0x202e, 0x2066, 0x200b, 0x200d, 0xfeff, 0x2028, 0xa0, 0xe000, 0xe0001, 0x10ffff, 0xd800,
  ];
  test.each(invisible.map((c) => [c.toString(16)]))('U+%s is escaped', (hex) => {
    const cp = parseInt(hex, 16);
    const ch = cp >= 0xd800 && cp < 0xe000 ? String.fromCharCode(cp) : String.fromCodePoint(cp);
    const message = messageFor(`(module ${ch})`);
    const escaped = cp > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
    expect(message).toBe(`bad.wast:1:9: unexpected character "${escaped}" (U+${hex.toUpperCase().padStart(4, '0')})`);
    // Nothing but printable ASCII in the message.
    expect(message).toMatch(/^[\x20-\x7e]*$/);
  });

  test('a visible character is shown as itself, a character beyond the BMP whole', () => {
    expect(messageFor('(module é)')).toBe('bad.wast:1:9: unexpected character "é" (U+00E9)');
    expect(messageFor('(module 😀)')).toBe('bad.wast:1:9: unexpected character "😀" (U+1F600)');
  });
});
