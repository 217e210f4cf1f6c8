// The native engine behind the Engine interface. Decoding and validation are native; execution
// comes with tier 1, so until then instantiation reports unsupported.
import { Engine, EngineError, EngineInstance, EngineModule, ImportDesc } from '../wast/engine.js';
import { loadAddon, NativeAddon } from './addon.js';

class JitModule implements EngineModule {
  constructor(
    readonly bytes: Uint8Array,
    readonly imports: ImportDesc[],
  ) {}
}

export class JitEngine implements Engine {
  readonly name = 'jit';
  readonly version = 'mitey tier 0 (decoder and validator)';
  readonly features: ReadonlySet<string> = new Set([
    'mvp', 'mutable-globals', 'sign-extension', 'saturating-conversions', 'multi-value', 'bulk-memory', 'reference-types', 'simd',
  ]);
  private readonly addon: NativeAddon = loadAddon();

  compile(bytes: Uint8Array): EngineModule {
    const r = this.addon.inspect(bytes);
    if ('error' in r) throw new EngineError(r.error.kind, `${r.error.message} (at byte 0x${r.error.offset.toString(16)})`);
    return new JitModule(bytes, r.imports);
  }

  instantiate(): EngineInstance {
    throw new EngineError('unsupported', 'the JIT does not execute code yet');
  }
}
