// A fuzz case: a generated module, its bytes, and a call to every exported function with generated
// arguments (in order: later calls see the state earlier ones left).
import fc from 'fast-check';
import { Value } from '../core/values.js';
import { readModuleInfo } from '../core/wasm/module-info.js';
import { constArb, GenOptions, moduleArb } from './gen/arbitraries.js';
import { Const, Module, nodes, ValType } from './gen/ast.js';
import { encodeModule } from './gen/encode.js';
import { Call } from './oracle.js';

export interface FuzzCase {
  module?: Module; // absent for a case read back from a crashed worker (bytes and calls only)
  bytes: Uint8Array;
  calls: Call[];
}

function toValue(c: Const): Value {
  switch (c.type) {
    case 'i32':
      return { type: 'i32', bits: c.bits >>> 0 };
    case 'i64':
      return { type: 'i64', bits: BigInt.asUintN(64, c.bits) };
    case 'f32':
      return { type: 'f32', bits: c.bits >>> 0 };
    case 'f64':
      return { type: 'f64', bits: c.bits };
    case 'v128':
      return { type: 'v128', bytes: Uint8Array.from({ length: 16 }, (_, k) => c.bytes[k] ?? 0) };
  }
}

export function caseArb(opts: GenOptions = {}): fc.Arbitrary<FuzzCase> {
  return moduleArb(opts).chain((module) => {
    const bytes = encodeModule(module);
    // memsum (the encoder's memory checksums, one per memory) goes last: after every call, it compares the memories.
    const funcs = readModuleInfo(bytes)
      .filter((e) => e.kind === 'func')
      .sort((x, y) => Number(x.name.startsWith('memsum')) - Number(y.name.startsWith('memsum')));
    const callArbs = funcs.map((f) =>
      fc.tuple(...(f.kind === 'func' ? f.type.params : []).map((t) => constArb(t as ValType).map(toValue))).map((args): Call => ({ name: f.name, args })),
    );
    return fc.tuple(...callArbs).map((calls) => ({ module, bytes, calls }));
  });
}

/** Instructions in the case's functions: the size of a reproducer. */
export function instructionCount(c: FuzzCase): number {
  return c.module ? c.module.functions.reduce((n, f) => n + [...nodes(f.body)].length, 0) : Number.NaN;
}
