// wabt (npm wabt 1.0.39), with every feature it knows turned on: the assembler of the folded legacy
// `try` (see legacy-try.ts) and the disassembler of binaries for people to read.
import wabtInit from 'wabt';

// All 18 of wabt 1.0.39's feature flags; multi_memory is missing from its typings but honoured.
export const WABT_FEATURES = {
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

export const WABT_VERSION = `wabt 1.0.39 ${JSON.stringify(WABT_FEATURES)}`;

export type Wabt = Awaited<ReturnType<typeof wabtInit>>;

export const loadWabt = (): Promise<Wabt> => wabtInit();

const utf8 = new TextEncoder();

// wabt copies the file name without its end, so bytes of its heap follow it in messages
// (`br_table.wast��:1019:13`): it is given this name, and every mention is replaced by the real one.
const WABT_NAME = 'wabt-input';
const NAMED = new RegExp(`^${WABT_NAME}[^\\n]*?:(\\d+):(\\d+): `, 'gm');

/** The module's binary, or an Error whose message is wabt's, naming `filename`. */
export function wabtToBinary(wabt: Wabt, text: string, filename: string): Uint8Array {
  let module: ReturnType<Wabt['parseWat']> | undefined;
  // UTF-8 bytes in a buffer of exactly their size: wabt reads a typed array's whole backing
  // buffer, and takes a JS string's characters as single bytes.
  const source = new Uint8Array(utf8.encode(text));
  try {
    module = wabt.parseWat(WABT_NAME, source, WABT_FEATURES as Parameters<Wabt['parseWat']>[2]);
    module.resolveNames();
    const { buffer } = module.toBinary({ log: false, canonicalize_lebs: true, relocatable: false, write_debug_names: false });
    return new Uint8Array(buffer); // a copy: the result may view wabt's heap
  } catch (err) {
    throw new Error(cleanWabtMessage(err instanceof Error ? err.message : String(err), filename));
  } finally {
    module?.destroy();
  }
}

export function cleanWabtMessage(message: string, filename: string): string {
  return message
    .replace(/^(parseWat|resolveNames|toBinary) failed:\s*/, '')
    .replace(NAMED, (_, line, col) => `${filename}:${line}:${col}: `)
    .trim();
}

/** The text of a binary module, or undefined if wabt cannot read it. */
export function wabtToText(wabt: Wabt, bytes: Uint8Array): string | undefined {
  let module: ReturnType<Wabt['readWasm']> | undefined;
  try {
    module = wabt.readWasm(new Uint8Array(bytes), { readDebugNames: false, ...WABT_FEATURES } as Parameters<Wabt['readWasm']>[1]);
    return module.toText({ foldExprs: false, inlineExport: true });
  } catch {
    return undefined;
  } finally {
    module?.destroy();
  }
}
