// A generated wasm module that calls an instance's exports without letting JS touch the values:
// floats enter as integer bits and are reinterpreted inside wasm, v128 enters as two i64 halves,
// and numeric results are stored to the wrapper's memory, from which JS reads the exact bytes.
// References of every heap type cross too: the wrapper defines the instance's own types at the
// same indices (its type section comes first, copied), so concrete types such as (ref $t) and
// subtyped function types match exactly; what a reference is (null, i31, struct, array) is found
// inside wasm and stored beside the numbers, and exnref, which JS cannot hold, never leaves wasm.
import { FuncType, GlobalType, ModuleLayout } from '../core/wasm/module-info.js';
import { Hierarchy, hierarchyOf } from '../core/wasm/heap-types.js';
import { HEADER, heapType, name, s64, u32, valType, vec } from '../core/wasm/writer.js';
import { ValType } from '../core/values.js';

const OP = {
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  call: 0x10,
  localGet: 0x20,
  localSet: 0x21,
  globalGet: 0x23,
  i32Store: 0x36,
  i32Const: 0x41,
  i32Eqz: 0x45,
  f32ReinterpretI32: 0xbe,
  f64ReinterpretI64: 0xbf,
  refNull: 0xd0,
  refIsNull: 0xd1,
  gc: 0xfb,
  refTest: 20, // ref.test (ref ht), after the GC prefix
  simd: 0xfd,
};
const I32 = 0x7f;

const STORE: Record<string, number[]> = {
  i32: [0x36, 2, 0],
  i64: [0x37, 3, 0],
  f32: [0x38, 2, 0],
  f64: [0x39, 3, 0],
  v128: [OP.simd, ...u32(11), 4, 0],
};

/** What a reference of the any hierarchy is, as the wrapper stores it in the result's slot. */
export const ANY_KIND = { null: 0, i31: 1, struct: 2, array: 3, other: 4 } as const;
/** An exnref's slot: whether it is null (it cannot be returned to JS). */
export const EXN_KIND = { null: 0, nonNull: 1 } as const;

const ANY_TESTS: [number, number][] = [
  [0x6c, ANY_KIND.i31],
  [0x6b, ANY_KIND.struct],
  [0x6a, ANY_KIND.array],
];

/** The type a value has on the JS side of the wrapper: none for an exnref, which is passed as null inside. */
function carrier(t: ValType, h: Hierarchy | undefined): ValType[] {
  if (t === 'f32') return ['i32'];
  if (t === 'f64') return ['i64'];
  if (t === 'v128') return ['i64', 'i64'];
  if (h === 'exn') return [];
  return [t];
}

const isNumeric = (t: ValType) => typeof t === 'string';

/** A result as the wrapper hands it over: numbers in memory, references returned, kinds in memory. */
export interface ResultCrossing {
  type: ValType;
  hierarchy?: Hierarchy; // references only
}

/** Whether a result comes back as a JS value (the wrapper's return), besides what memory holds. */
export function returnedToJs(r: ResultCrossing): boolean {
  return r.hierarchy !== undefined && r.hierarchy !== 'exn';
}

export interface WrappedCall {
  wrapperName: string;
  type: FuncType;
  params: (Hierarchy | undefined)[];
  results: ResultCrossing[];
}

export interface WrappedGetter {
  wrapperName: string;
  type: GlobalType;
  result: ResultCrossing;
}

export interface WrapperPlan {
  /** Export name in the wrapper, per export name of the instance. */
  calls: Map<string, WrappedCall>;
  getters: Map<string, WrappedGetter>;
  /** Exports that cannot be wrapped, with the reason. */
  unwrappable: Map<string, string>;
  bytes: Uint8Array;
}

function funcTypeBytes(params: ValType[], results: ValType[]): number[] {
  return [0x60, ...vec(params.map(valType)), ...vec(results.map(valType))];
}

