// wasm-tools' text parser (the `wat` crate, compiled to Wasm as npm @mdn/watify): every form of the
// Wasm 3.0 text format and its proposals, GC, typed references and annotations included.
import { initSync, watify } from '@mdn/watify';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const WATIFY_VERSION = '@mdn/watify 1.1.9';

/** A text error as wasm-tools reports it: its position (1-based; columns in UTF-16 code units) and excerpt. */
export interface WatError {
  reason: string;
  line?: number;
  col?: number;
  excerpt: string[]; // the source line and the caret line under it
}

let ready = false;

/** Instantiates the parser once per process, synchronously (its Wasm is 0.8 MB). */
function init(): void {
  if (ready) return;
  const wasm = readFileSync(createRequire(import.meta.url).resolve('@mdn/watify/watify_bg.wasm'));
  initSync({ module: wasm });
  ready = true;
}

/** The module's binary, or a WatError thrown. */
export function watToBinary(text: string): Uint8Array {
  init();
  try {
    return watify(text);
  } catch (err) {
    throw parseWatError(typeof err === 'string' ? err : err instanceof Error ? err.message : String(err));
  }
}

// "reason\n     --> <anon>:3:30\n      |\n    3 | (module …)\n      |      ^"
const LOCATION = /^\s*--> .*:(\d+):(\d+)\s*$/;
const SOURCE_LINE = /^\s*\d+ \| ?(.*)$/;
const CARET_LINE = /^\s*\| ?(.*\S.*)$/;

export function parseWatError(message: string): WatError {
  const lines = message.split('\n');
  const at = lines.findIndex((l) => LOCATION.test(l));
  if (at < 0) return { reason: message.trim(), excerpt: [] };
  const [, line, col] = LOCATION.exec(lines[at])!;
  const excerpt: string[] = [];
  for (const l of lines.slice(at + 1)) {
    const m = SOURCE_LINE.exec(l) ?? CARET_LINE.exec(l);
    if (m) excerpt.push(m[1]);
  }
  return { reason: lines.slice(0, at).join(' ').trim(), line: Number(line), col: Number(col), excerpt };
}
