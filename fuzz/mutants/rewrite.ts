// Applies a twin (twins.ts) to a module: every occurrence of `from` in the code section becomes `to`,
// with memarg alignments clamped to the new natural alignment, or what the twin's custom rewrite makes
// of it (custom-twins.ts: which may add locals to the function), and every body size and the code
// section size re-encoded. Only the code section changes; all other sections are copied as they are.
import { HEADER_SIZE, Reader } from '../../core/wasm/reader.js';
import { u32 as encodeU32 } from '../../core/wasm/writer.js';
import { Instruction, instructions, naturalAlignmentLog2, skipValType, UnwalkableModule, walkReader } from './instructions.js';
import { Opcode, prefixOf, Twin } from './twins.js';

const CODE_SECTION = 10;

export function encodeOpcode(op: Opcode): number[] {
  return op > 0xff ? [prefixOf(op), ...encodeU32(op % 0x10000)] : [op];
}

/** A value type's bytes, read. */
function valType(r: Reader): number[] {
  const at = r.pos;
  skipValType(r);
  return Array.from(r.bytes.subarray(at, r.pos));
}

/** What a custom rewrite knows of the module and the function it is in. */
export interface FunctionContext {
  /** the function types by type index, their value types as bytes (undefined: a type that is not a function's) */
  types: ({ params: number[][]; results: number[][] } | undefined)[];
  /** every memory, imported ones first: i64 addresses or not */
  memories: { i64: boolean }[];
  /** every tag's type index, imported ones first */
  tags: number[];
  /** a new local of this type (its bytes) in the function: its index */
  addLocal(type: number[]): number;
}

/** The module's types, memories, tags and each defined function's type index, read from its sections. */
interface ModuleShape {
  types: FunctionContext['types'];
  memories: FunctionContext['memories'];
  tags: number[];
  funcTypes: number[];
}

function limitsI64(r: Reader): boolean {
  const flags = r.u8();
  r.skipLeb();
  if (flags & 1) r.skipLeb();
  if (flags & 8) r.skipLeb();
  return (flags & 4) !== 0;
}

/** A field's storage type: packed i8 (0x78) or i16 (0x77), or a value type; then its mutability. */
function skipField(r: Reader): void {
  const b = r.peek();
  if (b === 0x78 || b === 0x77) r.skip(1);
  else skipValType(r);
  r.skip(1);
}

/** One type of the type section (sub and sub final with their supertypes read past): a function type's value types, undefined for a struct or array. */
function subType(r: Reader): FunctionContext['types'][number] {
  const b = r.u8();
  if (b === 0x50 || b === 0x4f) {
    for (let n = r.uleb(); n > 0; n--) r.uleb();
    return subType(r);
  }
  if (b === 0x5f) {
    for (let n = r.uleb(); n > 0; n--) skipField(r);
    return undefined;
  }
  if (b === 0x5e) {
    skipField(r);
    return undefined;
  }
  if (b !== 0x60) r.fail(`type form 0x${b.toString(16)}`);
  const params = Array.from({ length: r.uleb() }, () => valType(r));
  const results = Array.from({ length: r.uleb() }, () => valType(r));
  return { params, results };
}

function moduleShape(bytes: Uint8Array): ModuleShape {
  const shape: ModuleShape = { types: [], memories: [], tags: [], funcTypes: [] };
  const r = walkReader(bytes, HEADER_SIZE);
  while (!r.atEnd) {
    const { id, contentStart, end } = r.sectionHeader();
    const s = walkReader(bytes, contentStart, end);
    if (id === 1) {
      for (let n = s.uleb(); n > 0; n--) {
        // a rec group (GC) of several types, or one type
        const count = s.peek() === 0x4e ? (s.skip(1), s.uleb()) : 1;
        for (let k = 0; k < count; k++) shape.types.push(subType(s));
      }
    } else if (id === 2) {
      for (let n = s.uleb(); n > 0; n--) {
        s.name();
        s.name();
        const kind = s.u8();
        if (kind === 0) {
          s.uleb(); // a function: its index space starts with the imports, bodies are the defined ones'
        } else if (kind === 1) {
          valType(s);
          limitsI64(s);
        } else if (kind === 2) shape.memories.push({ i64: limitsI64(s) });
        else if (kind === 3) {
          valType(s);
          s.skip(1);
        } else if (kind === 4) {
          s.skip(1);
          shape.tags.push(s.uleb());
        } else throw new UnwalkableModule(`import kind ${kind}`);
      }
    } else if (id === 3) {
      for (let n = s.uleb(); n > 0; n--) shape.funcTypes.push(s.uleb());
    } else if (id === 5) {
      for (let n = s.uleb(); n > 0; n--) shape.memories.push({ i64: limitsI64(s) });
    } else if (id === 13) {
      for (let n = s.uleb(); n > 0; n--) {
        s.skip(1); // the attribute: an exception
        shape.tags.push(s.uleb());
      }
    }
    r.pos = end;
  }
  return shape;
}

