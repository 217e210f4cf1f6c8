// The S-expression tree of a script: lists, atoms and strings with their source spans.
import { Lexer, Token } from './lexer.js';
import { Loc, WastSyntaxError } from './source.js';

export type SExpr = SList | SAtom | SString;

export interface SList {
  kind: 'list';
  loc: Loc;
  end: number; // offset after the closing paren
  items: SExpr[];
}
export interface SAtom {
  kind: 'atom';
  loc: Loc;
  text: string;
}
export interface SString {
  kind: 'string';
  loc: Loc;
  bytes: Uint8Array;
}

/**
 * Parses a whole script into its top-level expressions. Unbalanced parentheses are fatal
 * for the file; everything finer is left to the directive parser, one directive at a time.
 */
export function parseSExprs(file: string, text: string): SExpr[] {
  const lexer = new Lexer(file, text);
  const stack: SList[] = [];
  const top: SExpr[] = [];
  const push = (e: SExpr) => (stack.length ? stack[stack.length - 1].items.push(e) : top.push(e));
  let tok: Token | undefined;
  while ((tok = lexer.next())) {
    switch (tok.kind) {
      case 'lparen':
        stack.push({ kind: 'list', loc: tok.loc, end: -1, items: [] });
        break;
      case 'rparen': {
        const list = stack.pop();
        if (!list) throw new WastSyntaxError(tok.loc, 'unexpected ")"');
        list.end = tok.loc.offset + 1;
        push(list);
        break;
      }
      case 'atom':
        push({ kind: 'atom', loc: tok.loc, text: tok.text });
        break;
      case 'string':
        push({ kind: 'string', loc: tok.loc, bytes: tok.bytes });
        break;
    }
  }
  if (stack.length) throw new WastSyntaxError(stack[stack.length - 1].loc, 'unclosed "("');
  return top;
}

export function head(e: SExpr | undefined): string | undefined {
  return e?.kind === 'list' && e.items[0]?.kind === 'atom' ? e.items[0].text : undefined;
}

export function isAnnotation(e: SExpr): boolean {
  return head(e)?.startsWith('@') ?? false;
}
