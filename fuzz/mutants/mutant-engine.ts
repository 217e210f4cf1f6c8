// A mutant engine: V8 running every module rewritten by one twin (twins.ts), a deliberately broken
// engine for proving that the differential fuzzer finds and shrinks a wrong instruction. Usable
// wherever an Engine is. Another engine can run the rewritten modules instead (tests use the JIT,
// which has Wasm 3.0 where the running Node's V8 may not), with its own validator.
import { Engine, EngineInstance, EngineModule, ImportResolver } from '../../wast/engine.js';
import { V8Engine } from '../../engines/v8.js';
import { mutate } from './rewrite.js';
import { UnwalkableModule } from './instructions.js';
import { Twin, TWINS } from './twins.js';

export class MutantEngine implements Engine {
  readonly name: string;
  readonly version: string;
  readonly features: ReadonlySet<string>;
  /** How many compiled modules the twin actually changed (the others ran as plain V8). */
  mutatedModules = 0;

  constructor(
    readonly twin: Twin,
    private readonly v8: Engine = new V8Engine(),
    /** whether the engine takes a module (default: this process's V8, WebAssembly.validate) */
    private readonly validate: (bytes: Uint8Array) => boolean = (bytes) => WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>),
  ) {
    this.name = `${v8.name === 'v8' ? 'v8' : v8.name}-mutant:${twin.name}`;
    this.version = `${v8.version}, ${twin.name}`;
    this.features = v8.features;
  }

  /**
   * The bytes V8 will compile: the rewritten module, or the module as it is when it holds no
   * `from`, is invalid (a rewrite could make it valid: an alignment clamped, say), cannot be walked
   * (an opcode of a feature the walker does not read), or would be invalid rewritten (a memory index
   * swapped between memories of different address types); in those cases the mutant answers
   * exactly as V8 does.
   */
  rewritten(bytes: Uint8Array): Uint8Array {
    // the last answer kept: the fuzzer asks `applies`, then compiles the same bytes
    if (this.last?.bytes === bytes) return this.last.out;
    const out = this.rewrite(bytes);
    this.last = { bytes, out };
    return out;
  }

  private last?: { bytes: Uint8Array; out: Uint8Array };

  private rewrite(bytes: Uint8Array): Uint8Array {
    if (!this.validate(bytes)) return bytes;
    try {
      const mutated = mutate(bytes, this.twin);
      return mutated && this.validate(mutated) ? mutated : bytes;
    } catch (err) {
      if (err instanceof UnwalkableModule) return bytes;
      throw err;
    }
  }

  /** Whether the twin changes this module. */
  applies(bytes: Uint8Array): boolean {
    return this.rewritten(bytes) !== bytes;
  }

  compile(bytes: Uint8Array): EngineModule {
    const mutated = this.rewritten(bytes);
    if (mutated !== bytes) this.mutatedModules++;
    return this.v8.compile(mutated);
  }

  instantiate(module: EngineModule, resolve: ImportResolver): EngineInstance {
    return this.v8.instantiate(module, resolve);
  }
}

/** One mutant engine per twin, each over its own V8Engine. */
export function mutantEngines(twins: readonly Twin[] = TWINS): MutantEngine[] {
  return twins.map((t) => new MutantEngine(t));
}