export function buildWrapper(layout: ModuleLayout): WrapperPlan {
  const { kinds } = layout.types;
  const ownTypes: number[][] = [];
  const imports: number[][] = [];
  const funcs: number[][] = [];
  const codes: number[][] = [];
  const exportEntries: number[][] = [];
  const plan: WrapperPlan = { calls: new Map(), getters: new Map(), unwrappable: new Map(), bytes: new Uint8Array() };
  const hierarchy = (t: ValType) => (isNumeric(t) ? undefined : hierarchyOf((t as { heap: string }).heap, kinds));
  const crossing = (t: ValType): ResultCrossing => ({ type: t, ...(!isNumeric(t) && { hierarchy: hierarchy(t) }) });

  // Imports come first in the index spaces; wrapper functions follow.
  const wrappers: { importIndex: number; call: Omit<WrappedCall, 'wrapperName'>; name: string }[] = [];
  const getters: { globalIndex: number; type: GlobalType; result: ResultCrossing; name: string }[] = [];
  let funcImports = 0;
  let globalImports = 0;
  for (const e of layout.exports) {
    try {
      if (e.kind === 'func') {
        const params = e.type.params.map(hierarchy);
        const exnParam = e.type.params.find((t, i) => params[i] === 'exn' && !(t as { nullable: boolean }).nullable);
        if (exnParam) throw new Error('a non-null exnref parameter cannot be given from a script');
        const call = { type: e.type, params, results: e.type.results.map(crossing) };
        // The instance's own function type, at its own index: the import matches exactly.
        imports.push([...name('f'), ...name(e.name), 0x00, ...u32(e.typeIndex)]);
        wrappers.push({ importIndex: funcImports++, call, name: e.name });
      } else if (e.kind === 'global') {
        const result = crossing(e.type.type);
        imports.push([...name('g'), ...name(e.name), 0x03, ...valType(e.type.type), e.type.mutable ? 1 : 0]);
        getters.push({ globalIndex: globalImports++, type: e.type, result, name: e.name });
      }
    } catch (err) {
      plan.unwrappable.set(e.name, (err as Error).message);
    }
  }

  let exportCount = 0;
  const addFunc = (params: ValType[], results: ValType[], locals: ValType[], body: number[], exportAs: string) => {
    ownTypes.push(funcTypeBytes(params, results));
    funcs.push(u32(kinds.length + ownTypes.length - 1));
    const localDecls = vec(locals.map((t) => [...u32(1), ...valType(t)]));
    const code = [...localDecls, ...body, OP.end];
    codes.push([...u32(code.length), ...code]);
    exportEntries.push([...name(exportAs), 0x00, ...u32(funcImports + funcs.length - 1)]);
  };

  /** Stores the values held in locals [first, first+n) to memory slots, then pushes those JS receives. */
  const emitResults = (results: ResultCrossing[], firstLocal: number): number[] => {
    const body: number[] = [];
    results.forEach((r, k) => {
      const local = u32(firstLocal + k);
      const slot = [OP.i32Const, ...s64(BigInt(16 * k))];
      if (isNumeric(r.type)) body.push(...slot, OP.localGet, ...local, ...STORE[r.type as string]);
      else if (r.hierarchy === 'exn') body.push(...slot, OP.localGet, ...local, OP.refIsNull, OP.i32Eqz, ...STORE.i32);
      else if (r.hierarchy === 'any') body.push(...slot, ...anyKind(local), ...STORE.i32);
    });
    results.forEach((r, k) => {
      if (returnedToJs(r)) body.push(OP.localGet, ...u32(firstLocal + k));
    });
    return body;
  };

  for (const w of wrappers) {
    const { type, params: hierarchies, results } = w.call;
    const params = type.params.flatMap((t, i) => carrier(t, hierarchies[i]));
    const body: number[] = [];
    let local = 0;
    type.params.forEach((t, i) => {
      if (t === 'v128') {
        body.push(OP.simd, ...u32(12), ...new Array(16).fill(0));
        body.push(OP.localGet, ...u32(local++), OP.simd, ...u32(0x1e), 0);
        body.push(OP.localGet, ...u32(local++), OP.simd, ...u32(0x1e), 1);
        return;
      }
      if (hierarchies[i] === 'exn') {
        body.push(OP.refNull, ...heapType((t as { heap: string }).heap));
        return;
      }
      body.push(OP.localGet, ...u32(local++));
      if (t === 'f32') body.push(OP.f32ReinterpretI32);
      if (t === 'f64') body.push(OP.f64ReinterpretI64);
    });
    body.push(OP.call, ...u32(w.importIndex));
    for (let k = results.length - 1; k >= 0; k--) body.push(OP.localSet, ...u32(local + k));
    body.push(...emitResults(results, local));
    const wrapperName = `call${exportCount++}`;
    addFunc(params, results.filter(returnedToJs).map((r) => r.type), type.results, body, wrapperName);
    plan.calls.set(w.name, { wrapperName, ...w.call });
  }

  for (const g of getters) {
    const t = g.type.type;
    const body = [OP.globalGet, ...u32(g.globalIndex), OP.localSet, 0, ...emitResults([g.result], 0)];
    const wrapperName = `get${exportCount++}`;
    addFunc([], returnedToJs(g.result) ? [t] : [], [t], body, wrapperName);
    plan.getters.set(g.name, { wrapperName, type: g.type, result: g.result });
  }

  exportEntries.push([...name('mem'), 0x02, 0]);
  const maxResults = Math.max(1, ...wrappers.map((w) => w.call.results.length));
  const pages = Math.ceil((16 * maxResults) / 65536);
  // The instance's type section first, as it is (its types keep their indices), then the wrapper's own.
  const typeBody = [...u32(layout.types.groups + ownTypes.length), ...layout.types.body, ...ownTypes.flat()];
  plan.bytes = Uint8Array.from([
    ...HEADER,
    ...sectionBytes(1, typeBody),
    ...sectionBytes(2, vec(imports)),
    ...sectionBytes(3, vec(funcs)),
    ...sectionBytes(5, vec([[0x00, ...u32(pages)]])),
    ...sectionBytes(7, vec(exportEntries)),
    ...sectionBytes(10, vec(codes)),
  ]);
  return plan;
}

function sectionBytes(id: number, body: number[]): number[] {
  return [id, ...u32(body.length), ...body];
}

/** An anyref in a local to its ANY_KIND: null, else the first of i31, struct, array it is, else other (a host value). */
function anyKind(local: number[]): number[] {
  const test = ([ht, kind]: [number, number], otherwise: number[]): number[] => [
    OP.localGet, ...local, OP.gc, OP.refTest, ht,
    OP.if, I32, OP.i32Const, kind, OP.else, ...otherwise, OP.end,
  ];
  const tests = ANY_TESTS.reduceRight<number[]>((otherwise, t) => test(t, otherwise), [OP.i32Const, ANY_KIND.other]);
  return [OP.localGet, ...local, OP.refIsNull, OP.if, I32, OP.i32Const, ANY_KIND.null, OP.else, ...tests, OP.end];
}
