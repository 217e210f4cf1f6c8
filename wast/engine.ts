// The Engine interface: what the script interpreter asks of any WebAssembly engine.
// Values cross it exact to the bit (see values.ts).
import { Value } from '../core/values.js';
import type { SpecVersion } from './spec-version.js';

export type ExternKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

/**
 * Why an engine refused: decoding (malformed), validation (invalid), or 'compile' for engines
 * that cannot tell the two apart (V8); linking, a trap, stack exhaustion, a wasm exception,
 * an exception thrown by the host, a feature the engine does not have, or a resource the process
 * ran out of (address space, code space): that one is never the module's fault nor "unsupported".
 */
export type EngineErrorKind =
  | 'malformed'
  | 'invalid'
  | 'compile'
  | 'unlinkable'
  | 'trap'
  | 'exhaustion'
  | 'exception'
  | 'host'
  | 'unsupported'
  | 'resource';

export class EngineError extends Error {
  constructor(
    readonly kind: EngineErrorKind,
    message: string,
    /**
     * The engine refused because of a limit of its own (a feature it lacks), not because the
     * module breaks the spec: where success was expected this is 'unsupported', but where a
     * rejection was expected the refusal still counts.
     */
    readonly featureLimit = false,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export interface ImportDesc {
  module: string;
  name: string;
  kind: ExternKind;
}

/** A compiled, not yet instantiated module. */
export interface EngineModule {
  readonly imports: readonly ImportDesc[];
  /** Frees native resources now rather than at garbage collection; the module is not used after. */
  dispose?(): void;
}

/** An export as the engine holds it; handed back to the same engine to satisfy an import. */
export type ExternValue = { readonly kind: ExternKind; readonly handle: unknown };

export interface EngineInstance {
  exportNames(): string[];
  export(name: string): ExternValue | undefined;
  /** Calls an exported function. Throws EngineError (trap, exhaustion, exception, host, unsupported). */
  invoke(name: string, args: Value[]): Value[];
  /** Reads an exported global. */
  getGlobal(name: string): Value;
  /** An exported memory's size in bytes and `length` bytes of it from `offset`, where the engine can read them. */
  readMemory?(name: string, offset: number, length: number): { size: number; bytes: Uint8Array };
  /** An exported table's size and, when `index` is below it, its element there, where the engine can read them. */
  readTable?(name: string, index: number): { size: number; element?: Value };
  /** Frees native resources now rather than at garbage collection; the instance is not used after. */
  dispose?(): void;
}

/** Resolves an import to a registered instance's export, or undefined when there is none. */
export type ImportResolver = (module: string, name: string) => ExternValue | undefined;

/** How a module is compiled: the spec version whose rules decoding and validation follow (default 3.0). */
export interface CompileOptions {
  spec?: SpecVersion;
  /**
   * The script's feature tags (from its path, core/features.ts): a proposal written against 2.0 (threads)
   * extends a 2.0 script of its own folder only, where the 2.0 suite calls the same bytes malformed.
   */
  scriptFeatures?: ReadonlySet<string>;
}

export interface Engine {
  readonly name: string;
  readonly version: string;
  /** Whose words its error messages are in (spec, v8, spidermonkey, jsc…): a message in another dialect is no failure. */
  readonly dialect?: string;
  /** Feature names (as in runner feature tags) this engine supports. */
  readonly features: ReadonlySet<string>;
  /** Decodes and validates. Throws EngineError (malformed, invalid, compile, unsupported). */
  compile(bytes: Uint8Array, options?: CompileOptions): EngineModule;
  /** Links and runs initialisation. Throws EngineError (unlinkable, trap, exhaustion, exception, unsupported). */
  instantiate(module: EngineModule, resolve: ImportResolver): EngineInstance;
}
