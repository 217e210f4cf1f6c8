// Turns the S-expressions of a script into directives, one method per directive.
import { parseF32Bits, parseF64Bits, parseIntBits, LiteralError } from './literals.js';
import { stringText } from './lexer.js';
import { quotedModuleText } from './quoted-module.js';
import {
  Action,
  ASSERTION_KINDS,
  Command,
  Expected,
  LanePattern,
  LaneShape,
  ModuleCommand,
  ModuleInstanceCommand,
  RefPattern,
  Script,
} from './script.js';
import { head, isAnnotation, parseSExprs, SAtom, SExpr, SList } from './sexpr.js';
import { Loc, WastSyntaxError } from './source.js';
import { Value } from '../core/values.js';

const LANES: Record<LaneShape, { count: number; width: 8 | 16 | 32 | 64; float: boolean }> = {
  i8x16: { count: 16, width: 8, float: false },
  i16x8: { count: 8, width: 16, float: false },
  i32x4: { count: 4, width: 32, float: false },
  i64x2: { count: 2, width: 64, float: false },
  f32x4: { count: 4, width: 32, float: true },
  f64x2: { count: 2, width: 64, float: true },
};

const MODULE_FIELDS = new Set(['type', 'rec', 'import', 'func', 'table', 'memory', 'global', 'export', 'start', 'elem', 'data', 'tag']);

const HEAP_PATTERNS = new Set(['any', 'eq', 'i31', 'struct', 'array', 'exn']);

export function parseScript(file: string, text: string): Script {
  return new ScriptParser(file, text).parse();
}

class ScriptParser {
  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  parse(): Script {
    const commands: Command[] = [];
    const exprs = parseSExprs(this.file, this.text);
    const first = exprs.find((e) => !isAnnotation(e));
    const features = declaredFeatures(this.text);
    if (first && MODULE_FIELDS.has(head(first) ?? '')) return { file: this.file, commands: [this.inlineModule(first)], features };
    const annotated = this.text.includes('(@');  // rare: skip the copy when there are none
    for (const e of exprs) {
      if (isAnnotation(e)) continue;
      commands.push(this.commandOrBad(annotated ? withoutAnnotations(e) : e));
    }
    return { file: this.file, commands, features };
  }

  /** A script made of bare module fields is one module (the spec's inline module). */
  private inlineModule(first: SExpr): ModuleCommand {
    const text = `(module ${this.text})`;
    return { kind: 'module', loc: first.loc, definition: false, sourceText: this.text, source: { kind: 'text', text } };
  }

  private commandOrBad(e: SExpr): Command {
    try {
      return this.command(e);
    } catch (err) {
      if (!(err instanceof WastSyntaxError)) throw err;
      // Reported at the directive's start, where a reader looks for it; the detail says where inside.
      const at = err.loc.offset === e.loc.offset ? '' : ` (at ${err.loc.line}:${err.loc.col})`;
      return {
        kind: 'bad',
        loc: e.loc,
        message: err.detail + at,
        isAssertion: ASSERTION_KINDS.has(head(e) ?? ''),
        sourceText: this.source(e),
      };
    }
  }

  // ---- helpers -------------------------------------------------------------------------

  private fail(at: SExpr | Loc, detail: string): never {
    throw new WastSyntaxError('kind' in at ? at.loc : at, detail);
  }

  private source(e: SExpr): string {
    return e.kind === 'list' ? this.text.slice(e.loc.offset, e.end) : this.text.slice(e.loc.offset, e.loc.offset + 40);
  }

  private list(e: SExpr | undefined, what: string, from: SExpr): SList {
    if (e?.kind !== 'list') this.fail(e ?? from, `expected ${what}`);
    return e;
  }

  private atom(e: SExpr | undefined, what: string, from: SExpr): SAtom {
    if (e?.kind !== 'atom') this.fail(e ?? from, `expected ${what}`);
    return e;
  }

  private name(e: SExpr | undefined, from: SExpr): string {
    if (e?.kind !== 'string') this.fail(e ?? from, 'expected a name string');
    const s = stringText(e.bytes);
    if (s === undefined) this.fail(e, 'malformed UTF-8 encoding in name');
    return s;
  }

  private string(e: SExpr | undefined, from: SExpr): string {
    if (e?.kind !== 'string') this.fail(e ?? from, 'expected a string');
    return stringText(e.bytes) ?? String.fromCharCode(...e.bytes);
  }

  private optId(items: SExpr[], i: number): string | undefined {
    const e = items[i];
    return e?.kind === 'atom' && e.text.startsWith('$') ? e.text : undefined;
  }

  private end(l: SList, i: number): void {
    if (i < l.items.length) this.fail(l.items[i], `unexpected ${l.items[i].kind === 'atom' ? (l.items[i] as SAtom).text : l.items[i].kind}`);
  }

