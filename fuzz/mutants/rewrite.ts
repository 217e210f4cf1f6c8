// Applies a twin (twins.ts) to a module: every occurrence of `from` in the code section becomes `to`,
// with memarg alignments clamped to the new natural alignment and every body size and the code
// section size re-encoded. Only the code section changes; all other sections are copied as they are.
import { encodeU32, instructions, naturalAlignmentLog2, readU32, UnwalkableModule } from './instructions.js';
import { Opcode, Twin } from './twins.js';

const CODE_SECTION = 10;
const HEADER_SIZE = 8;

function encodeOpcode(op: Opcode): number[] {
  return op > 0xff ? [op >> 8, ...encodeU32(op & 0xff)] : [op];
}

/** The code section's content with the twin applied, and how many instructions it replaced. */
function rewriteCode(bytes: Uint8Array, start: number, end: number, twin: Twin): { content: number[]; replaced: number } {
  const count = readU32(bytes, start, end);
  const content: number[] = [...encodeU32(count.value)];
  let replaced = 0;
  let at = start + count.length;
  const last = twin.to[twin.to.length - 1];
  const prefix = twin.to.slice(0, -1).flatMap(encodeOpcode);
  const lastCode = encodeOpcode(last);
  const lastAlign = naturalAlignmentLog2(last);
  for (let f = 0; f < count.value; f++) {
    const size = readU32(bytes, at, end);
    const bodyStart = at + size.length;
    const bodyEnd = bodyStart + size.value;
    if (bodyEnd > end) throw new UnwalkableModule(`function body ${f} runs past the code section`);
    // the locals: a vec of (count, value type byte)
    const runs = readU32(bytes, bodyStart, bodyEnd);
    let p = bodyStart + runs.length;
    for (let r = 0; r < runs.value; r++) p += readU32(bytes, p, bodyEnd).length + 1;
    if (p > bodyEnd) throw new UnwalkableModule(`the locals of function body ${f} run past it`);
    const body: number[] = Array.from(bytes.subarray(bodyStart, p));
    for (const ins of instructions(bytes, p, bodyEnd)) {
      if (ins.opcode !== twin.from) {
        for (let k = ins.at; k < ins.end; k++) body.push(bytes[k]);
        continue;
      }
      replaced++;
      body.push(...prefix, ...lastCode);
      if (lastAlign !== undefined && naturalAlignmentLog2(twin.from) !== undefined) {
        const align = readU32(bytes, ins.immediates, ins.end);
        body.push(...encodeU32(Math.min(align.value, lastAlign)));
        for (let k = ins.immediates + align.length; k < ins.end; k++) body.push(bytes[k]);
      } else {
        for (let k = ins.immediates; k < ins.end; k++) body.push(bytes[k]);
      }
    }
    content.push(...encodeU32(body.length), ...body);
    at = bodyEnd;
  }
  if (at !== end) throw new UnwalkableModule('the code section has bytes after its last body');
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
  let at = HEADER_SIZE;
  while (at < bytes.length) {
    const id = bytes[at];
    const size = readU32(bytes, at + 1);
    const start = at + 1 + size.length;
    const end = start + size.value;
    if (end > bytes.length) throw new UnwalkableModule(`section ${id} at ${at} runs past the module`);
    if (id === CODE_SECTION) {
      const code = rewriteCode(bytes, start, end, twin);
      replaced += code.replaced;
      out.push(id, ...encodeU32(code.content.length), ...code.content);
    } else {
      for (let k = at; k < end; k++) out.push(bytes[k]);
    }
    at = end;
  }
  return { bytes: Uint8Array.from(out), replaced };
}
