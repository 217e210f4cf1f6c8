// A mutant engine: V8 running every module rewritten by one twin (twins.ts), a deliberately broken
// engine for proving that the differential fuzzer finds and shrinks a wrong instruction. Usable
// wherever an Engine is.
import { Engine, EngineInstance, EngineModule, ImportResolver } from '../../wast/engine.js';
import { V8Engine } from '../../engines/v8.js';
import { mutate, occurrences } from './rewrite.js';
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
    private readonly v8: V8Engine = new V8Engine(),
  ) {
    this.name = `v8-mutant:${twin.name}`;
    this.version = `${v8.version}, ${twin.name}`;
    this.features = v8.features;
  }

  /**
   * The bytes V8 will compile: the rewritten module, or the module as it is when it holds no
   * `from`, is invalid (a rewrite could make it valid: an alignment clamped, say), or cannot be
   * walked (an opcode beyond Wasm 2.0); in those cases the mutant answers exactly as V8 does.
   */
  rewritten(bytes: Uint8Array): Uint8Array {
    if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) return bytes;
    try {
      return mutate(bytes, this.twin) ?? bytes;
    } catch (err) {
      if (err instanceof UnwalkableModule) return bytes;
      throw err;
    }
  }

  /** Whether the twin changes this module. */
  applies(bytes: Uint8Array): boolean {
    try {
      return WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>) && occurrences(bytes, this.twin) > 0;
    } catch (err) {
      if (err instanceof UnwalkableModule) return false;
      throw err;
    }
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