  private literal<T>(e: SAtom, f: (s: string) => T): T {
    try {
      return f(e.text);
    } catch (err) {
      if (err instanceof LiteralError) this.fail(e, err.message);
      throw err;
    }
  }

  // ---- directives ----------------------------------------------------------------------

  private command(e: SExpr): Command {
    const h = head(e);
    if (e.kind !== 'list' || h === undefined) this.fail(e, 'expected a directive');
    switch (h) {
      case 'module':
        return this.module(e);
      case 'register':
        return this.register(e);
      case 'invoke':
      case 'get':
        return { kind: 'action', loc: e.loc, action: this.action(e) };
      case 'assert_return':
        return this.assertReturn(e);
      case 'assert_trap':
        return this.assertTrap(e);
      case 'assert_exhaustion': {
        const action = this.action(this.list(e.items[1], 'an action', e));
        const message = this.string(e.items[2], e);
        this.end(e, 3);
        return { kind: 'assert_exhaustion', loc: e.loc, sourceText: this.source(e), action, message };
      }
      case 'assert_exception': {
        const action = this.action(this.list(e.items[1], 'an action', e));
        this.end(e, 2);
        return { kind: 'assert_exception', loc: e.loc, sourceText: this.source(e), action };
      }
      case 'assert_malformed':
      case 'assert_invalid':
      case 'assert_unlinkable':
      case 'assert_uninstantiable':
      case 'assert_malformed_custom':
      case 'assert_invalid_custom': {
        const module = this.assertedModule(this.list(e.items[1], 'a module', e));
        const message = this.string(e.items[2], e);
        this.end(e, 3);
        return { kind: h, loc: e.loc, sourceText: this.source(e), module, message };
      }
      case 'thread':
        return this.thread(e);
      case 'wait': {
        const id = this.atom(e.items[1], 'a thread id', e).text;
        this.end(e, 2);
        return { kind: 'wait', loc: e.loc, id };
      }
      default:
        this.fail(e.items[0], `unknown directive "${h}"`);
    }
  }

  private module(e: SList): Command {
    return this.isInstance(e) ? this.moduleInstance(e) : this.moduleDirective(e);
  }

  private isInstance(e: SList): boolean {
    const second = e.items[1];
    return second?.kind === 'atom' && second.text === 'instance';
  }

  /** (module instance $inst? $def?): with one name, the name is the definition's (as in the reference interpreter). */
  private moduleInstance(e: SList): ModuleInstanceCommand {
    const ids: string[] = [];
    for (let i = 2; i < e.items.length; i++) {
      const id = this.optId(e.items, i);
      if (id === undefined) this.fail(e.items[i], 'expected a module name');
      ids.push(id);
    }
    if (ids.length > 2) this.fail(e.items[4], 'expected at most two names');
    const [instanceId, moduleId] = ids.length === 2 ? ids : [undefined, ids[0]];
    return { kind: 'module_instance', loc: e.loc, instanceId, moduleId };
  }

  /** The module of an assertion: a module in any form, or an instance of a definition. */
  private assertedModule(e: SList): ModuleCommand | ModuleInstanceCommand {
    return this.isInstance(e) ? this.moduleInstance(e) : this.moduleDirective(e);
  }