/** The code section's content with the twin applied, and how many instructions it replaced. */
function rewriteCode(bytes: Uint8Array, start: number, end: number, twin: Twin, shape: ModuleShape | undefined): { content: number[]; replaced: number } {
  const r = walkReader(bytes, start, end);
  const count = r.uleb();
  const content: number[] = [...encodeU32(count)];
  let replaced = 0;
  const at = twin.immediatesAt ?? twin.to.length - 1;
  const matches = twin.matches ?? ((op: Opcode) => op === twin.from);
  const lastAlign = at >= 0 ? naturalAlignmentLog2(twin.to[at]) : undefined;
  for (let f = 0; f < count; f++) {
    const size = r.uleb();
    const bodyStart = r.pos;
    const bodyEnd = bodyStart + size;
    if (bodyEnd > end) throw new UnwalkableModule(`function body ${f} runs past the code section`);
    // the locals: a vec of (count, value type)
    const locals = walkReader(bytes, bodyStart, bodyEnd);
    const runs: number[][] = [];
    let declared = 0;
    for (let n = locals.uleb(); n > 0; n--) {
      const runAt = locals.pos;
      declared += locals.uleb();
      valType(locals);
      runs.push(Array.from(bytes.subarray(runAt, locals.pos)));
    }
    const added: number[][] = [];
    const type = shape?.types[shape.funcTypes[f]];
    const context: FunctionContext | undefined = shape && {
      types: shape.types,
      memories: shape.memories,
      tags: shape.tags,
      addLocal: (t) => {
        if (!type) throw new UnwalkableModule(`function ${f}'s type is not read`);
        added.push(t);
        return type.params.length + declared + added.length - 1;
      },
    };
    const code: number[] = [];
    for (const ins of instructions(bytes, locals.pos, bodyEnd)) {
      const replacement = matches(ins.opcode) ? replace(bytes, ins, twin, at, lastAlign, context) : undefined;
      if (replacement === undefined) {
        for (let k = ins.at; k < ins.end; k++) code.push(bytes[k]);
        continue;
      }
      replaced++;
      code.push(...replacement);
    }
    const body = [...encodeU32(runs.length + added.length), ...runs.flat(), ...added.flatMap((t) => [1, ...t]), ...code];
    content.push(...encodeU32(body.length), ...body);
    r.pos = bodyEnd;
  }
  if (r.pos !== end) throw new UnwalkableModule('the code section has bytes after its last body');
  return { content, replaced };
}

/** One instruction's replacement: the twin's custom one, or `to` with the immediates at `at`. */
function replace(bytes: Uint8Array, ins: Instruction, twin: Twin, at: number, lastAlign: number | undefined, context: FunctionContext | undefined): number[] | undefined {
  if (twin.custom) return twin.custom(ins, bytes, context!);
  const out: number[] = [];
  twin.to.forEach((op, k) => {
    out.push(...encodeOpcode(op));
    if (k !== at) return;
    if (lastAlign !== undefined && naturalAlignmentLog2(twin.from) !== undefined) {
      const memarg = walkReader(bytes, ins.immediates, ins.end);
      const flags = memarg.uleb();
      out.push(...encodeU32(Math.min(flags & 0x3f, lastAlign) | (flags & 0x40)));
      for (let k = memarg.pos; k < ins.end; k++) out.push(bytes[k]);
    } else {
      for (let k = ins.immediates; k < ins.end; k++) out.push(bytes[k]);
    }
  });
  return out;
}

/**
 * `bytes` (a valid module) with every `twin.from` in its function bodies replaced; undefined when the
 * module has none. Throws UnwalkableModule when the module holds what the instruction walker cannot
 * read (an opcode of a feature it does not walk, a broken code section).
 */
export function mutate(bytes: Uint8Array, twin: Twin): Uint8Array | undefined {
  const r = rewrite(bytes, twin);
  return r.replaced === 0 ? undefined : r.bytes;
}

/** How many times the twin changes an instruction of the module's function bodies. */
export function occurrences(bytes: Uint8Array, twin: Twin): number {
  return rewrite(bytes, twin).replaced;
}

function rewrite(bytes: Uint8Array, twin: Twin): { bytes: Uint8Array; replaced: number } {
  const out: number[] = Array.from(bytes.subarray(0, HEADER_SIZE));
  let replaced = 0;
  const shape = twin.custom ? moduleShape(bytes) : undefined;
  const r = walkReader(bytes, HEADER_SIZE);
  while (!r.atEnd) {
    const { id, start, contentStart, end } = r.sectionHeader();
    if (end > bytes.length) throw new UnwalkableModule(`section ${id} at ${start} runs past the module`);
    if (id === CODE_SECTION) {
      const code = rewriteCode(bytes, contentStart, end, twin, shape);
      replaced += code.replaced;
      out.push(id, ...encodeU32(code.content.length), ...code.content);
    } else {
      for (let k = start; k < end; k++) out.push(bytes[k]);
    }
    r.pos = end;
  }
  return { bytes: Uint8Array.from(out), replaced };
}
