// Engines by name, for the CLI and for worker processes.
import { JitEngine } from '../../jit/engine.js';
import { Engine } from '../../wast/engine.js';
import { V8Engine } from './v8.js';

export const ENGINE_NAMES = ['v8', 'jit'] as const;

export class UnknownEngineError extends Error {}

export function createEngine(name: string): Engine {
  if (name === 'v8') return new V8Engine();
  if (name === 'jit') return new JitEngine();
  throw new UnknownEngineError(`unknown engine "${name}" (known: ${ENGINE_NAMES.join(', ')})`);
}