  /** (module [definition] $id? (binary|quote) string*) or (module [definition] $id? field*). */
  private moduleDirective(e: SList): ModuleCommand {
    if (head(e) !== 'module') this.fail(e, 'expected a module');
    let i = 1;
    let definition = false;
    if (e.items[i]?.kind === 'atom' && (e.items[i] as SAtom).text === 'definition') {
      definition = true;
      i++;
    }
    const id = this.optId(e.items, i);
    if (id) i++;
    const form = e.items[i];
    const base = { kind: 'module' as const, loc: e.loc, id, definition, sourceText: this.source(e) };
    if (form?.kind === 'atom' && (form.text === 'binary' || form.text === 'quote')) {
      const parts: Uint8Array[] = [];
      for (const s of e.items.slice(i + 1)) {
        if (s.kind !== 'string') this.fail(s, `expected a string in a ${form.text} module`);
        parts.push(s.bytes);
      }
      if (form.text === 'binary') {
        const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) {
          bytes.set(p, at);
          at += p.length;
        }
        return { ...base, source: { kind: 'binary', bytes } };
      }
      const text = parts.map((p) => stringText(p) ?? String.fromCharCode(...p)).join(' ');
      return { ...base, source: { kind: 'quote', text: quotedModuleText(text) } };
    }
    // Text: hand the assembler the module as written, padded so that its line and column
    // numbers are those of the script, with the script-only "definition" keyword blanked out.
    let text = this.text.slice(e.loc.offset, e.end);
    if (definition) {
      const kw = e.items[1] as SAtom;
      const at = kw.loc.offset - e.loc.offset;
      text = text.slice(0, at) + ' '.repeat('definition'.length) + text.slice(at + 'definition'.length);
    }
    text = '\n'.repeat(e.loc.line - 1) + ' '.repeat(e.loc.col - 1) + text;
    return { ...base, source: { kind: 'text', text } };
  }

  private register(e: SList): Command {
    const name = this.name(e.items[1], e);
    const moduleId = this.optId(e.items, 2);
    this.end(e, moduleId ? 3 : 2);
    return { kind: 'register', loc: e.loc, name, moduleId };
  }

  private action(e: SList): Action {
    const h = head(e);
    const moduleId = this.optId(e.items, 1);
    let i = moduleId ? 2 : 1;
    const name = this.name(e.items[i++], e);
    if (h === 'get') {
      this.end(e, i);
      return { kind: 'get', loc: e.loc, moduleId, name };
    }
    if (h !== 'invoke') this.fail(e, 'expected an action (invoke or get)');
    const args = e.items.slice(i).map((a) => this.constant(this.list(a, 'a constant', e)));
    return { kind: 'invoke', loc: e.loc, moduleId, name, args };
  }

  private thread(e: SList): Command {
    const id = this.atom(e.items[1], 'a thread id', e).text;
    const shared: string[] = [];
    const commands: Command[] = [];
    for (const item of e.items.slice(2)) {
      if (head(item) === 'shared') {
        const l = item as SList;
        for (const m of l.items.slice(1)) {
          const ml = this.list(m, '(module $id)', l);
          shared.push(this.atom(ml.items[1], 'a module id', ml).text);
        }
      } else {
        commands.push(this.commandOrBad(item));
      }
    }
    return { kind: 'thread', loc: e.loc, id, shared, commands };
  }

  private assertReturn(e: SList): Command {
    const action = this.action(this.list(e.items[1], 'an action', e));
    const expected = e.items.slice(2).map((r) => this.result(this.list(r, 'a result', e)));
    return { kind: 'assert_return', loc: e.loc, sourceText: this.source(e), action, expected };
  }

  private assertTrap(e: SList): Command {
    const t = this.list(e.items[1], 'an action or module', e);
    const target = head(t) === 'module' ? this.assertedModule(t) : this.action(t);
    const message = this.string(e.items[2], e);
    this.end(e, 3);
    return { kind: 'assert_trap', loc: e.loc, sourceText: this.source(e), target, message };
  }

  // ---- constants and results -----------------------------------------------------------

  /** An argument constant: exact values only. */
  private constant(e: SList): Value {
    const r = this.result(e);
    if (r.kind === 'value') return r.value;
    if (r.kind === 'v128' && r.lanes.every((l) => l.kind === 'bits')) return this.v128Value(r.shape, r.lanes);
    if (r.kind === 'ref') {
      const p = r.pattern;
      if (p.kind === 'null') return { type: 'ref', ref: { kind: 'null', heap: p.heap ?? 'any' } };
      if (p.kind === 'extern' && p.id !== undefined) return { type: 'ref', ref: { kind: 'extern', id: p.id } };
      if (p.kind === 'host') return { type: 'ref', ref: { kind: 'host', id: p.id } };
    }
    this.fail(e, 'expected a constant argument');
  }

  private result(e: SList): Expected {
    const h = head(e);
    const arg = e.items[1];
    switch (h) {
      case 'i32.const':
      case 'i64.const': {
        const a = this.atom(arg, 'an integer', e);
        this.end(e, 2);
        const bits = this.literal(a, (s) => parseIntBits(s, h === 'i32.const' ? 32 : 64));
        return { kind: 'value', value: h === 'i32.const' ? { type: 'i32', bits: Number(bits) } : { type: 'i64', bits } };
      }
      case 'f32.const':
      case 'f64.const': {
        const a = this.atom(arg, 'a float', e);
        this.end(e, 2);
        const type = h === 'f32.const' ? 'f32' : 'f64';
        if (a.text === 'nan:canonical' || a.text === 'nan:arithmetic') return { kind: 'nan', type, nan: a.text.slice(4) as 'canonical' | 'arithmetic' };
        return {
          kind: 'value',
          value: type === 'f32' ? { type, bits: this.literal(a, parseF32Bits) } : { type, bits: this.literal(a, parseF64Bits) },
        };
      }
      case 'v128.const':
        return this.v128(e);
      case 'ref.null': {
        const ht = e.items[1];
        this.end(e, ht ? 2 : 1);
        return { kind: 'ref', pattern: { kind: 'null', heap: ht ? this.heapType(ht, e) : undefined } };
      }
      case 'ref.func': {
        // (ref.func N), as engines' suites write it: the function of index N in its module
        const n = e.items[1];
        this.end(e, n ? 2 : 1);
        if (n === undefined) return { kind: 'ref', pattern: { kind: 'func' } };
        const index = Number(this.literal(this.atom(n, 'a function index', e), (s) => parseIntBits(s, 32)));
        return { kind: 'ref', pattern: { kind: 'func', index } };
      }
      case 'ref.extern':
      case 'ref.host': {
        const n = e.items[1];
        this.end(e, n ? 2 : 1);
        const id = n === undefined ? undefined : Number(this.literal(this.atom(n, 'a host reference number', e), (s) => parseIntBits(s, 32)));
        if (h === 'ref.extern') return { kind: 'ref', pattern: { kind: 'extern', id } };
        if (id === undefined) this.fail(e, 'expected a host reference number');
        return { kind: 'ref', pattern: { kind: 'host', id } };
      }
      case 'either':
        if (e.items.length < 2) this.fail(e, 'expected alternatives');
        return { kind: 'either', options: e.items.slice(1).map((o) => this.result(this.list(o, 'a result', e))) };
      default: {
        const kind = h?.startsWith('ref.') ? h.slice(4) : undefined;
        if (kind && HEAP_PATTERNS.has(kind)) {
          this.end(e, 1);
          return { kind: 'ref', pattern: { kind: 'heap', heap: kind as Extract<RefPattern, { kind: 'heap' }>['heap'] } };
        }
        this.fail(e, `unknown result or constant "${h ?? '?'}"`);
      }
    }
  }

  private heapType(e: SExpr, from: SExpr): string {
    if (e.kind === 'atom') return e.text;
    this.fail(e ?? from, 'expected a heap type');
  }

  private v128(e: SList): Expected {
    const shapeAtom = this.atom(e.items[1], 'a lane shape', e);
    const shape = shapeAtom.text as LaneShape;
    const info = LANES[shape];
    if (!info) this.fail(shapeAtom, `unknown lane shape "${shapeAtom.text}"`);
    const lanes: LanePattern[] = [];
    for (let i = 0; i < info.count; i++) {
      const a = this.atom(e.items[2 + i], `${info.count} lanes`, e);
      if (info.float && (a.text === 'nan:canonical' || a.text === 'nan:arithmetic')) {
        lanes.push({ kind: 'nan', nan: a.text.slice(4) as 'canonical' | 'arithmetic' });
      } else if (info.float) {
        lanes.push({ kind: 'bits', bits: info.width === 32 ? BigInt(this.literal(a, parseF32Bits)) : this.literal(a, parseF64Bits) });
      } else {
        lanes.push({ kind: 'bits', bits: this.literal(a, (s) => parseIntBits(s, info.width)) });
      }
    }
    this.end(e, 2 + info.count);
    return { kind: 'v128', shape, lanes };
  }

  private v128Value(shape: LaneShape, lanes: LanePattern[]): Value {
    return { type: 'v128', bytes: lanesToBytes(shape, lanes.map((l) => (l as { bits: bigint }).bits)) };
  }
}

