// Text modules to binary through wabt (npm), with every feature it knows turned on.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import wabtInit from 'wabt';

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
    private readonly cacheDir: string | undefined,
  ) {}

  /**
   * With a cache folder, each result (binary or error) is kept under the hash of its input, so a
   * warm run assembles nothing: engine authors rerun the same suite all day.
   */
  static async load(options: { cacheDir?: string } = {}): Promise<Assembler> {
    return new Assembler(await wabtInit(), options.cacheDir);
  }

  /** Assembles one module's text. */
  assemble(text: string, filename = 'module.wat'): Uint8Array {
    if (!this.cacheDir) return this.assembleNow(text, filename);
    const key = createHash('sha256').update(CACHE_VERSION).update(filename).update('\0').update(text).digest('hex');
    const path = join(this.cacheDir, key.slice(0, 2), key);
    const cached = readCached(path);
    if (cached) {
      if (cached[0] === 0) return cached.subarray(1);
      throw new AssemblerError(new TextDecoder().decode(cached.subarray(1)));
    }
    try {
      const bytes = this.assembleNow(text, filename);
      writeCached(path, Uint8Array.from([0, ...bytes]));
      return bytes;
    } catch (err) {
      if (err instanceof AssemblerError) writeCached(path, Uint8Array.from([1, ...utf8.encode(err.message)]));
      throw err;
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

function readCached(path: string): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(path));
  } catch {
    return undefined;
  }
}

/** Written to a temporary name, then renamed: workers sharing the cache never read half a file. */
function writeCached(path: string, bytes: Uint8Array): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch {
    // A cache that cannot be written only costs time.
  }
}

function cleanMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/^parseWat failed:\s*/, '').replace(/^resolveNames failed:\s*/, '').trim();
}
