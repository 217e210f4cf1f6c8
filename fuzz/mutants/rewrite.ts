// Applies a twin (twins.ts) to a module: every occurrence of `from` in the code section becomes `to`,
// with memarg alignments clamped to the new natural alignment and every body size and the code
// section size re-encoded. Only the code section changes; all other sections are copied as they are.
import { HEADER_SIZE } from '../../core/wasm/reader.js';
import { u32 as encodeU32 } from '../../core/wasm/writer.js';
import { instructions, naturalAlignmentLog2, UnwalkableModule, walkReader } from './instructions.js';
import { Opcode, Twin } from './twins.js';

const CODE_SECTION = 10;

function encodeOpcode(op: Opcode): number[] {
  return op > 0xff ? [op >> 8, ...encodeU32(op & 0xff)] : [op];
}

/** The code section's content with the twin applied, and how many instructions it replaced. */
function rewriteCode(bytes: Uint8Array, start: number, end: number, twin: Twin): { content: number[]; replaced: number } {
  const r = walkReader(bytes, start, end);
  const count = r.uleb();
  const content: number[] = [...encodeU32(count)];
  let replaced = 0;
  const last = twin.to[twin.to.length - 1];
  const prefix = twin.to.slice(0, -1).flatMap(encodeOpcode);
  const lastCode = encodeOpcode(last);
  const lastAlign = naturalAlignmentLog2(last);
  for (let f = 0; f < count; f++) {
    const size = r.uleb();
    const bodyStart = r.pos;
    const bodyEnd = bodyStart + size;
    if (bodyEnd > end) throw new UnwalkableModule(`function body ${f} runs past the code section`);
    // the locals: a vec of (count, value type byte)
    const locals = walkReader(bytes, bodyStart, bodyEnd);
    for (let runs = locals.uleb(); runs > 0; runs--) {
      locals.skipLeb();
      locals.skip(1);
    }
    const body: number[] = Array.from(bytes.subarray(bodyStart, locals.pos));
    for (const ins of instructions(bytes, locals.pos, bodyEnd)) {
      if (ins.opcode !== twin.from) {
        for (let k = ins.at; k < ins.end; k++) body.push(bytes[k]);
        continue;
      }
      replaced++;
      body.push(...prefix, ...lastCode);
      if (lastAlign !== undefined && naturalAlignmentLog2(twin.from) !== undefined) {
        const memarg = walkReader(bytes, ins.immediates, ins.end);
        body.push(...encodeU32(Math.min(memarg.uleb(), lastAlign)));
        for (let k = memarg.pos; k < ins.end; k++) body.push(bytes[k]);
      } else {
        for (let k = ins.immediates; k < ins.end; k++) body.push(bytes[k]);
      }
    }
    content.push(...encodeU32(body.length), ...body);
    r.pos = bodyEnd;
  }
  if (r.pos !== end) throw new UnwalkableModule('the code section has bytes after its last body');
  return { content, replaced };
}

/**
 * `bytes` (a valid Wasm 2.0 module) with every `twin.from` in its function bodies replaced by
 * `twin.to`; undefined when the module has no `twin.from`. Throws UnwalkableModule when the module
 * holds what the instruction walker cannot read (a later proposal's opcode, a broken code section).
 */
export function mutate(bytes: Uint8Array, twin: Twin): Uint8Array | undefined {
  const r = rewrite(bytes, twin);
  return r.replaced === 0 ? undefined : r.bytes;
}

/** How many times `twin.from` occurs in the module's function bodies. */
export function occurrences(bytes: Uint8Array, twin: Twin): number {
  return rewrite(bytes, twin).replaced;
}

function rewrite(bytes: Uint8Array, twin: Twin): { bytes: Uint8Array; replaced: number } {
  const out: number[] = Array.from(bytes.subarray(0, HEADER_SIZE));
  let replaced = 0;
  const r = walkReader(bytes, HEADER_SIZE);
  while (!r.atEnd) {
    const { id, start, contentStart, end } = r.sectionHeader();
    if (end > bytes.length) throw new UnwalkableModule(`section ${id} at ${start} runs past the module`);
    if (id === CODE_SECTION) {
      const code = rewriteCode(bytes, contentStart, end, twin);
      replaced += code.replaced;
      out.push(id, ...encodeU32(code.content.length), ...code.content);
    } else {
      for (let k = start; k < end; k++) out.push(bytes[k]);
    }
    r.pos = end;
  }
  return { bytes: Uint8Array.from(out), replaced };
}