/** The features named by `;; mitey-features: …` comment lines. */
function declaredFeatures(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^;;\s*mitey-features:\s*(.+)$/gm)) out.push(...m[1].split(/[\s,]+/).filter(Boolean));
  return out;
}

/**
 * Annotations may stand anywhere, even before a directive's keyword; the directive structure is
 * read without them (module text keeps them: it is sliced from the source by position).
 */
function withoutAnnotations(e: SExpr): SExpr {
  if (e.kind !== 'list') return e;
  return { ...e, items: e.items.filter((i) => !isAnnotation(i)).map(withoutAnnotations) };
}

export function laneInfo(shape: LaneShape) {
  return LANES[shape];
}

/** Packs lane bit patterns little-endian into 16 bytes. */
export function lanesToBytes(shape: LaneShape, lanes: bigint[]): Uint8Array {
  const { width } = LANES[shape];
  const bytes = new Uint8Array(16);
  const per = width / 8;
  lanes.forEach((bits, i) => {
    for (let b = 0; b < per; b++) bytes[i * per + b] = Number((bits >> BigInt(8 * b)) & 0xffn);
  });
  return bytes;
}

/** Unpacks 16 bytes into unsigned lane bit patterns of a shape. */
export function bytesToLanes(shape: LaneShape, bytes: Uint8Array): bigint[] {
  const { width, count } = LANES[shape];
  const per = width / 8;
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    let v = 0n;
    for (let b = per - 1; b >= 0; b--) v = (v << 8n) | BigInt(bytes[i * per + b]);
    out.push(v);
  }
  return out;
}
