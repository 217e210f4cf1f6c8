// Every mutant: the Wasm 2.0 twins, the Wasm 3.0 swaps and the Wasm 3.0 rewrites of their own.
import { CUSTOM_TWINS } from './custom-twins.js';
import { Twin, TWINS, TWINS_3 } from './twins.js';

/** The Wasm 3.0 mutants: swaps (twins.ts) and rewrites (custom-twins.ts). */
export const NEW_TWINS: readonly Twin[] = [...TWINS_3, ...CUSTOM_TWINS];

export const ALL_TWINS: readonly Twin[] = [...TWINS, ...NEW_TWINS];

export function twinNamed(name: string): Twin | undefined {
  return ALL_TWINS.find((t) => t.name === name);
}
