// The module's function types: the declared signatures first (module.types, one per function, then
// memsum's), then the type-index block types that multi-value blocks ask for while their functions are
// encoded, each signature once.
import type { StackType } from './ast.js';

export interface Signature {
  params: StackType[];
  results: StackType[];
}

const keyOf = (s: Signature): string => `${s.params.join(',')}:${s.results.join(',')}`;

export class TypeSection {
  readonly types: Signature[] = [];
  private readonly indices = new Map<string, number>();

  /** `base`: the index of the first of these types (the GC types come before them) */
  constructor(
    declared: readonly Signature[],
    readonly base = 0,
  ) {
    for (const s of declared) {
      const key = keyOf(s);
      if (!this.indices.has(key)) this.indices.set(key, this.types.length);
      this.types.push(s);
    }
  }

  /** the index of a signature: a declared one where it matches, else one added at the end */
  indexOf(s: Signature): number {
    const key = keyOf(s);
    let i = this.indices.get(key);
    if (i === undefined) {
      i = this.types.length;
      this.indices.set(key, i);
      this.types.push(s);
    }
    return this.base + i;
  }
}
