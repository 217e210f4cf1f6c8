// Text modules to binary through wabt (npm), with every feature it knows turned on.
import wabtInit from 'wabt';
import { AssemblyCache } from './assembly-cache.js';

/** wabt could not assemble the text: an outcome of the assembler, not of any engine. */
export class AssemblerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssemblerError';
  }
}

// All 18 of wabt 1.0.39's feature flags; multi_memory is missing from its typings but honoured.
const FEATURES = {
  exceptions: true,
  mutable_globals: true,
  sat_float_to_int: true,
  sign_extension: true,
  simd: true,
  threads: true,
  function_references: true,
  multi_value: true,
  tail_call: true,
  bulk_memory: true,
  reference_types: true,
  annotations: true,
  code_metadata: true,
  gc: true,
  memory64: true,
  multi_memory: true,
  extended_const: true,
  relaxed_simd: true,
};

const utf8 = new TextEncoder();

type Wabt = Awaited<ReturnType<typeof wabtInit>>;

export class Assembler {
  private constructor(
    private readonly wabt: Wabt,
    readonly cache: AssemblyCache | undefined,
  ) {}

  /** With a cache folder, results are kept per script between runs (see assembly-cache.ts). */
  static async load(options: { cacheDir?: string } = {}): Promise<Assembler> {
    return new Assembler(await wabtInit(), options.cacheDir ? new AssemblyCache(options.cacheDir, CACHE_VERSION) : undefined);
  }

  /** Assembles one module's text. */
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
    let module: ReturnType<Wabt['readWasm']> | undefined;
    try {
      module = this.wabt.readWasm(new Uint8Array(bytes), { readDebugNames: false, ...FEATURES } as Parameters<Wabt['readWasm']>[1]);
      return module.toText({ foldExprs: false, inlineExport: true });
    } catch {
      return undefined;
    } finally {
      module?.destroy();
    }
  }

  private assembleNow(text: string, filename: string): Uint8Array {
    let module: ReturnType<Wabt['parseWat']> | undefined;
    // UTF-8 bytes in a buffer of exactly their size: wabt reads a typed array's whole backing
    // buffer, and takes a JS string's characters as single bytes.
    const source = new Uint8Array(utf8.encode(text));
    try {
      module = this.wabt.parseWat(filename, source, FEATURES as Parameters<Wabt['parseWat']>[2]);
      module.resolveNames();
      const { buffer } = module.toBinary({ log: false, canonicalize_lebs: true, relocatable: false, write_debug_names: false });
      return new Uint8Array(buffer); // a copy: the result may view wabt's heap
    } catch (err) {
      throw new AssemblerError(cleanMessage(err));
    } finally {
      module?.destroy();
    }
  }
}

// Part of every cache key: results of another wabt or other flags are never reused.
const CACHE_VERSION = `wabt-1.0.39 ${JSON.stringify(FEATURES)}`;

function cleanMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/^parseWat failed:\s*/, '').replace(/^resolveNames failed:\s*/, '').trim();
}
