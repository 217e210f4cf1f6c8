// A generated wasm module that calls an instance's exports without letting JS touch the values:
// floats enter as integer bits and are reinterpreted inside wasm, v128 enters as two i64 halves,
// and numeric results are stored to the wrapper's memory, from which JS reads the exact bytes.
import { ExportInfo, FuncType, GlobalType } from '../wasm/module-info.js';
import { HEADER, name, s64, section, u32, valType, vec } from '../wasm/writer.js';
import { ValType } from '../../wast/values.js';

const OP = {
  localGet: 0x20,
  localSet: 0x21,
  globalGet: 0x23,
  call: 0x10,
  i32Const: 0x41,
  end: 0x0b,
  f32ReinterpretI32: 0xbe,
  f64ReinterpretI64: 0xbf,
  simd: 0xfd,
};

const STORE: Record<string, number[]> = {
  i32: [0x36, 2, 0],
  i64: [0x37, 3, 0],
  f32: [0x38, 2, 0],
  f64: [0x39, 3, 0],
  v128: [OP.simd, ...u32(11), 4, 0],
};

/** The type a value has on the JS side of the wrapper. */
function carrier(t: ValType): ValType[] {
  if (t === 'f32') return ['i32'];
  if (t === 'f64') return ['i64'];
  if (t === 'v128') return ['i64', 'i64'];
  return [t];
}

const isNumeric = (t: ValType) => typeof t === 'string';

export interface WrapperPlan {
  /** Export name in the wrapper, per export name of the instance. */
  calls: Map<string, { wrapperName: string; type: FuncType }>;
  getters: Map<string, { wrapperName: string; type: GlobalType }>;
  /** Exports that cannot be wrapped, with the reason. */
  unwrappable: Map<string, string>;
  bytes: Uint8Array;
}

function funcTypeBytes(params: ValType[], results: ValType[]): number[] {
  return [0x60, ...vec(params.map(valType)), ...vec(results.map(valType))];
}

export function buildWrapper(exports: ExportInfo[]): WrapperPlan {
  const types: number[][] = [];
  const imports: number[][] = [];
  const funcs: number[][] = [];
  const codes: number[][] = [];
  const exportEntries: number[][] = [];
  const plan: WrapperPlan = { calls: new Map(), getters: new Map(), unwrappable: new Map(), bytes: new Uint8Array() };

  // Imports come first in the index spaces; wrapper functions follow.
  const wrappers: { kind: 'call'; importIndex: number; type: FuncType; name: string }[] = [];
  const getters: { globalIndex: number; type: GlobalType; name: string }[] = [];
  let funcImports = 0;
  let globalImports = 0;
  for (const e of exports) {
    try {
      if (e.kind === 'func') {
        types.push(funcTypeBytes(e.type.params, e.type.results));
        imports.push([...name('f'), ...name(e.name), 0x00, ...u32(types.length - 1)]);
        wrappers.push({ kind: 'call', importIndex: funcImports++, type: e.type, name: e.name });
      } else if (e.kind === 'global') {
        imports.push([...name('g'), ...name(e.name), 0x03, ...valType(e.type.type), e.type.mutable ? 1 : 0]);
        getters.push({ globalIndex: globalImports++, type: e.type, name: e.name });
      }
    } catch (err) {
      plan.unwrappable.set(e.name, (err as Error).message);
    }
  }

  let exportCount = 0;
  const addFunc = (params: ValType[], results: ValType[], locals: ValType[], body: number[], exportAs: string) => {
    types.push(funcTypeBytes(params, results));
    funcs.push(u32(types.length - 1));
    const localDecls = vec(locals.map((t) => [...u32(1), ...valType(t)]));
    const code = [...localDecls, ...body, OP.end];
    codes.push([...u32(code.length), ...code]);
    exportEntries.push([...name(exportAs), 0x00, ...u32(funcImports + funcs.length - 1)]);
  };

  /** Stores the values held in locals [first, first+n) to memory slots, returns the refs. */
  const emitResults = (results: ValType[], firstLocal: number): number[] => {
    const body: number[] = [];
    results.forEach((t, k) => {
      if (!isNumeric(t)) return;
      body.push(OP.i32Const, ...s64(BigInt(16 * k)));
      body.push(OP.localGet, ...u32(firstLocal + k), ...STORE[t as string]);
    });
    results.forEach((t, k) => {
      if (!isNumeric(t)) body.push(OP.localGet, ...u32(firstLocal + k));
    });
    return body;
  };

  for (const w of wrappers) {
    const params = w.type.params.flatMap(carrier);
    const body: number[] = [];
    let local = 0;
    for (const t of w.type.params) {
      if (t === 'v128') {
        body.push(OP.simd, ...u32(12), ...new Array(16).fill(0));
        body.push(OP.localGet, ...u32(local++), OP.simd, ...u32(0x1e), 0);
        body.push(OP.localGet, ...u32(local++), OP.simd, ...u32(0x1e), 1);
        continue;
      }
      body.push(OP.localGet, ...u32(local++));
      if (t === 'f32') body.push(OP.f32ReinterpretI32);
      if (t === 'f64') body.push(OP.f64ReinterpretI64);
    }
    body.push(OP.call, ...u32(w.importIndex));
    const results = w.type.results;
    for (let k = results.length - 1; k >= 0; k--) body.push(OP.localSet, ...u32(local + k));
    body.push(...emitResults(results, local));
    const wrapperName = `call${exportCount++}`;
    addFunc(params, results.filter((t) => !isNumeric(t)), results, body, wrapperName);
    plan.calls.set(w.name, { wrapperName, type: w.type });
  }

  for (const g of getters) {
    const t = g.type.type;
    const body = [OP.globalGet, ...u32(g.globalIndex), OP.localSet, 0, ...emitResults([t], 0)];
    const wrapperName = `get${exportCount++}`;
    addFunc([], isNumeric(t) ? [] : [t], [t], body, wrapperName);
    plan.getters.set(g.name, { wrapperName, type: g.type });
  }

  exportEntries.push([...name('mem'), 0x02, 0]);
  const maxResults = Math.max(1, ...wrappers.map((w) => w.type.results.length));
  const pages = Math.ceil((16 * maxResults) / 65536);
  plan.bytes = Uint8Array.from([
    ...HEADER,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(5, [[0x00, ...u32(pages)]]),
    ...section(7, exportEntries),
    ...section(10, codes),
  ]);
  return plan;
}

