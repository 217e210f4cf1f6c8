// Engines by name, for the CLI and for worker processes: `v8` the reference (V8 14, see node-runtime.ts),
// `v8-node` the V8 of the Node that runs mitey, `jit` our own; through the engine protocol, `spidermonkey`,
// `jsc` and any `cmd:<command line>` (protocol-engines.ts).
import { JitEngine } from '../jit/engine.js';
import { Engine } from '../wast/engine.js';
import { referenceRuntime } from './node-runtime.js';
import { ProtocolEngineOptions } from './protocol/protocol-engine.js';
import { createProtocolEngine, SHELL_ENGINES } from './protocol-engines.js';
import { V8Engine } from './v8.js';

/** The engines in this process. */
export const ENGINE_NAMES = ['v8', 'v8-node', 'jit'] as const;
/** Every engine with a name of its own (`cmd:…` names any other). */
export const ALL_ENGINE_NAMES: readonly string[] = [...ENGINE_NAMES, ...SHELL_ENGINES.map((e) => e.name)];

export class UnknownEngineError extends Error {}

/**
 * The engine of that name in this process; `v8Flags`: the V8 flags this process was started with; `protocol`: how a
 * protocol engine's driver dying is heard of.
 */
export function createEngine(name: string, v8Flags: readonly string[] = [], protocol: ProtocolEngineOptions = {}): Engine {
  if (name === 'v8') {
    const rt = referenceRuntime();
    // Outside a reference worker (fuzzing, tests) the running V8 answers, and says it is not the reference.
    const standIn = rt.standIn ?? (rt.here ? undefined : `V8 14 (${rt.execPath}) runs in worker processes only`);
    return new V8Engine('v8', v8Flags, standIn);
  }
  if (name === 'v8-node') return new V8Engine('v8-node', v8Flags);
  if (name === 'jit') return new JitEngine();
  const viaProtocol = createProtocolEngine(name, protocol);
  if (viaProtocol) return viaProtocol;
  throw new UnknownEngineError(`unknown engine "${name}" (known: ${ALL_ENGINE_NAMES.join(', ')}, or cmd:<command line>)`);
}
