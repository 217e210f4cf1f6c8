// The engine configurations of the program benchmark: V8 pinned to Liftoff, V8 TurboFan only (the
// kernel benchmark's flags: every function compiled up front, so compile times are comparable with
// a JIT that compiles eagerly), and mitey's JIT installed as globalThis.WebAssembly by its register
// hook (`node --import dist/jit/register.js`), under which the programs' own glue runs unchanged.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../core/package-root.js';
import { ENGINES } from '../engines.js';

export type ProgramEngineName = 'liftoff' | 'turbofan' | 'jit';

export interface ProgramEngine {
  name: ProgramEngineName;
  label: string;
  /** node flags of the child; for the JIT, undefined when its register hook is missing. */
  nodeFlags?: string[];
  /** Why the engine cannot run (the JIT without dist/jit/register.js). */
  unavailable?: string;
  /** For V8: the tier every exported wasm function must be in after the runs. */
  tier?: 'liftoff' | 'turbofan';
}

export const ENGINE_NAMES: readonly ProgramEngineName[] = ['liftoff', 'turbofan', 'jit'];

/** The JIT's register hook, compiled; it replaces globalThis.WebAssembly with the JIT's namespace. */
export const REGISTER_PATH = join(PACKAGE_ROOT, 'dist', 'jit', 'register.js');

function v8Flags(name: 'liftoff' | 'turbofan'): string[] {
  return ENGINES.find((e) => e.name === name)!.nodeFlags;
}

export function programEngines(names: readonly string[] = [], registerPath = REGISTER_PATH): ProgramEngine[] {
  const unknown = names.filter((n) => !(ENGINE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`no engine ${unknown.map((n) => `"${n}"`).join(', ')}; the engines are ${ENGINE_NAMES.join(', ')}`);
  const all: ProgramEngine[] = [
    { name: 'liftoff', label: 'Liftoff', nodeFlags: v8Flags('liftoff'), tier: 'liftoff' },
    { name: 'turbofan', label: 'TurboFan', nodeFlags: v8Flags('turbofan'), tier: 'turbofan' },
    existsSync(registerPath)
      ? { name: 'jit', label: 'JIT', nodeFlags: ['--import', registerPath] }
      : { name: 'jit', label: 'JIT', unavailable: `not available: ${registerPath.startsWith(PACKAGE_ROOT) ? registerPath.slice(PACKAGE_ROOT.length + 1) : registerPath} missing` },
  ];
  return names.length === 0 ? all : all.filter((e) => names.includes(e.name));
}
