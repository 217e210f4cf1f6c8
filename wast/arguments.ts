// An invoke's arguments must have the types of the function's parameters. Engines differ in what
// they would let through (a JS number fits an i32 and an f32 parameter alike), so every engine
// checks the same way before calling: a wrong script fails everywhere, never passes on one engine.
import { EngineError } from './engine.js';
import { typeName, Value, ValType } from '../core/values.js';

function fits(v: Value, t: ValType): boolean {
  if (typeof t === 'string') return v.type === t;
  if (v.type !== 'ref') return false;
  const r = v.ref;
  switch (r.kind) {
    case 'null':
      return t.nullable;
    case 'func':
      return t.heap === 'func' || /^\d+$/.test(t.heap); // a concrete type index may be a function type
    case 'extern':
      return t.heap === 'extern';
    case 'host':
      return t.heap === 'any' || t.heap === 'extern';
    case 'opaque':
      return t.heap !== 'func' && t.heap !== 'extern';
  }
}

function describe(v: Value): string {
  if (v.type !== 'ref') return `an ${v.type}`;
  return v.ref.kind === 'null' ? 'a null reference' : v.ref.kind === 'func' ? 'a funcref' : `a ref.${v.ref.kind}`;
}

/** Throws EngineError('host') naming the first argument that does not fit its parameter. */
export function checkArguments(name: string, params: readonly ValType[], args: readonly Value[]): void {
  if (args.length !== params.length) throw new EngineError('host', `"${name}" takes ${params.length} arguments, got ${args.length}`);
  args.forEach((a, i) => {
    if (!fits(a, params[i])) throw new EngineError('host', `argument ${i + 1} of "${name}": ${describe(a)} for a ${typeName(params[i])} parameter`);
  });
}
