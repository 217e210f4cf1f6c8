// Tokens of the WebAssembly text format as the .wast script language uses them.
import { quoteChar } from './quote-char.js';
import { Loc, WastSyntaxError } from './source.js';

export type StringToken = { kind: 'string'; loc: Loc; bytes: Uint8Array; end: number }; // end: offset after the closing quote
export type Token =
  | { kind: 'lparen'; loc: Loc }
  | { kind: 'rparen'; loc: Loc }
  | { kind: 'atom'; loc: Loc; text: string } // keywords, $ids, numbers
  | StringToken;

// ignoreBOM: a leading U+FEFF is part of a name, not a byte-order mark.
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const textEncoder = new TextEncoder();

/** Decodes a string token's bytes as UTF-8 (names must be valid UTF-8). */
export function stringText(bytes: Uint8Array): string | undefined {
  try {
    return textDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

// idchars of the spec: printable ASCII except space, quote, comma, semicolon, brackets, parens, braces.
function isIdChar(c: number): boolean {
  if (c < 0x21 || c > 0x7e) return false;
  return !(c === 0x22 || c === 0x2c || c === 0x3b || c === 0x5b || c === 0x5d || c === 0x28 || c === 0x29 || c === 0x7b || c === 0x7d);
}

// Wasm 3.0 lexes runs of idchars and , ; [ ] { } as one "reserved" token, an error only where the
// grammar uses it; annotations may contain them. A ";;" still starts a comment.
function isAtomChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (isIdChar(c) || c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) return true;
  return c === 0x3b && text.charCodeAt(i + 1) !== 0x3b;
}

export class Lexer {
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  loc(offset = this.pos): Loc {
    return { file: this.file, line: this.line, col: offset - this.lineStart + 1, offset };
  }

  private fail(detail: string, offset = this.pos): never {
    throw new WastSyntaxError(this.loc(offset), detail);
  }

  private newline(at: number): void {
    this.line++;
    this.lineStart = at + 1;
  }

  /** Skips whitespace and both comment forms; block comments nest. */
  private skipTrivia(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x0a) {
        this.newline(this.pos);
        this.pos++;
      } else if (c === 0x20 || c === 0x09 || c === 0x0d) {
        this.pos++;
      } else if (c === 0x3b && t.charCodeAt(this.pos + 1) === 0x3b) {
        while (this.pos < t.length && t.charCodeAt(this.pos) !== 0x0a) this.pos++;
      } else if (c === 0x28 && t.charCodeAt(this.pos + 1) === 0x3b) {
        const start = this.pos;
        let depth = 0;
        do {
          if (this.pos >= t.length) this.fail('unclosed block comment', start);
          const a = t.charCodeAt(this.pos);
          const b = t.charCodeAt(this.pos + 1);
          if (a === 0x28 && b === 0x3b) {
            depth++;
            this.pos += 2;
          } else if (a === 0x3b && b === 0x29) {
            depth--;
            this.pos += 2;
          } else {
            if (a === 0x0a) this.newline(this.pos);
            this.pos++;
          }
        } while (depth > 0);
      } else {
        return;
      }
    }
  }

  next(): Token | undefined {
    this.skipTrivia();
    const t = this.text;
    if (this.pos >= t.length) return undefined;
    const loc = this.loc();
    const c = t.charCodeAt(this.pos);
    if (c === 0x28) {
      this.pos++;
      return { kind: 'lparen', loc };
    }
    if (c === 0x29) {
      this.pos++;
      return { kind: 'rparen', loc };
    }
    if (c === 0x22) return this.string(loc);
    if (isAtomChar(t, this.pos)) {
      const start = this.pos;
      while (this.pos < t.length && isAtomChar(t, this.pos)) {
        this.pos++;
        // $"quoted id" (Wasm 3.0): the string is part of the atom.
        if (this.pos - start === 1 && c === 0x24 && t.charCodeAt(this.pos) === 0x22) {
          const s = this.string(this.loc());
          const name = stringText(s.bytes);
          if (name === undefined) this.fail('malformed UTF-8 in identifier', start);
          return { kind: 'atom', loc, text: '$' + name };
        }
      }
      return { kind: 'atom', loc, text: t.slice(start, this.pos) };
    }
    this.fail(`unexpected character ${quoteChar(String.fromCodePoint(t.codePointAt(this.pos)!))}`);
  }

  private string(loc: Loc): StringToken {
    const t = this.text;
    const bytes: number[] = [];
    this.pos++; // opening quote
    for (;;) {
      if (this.pos >= t.length) this.fail('unclosed string', loc.offset);
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        return { kind: 'string', loc, bytes: Uint8Array.from(bytes), end: this.pos };
      }
      if (c === 0x0a || c < 0x20 || c === 0x7f) this.fail('control character in string');
      if (c !== 0x5c && c < 0x80) {
        bytes.push(c);
        this.pos++;
        continue;
      }
      if (c !== 0x5c) {
        const cp = t.codePointAt(this.pos)!;
        const len = cp > 0xffff ? 2 : 1;
        for (const b of textEncoder.encode(t.slice(this.pos, this.pos + len))) bytes.push(b);
        this.pos += len;
        continue;
      }
      const e = t[this.pos + 1];
      this.pos += 2;
      switch (e) {
        case 't': bytes.push(0x09); break;
        case 'n': bytes.push(0x0a); break;
        case 'r': bytes.push(0x0d); break;
        case '"': bytes.push(0x22); break;
        case "'": bytes.push(0x27); break;
        case '\\': bytes.push(0x5c); break;
        case 'u': {
          const m = /^\{([0-9a-fA-F](?:_?[0-9a-fA-F])*)\}/.exec(t.slice(this.pos, this.pos + 16));
          if (!m) this.fail('malformed unicode escape', this.pos - 2);
          const cp = parseInt(m[1].replace(/_/g, ''), 16);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) this.fail('malformed unicode escape', this.pos - 2);
          for (const b of textEncoder.encode(String.fromCodePoint(cp))) bytes.push(b);
          this.pos += m[0].length;
          break;
        }
        default: {
          const hex = t.slice(this.pos - 1, this.pos + 1);
          if (!/^[0-9a-fA-F]{2}$/.test(hex)) this.fail('malformed escape in string', this.pos - 2);
          bytes.push(parseInt(hex, 16));
          this.pos++;
        }
      }
    }
  }
}

export function tokenize(file: string, text: string): Token[] {
  const lexer = new Lexer(file, text);
  const out: Token[] = [];
  for (let tok = lexer.next(); tok; tok = lexer.next()) out.push(tok);
  return out;
}
