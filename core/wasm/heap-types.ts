// The hierarchy a heap type belongs to: which values it may hold, and so how a harness can carry
// them across the JS boundary (exnref cannot cross it at all; anyref needs telling i31, struct and array apart).
import { TypeKind } from './module-info.js';

export type Hierarchy = 'func' | 'extern' | 'exn' | 'any';

const ABSTRACT: Readonly<Record<string, Hierarchy>> = {
  func: 'func',
  nofunc: 'func',
  extern: 'extern',
  noextern: 'extern',
  exn: 'exn',
  noexn: 'exn',
  any: 'any',
  eq: 'any',
  i31: 'any',
  struct: 'any',
  array: 'any',
  none: 'any',
};

/** An abstract heap type by name, or a type index (decimal) whose kind the module defines. */
export function hierarchyOf(heap: string, kinds: readonly TypeKind[]): Hierarchy {
  const abstract = ABSTRACT[heap];
  if (abstract) return abstract;
  const kind = kinds[Number(heap)];
  if (kind === undefined) throw new Error(`unknown heap type ${heap}`);
  return kind === 'func' ? 'func' : 'any';
}
