// Text modules to binary: wasm-tools' parser (watify-assembler.ts) for every form of the current text
// format, wabt (wabt-assembler.ts) for the folded legacy `try` it does not read and for disassembly.
// Messages name the script and positions in it (the parser pads a module's text to its place).
import { AssemblyCache } from './assembly-cache.js';
import { escapeBidi } from './bidi-escape.js';
import { usesFoldedLegacyTry } from './legacy-try.js';
import { loadWabt, Wabt, WABT_VERSION, wabtToBinary, wabtToText } from './wabt-assembler.js';
import { WATIFY_VERSION, WatError, watToBinary } from './watify-assembler.js';

/** The text could not be assembled: an outcome of the assembler, not of any engine. */
export class AssemblerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssemblerError';
  }
}

export class Assembler {
  private constructor(
    private readonly wabt: Wabt,
    readonly cache: AssemblyCache | undefined,
  ) {}

  /** With a cache folder, results are kept per script between runs (see assembly-cache.ts). */
  static async load(options: { cacheDir?: string } = {}): Promise<Assembler> {
    return new Assembler(await loadWabt(), options.cacheDir ? new AssemblyCache(options.cacheDir, CACHE_VERSION) : undefined);
  }

  /** Assembles one module's text; errors read `filename:line:col: error: …`. */
  assemble(text: string, filename = 'module.wat'): Uint8Array {
    const key = this.cache?.moduleKey(filename, text);
    const cached = key ? this.cache!.get(key) : undefined;
    if (cached) {
      if (cached.ok) return cached.bytes;
      throw new AssemblerError(cached.message);
    }
    try {
      const bytes = this.assembleNow(text, filename);
      if (key) this.cache!.set(key, { ok: true, bytes });
      return bytes;
    } catch (err) {
      if (key && err instanceof AssemblerError) this.cache!.set(key, { ok: false, message: err.message });
      throw err;
    }
  }

  /** The text of a binary module (for reproducers a person reads), or undefined if wabt cannot read it. */
  disassemble(bytes: Uint8Array): string | undefined {
    return wabtToText(this.wabt, bytes);
  }

  private assembleNow(text: string, filename: string): Uint8Array {
    try {
      return watToBinary(escapeBidi(text));
    } catch (err) {
      const wat = err as WatError;
      if (!usesFoldedLegacyTry(text)) throw new AssemblerError(watMessage(wat, filename));
      try {
        return wabtToBinary(this.wabt, text, filename);
      } catch (wabtErr) {
        // wabt reads the whole of such a text, so its words are the ones that fit.
        const [first, ...rest] = (wabtErr as Error).message.split('\n');
        throw new AssemblerError([`${first} (wabt, for the folded legacy try)`, ...rest].join('\n'));
      }
    }
  }
}

function watMessage(e: WatError, filename: string): string {
  const where = e.line === undefined ? filename : `${filename}:${e.line}:${e.col}`;
  return [`${where}: error: ${e.reason}`, ...e.excerpt].join('\n');
}

// Part of every cache key: results of other assemblers, flags or rules are never reused.
const CACHE_VERSION = `${WATIFY_VERSION} + ${WABT_VERSION} (folded legacy try) + bidi escapes`;
