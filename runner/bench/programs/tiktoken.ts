// tiktoken: OpenAI's BPE tokenizer in Rust, wasm-bindgen. A run encodes `size` MiB of generated text
// (some non-ASCII words among it) with o200k_base, decodes the tokens back and checks the round
// trip, then encodes a hundred slices of it; all token ids are the output.
import { createRequire } from 'node:module';
import { proseText } from './text.js';
import type { LoadedProgram, ProgramWorkload } from './workload.js';

interface Encoding {
  encode(text: string): Uint32Array;
  decode(tokens: Uint32Array): Uint8Array;
  free(): void;
}
interface Tiktoken {
  get_encoding(name: 'o200k_base' | 'cl100k_base'): Encoding;
}

const ENCODING = 'o200k_base';
const SLICES = 100;

const texts = new Map<number, string>();

function input(size: number): string {
  let text = texts.get(size);
  if (text === undefined) {
    text = proseText(Math.round(size * (1 << 20)), 5);
    texts.set(size, text);
  }
  return text;
}

export const tiktoken: ProgramWorkload = {
  name: 'tiktoken',
  npmPackage: 'tiktoken',
  version: '1.0.22',
  origin: 'Rust (tiktoken), wasm-bindgen',
  description: `encode N MiB of generated text with ${ENCODING}, decode it, encode ${SLICES} slices`,
  sizeUnit: 'MiB',
  benchSize: 2,
  testSize: 0.05,
  // tiktoken.cjs, the package's main under Node, reads the file beside itself.
  wasmFile: () => createRequire(import.meta.url).resolve('tiktoken/tiktoken_bg.wasm'),
  async load(): Promise<LoadedProgram> {
    const tk = createRequire(import.meta.url)('tiktoken') as Tiktoken;
    const enc = tk.get_encoding(ENCODING);
    return {
      async run(size) {
        const text = input(size);
        const tokens = enc.encode(text);
        const decoded = enc.decode(tokens);
        if (new TextDecoder().decode(decoded) !== text) {
          const want = Buffer.byteLength(text);
          throw new Error(`tiktoken: decode(encode(text)) is not the text: ${tokens.length} tokens decode to ${decoded.length} bytes, the text has ${want}`);
        }
        const parts: Uint8Array[] = [new Uint8Array(tokens.buffer, tokens.byteOffset, tokens.byteLength).slice()];
        const step = Math.floor(text.length / SLICES);
        for (let i = 0; i < SLICES; i++) {
          const slice = enc.encode(text.slice(i * step + (i % 13), i * step + Math.floor(step / 2)));
          parts.push(new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength).slice());
        }
        return Buffer.concat(parts);
      },
      close: () => enc.free(),
    };
  },
};
