// brotli-wasm: Google's Brotli in Rust (the brotli crate), wasm-bindgen. A run compresses `size`
// MiB of generated text at quality 9, then decompresses the result four times and checks that it
// round-trips; the compressed bytes are the output.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { proseText } from './text.js';
import type { LoadedProgram, ProgramWorkload } from './workload.js';

interface Brotli {
  compress(buf: Uint8Array, options?: { quality?: number }): Uint8Array;
  decompress(buf: Uint8Array): Uint8Array;
}

const QUALITY = 9;
const DECOMPRESSIONS = 4;

const inputs = new Map<number, Uint8Array>();

/** The generated text of `size` MiB (made once per size, outside the timed runs' cost after the first). */
function input(size: number): Uint8Array {
  let bytes = inputs.get(size);
  if (!bytes) {
    bytes = new TextEncoder().encode(proseText(Math.round(size * (1 << 20)), 3));
    inputs.set(size, bytes);
  }
  return bytes;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

export const brotli: ProgramWorkload = {
  name: 'brotli',
  npmPackage: 'brotli-wasm',
  version: '3.0.1',
  origin: 'Rust (brotli crate), wasm-bindgen',
  description: `compress N MiB of generated text at quality ${QUALITY}, decompress it ${DECOMPRESSIONS} times`,
  sizeUnit: 'MiB',
  benchSize: 3,
  testSize: 0.05,
  // The package exports no path but its main, index.node.js, which loads pkg.node/brotli_wasm.js; that reads the file.
  wasmFile: () => join(dirname(createRequire(import.meta.url).resolve('brotli-wasm')), 'pkg.node', 'brotli_wasm_bg.wasm'),
  async load(): Promise<LoadedProgram> {
    const b = createRequire(import.meta.url)('brotli-wasm') as Brotli;
    return {
      async run(size) {
        const text = input(size);
        const compressed = b.compress(text, { quality: QUALITY });
        for (let i = 0; i < DECOMPRESSIONS; i++) {
          const back = b.decompress(compressed);
          if (!sameBytes(back, text)) throw new Error(`brotli: decompress(compress(text)) is not the text: ${compressed.length} compressed bytes give ${back.length}, the text has ${text.length}`);
        }
        return compressed;
      },
    };
  },
};
