// What the JIT's tests share: the text assembler, and a module's exports on the JIT from its text.
import { Assembler } from '../wast/assembler.js';
import { JitInstance, JitModule } from './api.js';

export type Fn = (...a: unknown[]) => unknown;

/** Module text to its binary: call in beforeAll (the assembler loads asynchronously). */
export async function loadWat(): Promise<(text: string) => Uint8Array> {
  const a = await Assembler.load();
  return (text) => a.assemble(text);
}

/** The exports of the module `bytes` instantiated on the JIT with these imports. */
export const jitExports = (bytes: Uint8Array, imports: Record<string, Record<string, unknown>> = {}): Record<string, Fn> =>
  new JitInstance(new JitModule(bytes), imports).exports as Record<string, Fn>;
