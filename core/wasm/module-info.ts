// Reads from a (valid) binary module what a harness needs to call it: the types of its exported
// functions and globals. Not a validator: the engine has already accepted the module.
import { RefType, ValType } from '../values.js';
import { HEADER_SIZE, Reader } from './reader.js';
import { ABSTRACT_HEAP_CODES, EXACT, namesByCode, NUMERIC_TYPE_CODES, REF, REF_NULL } from './value-types.js';

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface GlobalType {
  type: ValType;
  mutable: boolean;
}

export type ExportInfo =
  | { name: string; kind: 'func'; type: FuncType; typeIndex: number }
  | { name: string; kind: 'global'; type: GlobalType }
  | { name: string; kind: 'table' | 'memory' | 'tag' };

/** What each defined type is: a concrete heap type's hierarchy follows from it. */
export type TypeKind = 'func' | 'struct' | 'array';

/**
 * The module's type section as it stands, so that another module (the V8 wrapper) can define the
 * very same types at the very same indices: recursion groups are canonical across modules.
 */
export interface TypeSection {
  groups: number; // entries of the section (a rec group counts once)
  body: Uint8Array; // the entries' bytes, after the count
  kinds: TypeKind[]; // per type index
}

/** An import's names and kind, as the binary has them (for engines whose JS API cannot list some imports). */
export interface ImportInfo {
  module: string;
  name: string;
  kind: 'func' | 'table' | 'memory' | 'global' | 'tag';
}

export interface ModuleLayout {
  imports: ImportInfo[];
  exports: ExportInfo[];
  types: TypeSection;
}

export class ModuleInfoError extends Error {}

const NUMERIC_TYPES = namesByCode(NUMERIC_TYPE_CODES);
const ABSTRACT_HEAPS = namesByCode(ABSTRACT_HEAP_CODES);

/** The shared reader, throwing ModuleInfoError, with the type and constant-expression forms this file reads. */
class InfoReader extends Reader {
  constructor(bytes: Uint8Array) {
    super(bytes, { error: (message) => new ModuleInfoError(message) });
  }

  /** An abstract heap type's name or a type index in decimal; `exact` says it had the exact prefix. */
  heapType(): string {
    if (this.peek() === EXACT) {
      this.pos++;
      this.exact = true;
    }
    const b = this.peek();
    if (ABSTRACT_HEAPS[b] !== undefined) {
      this.pos++;
      return ABSTRACT_HEAPS[b];
    }
    const idx = this.sleb(); // s33: a type index
    if (idx < 0) throw new ModuleInfoError(`unknown heap type ${idx}`);
    return idx.toString();
  }

  private exact = false;

  valType(): ValType {
    const b = this.u8();
    if (NUMERIC_TYPES[b] !== undefined) return NUMERIC_TYPES[b] as ValType;
    if (b === REF_NULL || b === REF) {
      this.exact = false;
      const heap = this.heapType();
      return { ref: true, nullable: b === REF_NULL, heap, ...(this.exact ? { exact: true } : {}) };
    }
    if (ABSTRACT_HEAPS[b] !== undefined) return { ref: true, nullable: true, heap: ABSTRACT_HEAPS[b] } satisfies RefType;
    throw new ModuleInfoError(`unknown value type 0x${b.toString(16)}`);
  }

  limits(): void {
    const flags = this.u8();
    const bound = () => ((flags & 4) !== 0 ? this.skipLeb() : this.uleb()); // u64 with i64 addresses, else u32
    bound();
    if (flags & 1) bound();
    if (flags & 8) this.uleb(); // custom page size
  }

  /**
   * Skips a constant expression up to its `end`. Only the constant instructions, each with its own
   * message: not opcodes.ts's table, which is for whole function bodies.
   */
  constExpr(): void {
    for (;;) {
      const op = this.u8();
      switch (op) {
        case 0x0b: return;
        case 0x41: case 0x42: this.skipLeb(); break;
        case 0x43: this.skip(4); break;
        case 0x44: this.skip(8); break;
        case 0x23: case 0xd2: this.uleb(); break;
        case 0xd0: this.heapType(); break;
        case 0x6a: case 0x6b: case 0x6c: case 0x7c: case 0x7d: case 0x7e: break;
        case 0xfd: {
          const sub = this.uleb();
          if (sub !== 12) throw new ModuleInfoError(`unexpected SIMD opcode ${sub} in constant`);
          this.skip(16);
          break;
        }
        case 0xfb: {
          const sub = this.uleb();
          if (sub === 8) { this.uleb(); this.uleb(); }
          else if ([0, 1, 6, 7, 0x20, 0x21].includes(sub)) this.uleb(); // 0x20, 0x21: struct.new(_default)_desc (custom descriptors)
          else if (![26, 27, 28].includes(sub)) throw new ModuleInfoError(`unexpected GC opcode ${sub} in constant`);
          break;
        }
        default:
          throw new ModuleInfoError(`unexpected opcode 0x${op.toString(16)} in constant`);
      }
    }
  }
}

/** Reads the exported functions' and globals' types (types with GC composite forms are kept as non-functions). */
export function readModuleInfo(bytes: Uint8Array): ExportInfo[] {
  return readModuleLayout(bytes).exports;
}

/** The exports' types, and the type section that defines the types they name. */
export function readModuleLayout(bytes: Uint8Array): ModuleLayout {
  const r = new InfoReader(bytes);
  r.skip(HEADER_SIZE);
  const types: (FuncType | undefined)[] = [];
  const kinds: TypeKind[] = [];
  let typeSection: TypeSection = { groups: 0, body: new Uint8Array(), kinds };
  const funcs: number[] = []; // type index per function index
  const imports: ImportInfo[] = [];
  const globals: GlobalType[] = [];
  const exports: ExportInfo[] = [];

  const compType = (): FuncType | undefined => {
    const form = r.u8();
    kinds.push(form === 0x60 ? 'func' : form === 0x5f ? 'struct' : 'array');
    if (form === 0x60) {
      const params = Array.from({ length: r.uleb() }, () => r.valType());
      const results = Array.from({ length: r.uleb() }, () => r.valType());
      return { params, results };
    }
    const field = () => {
      const t = r.peek();
      if (t === 0x78 || t === 0x77) r.pos++;
      else r.valType();
      r.u8();
    };
    if (form === 0x5f) for (let n = r.uleb(); n > 0; n--) field();
    else if (form === 0x5e) field();
    else throw new ModuleInfoError(`unknown type form 0x${form.toString(16)}`);
    return undefined;
  };
  const subType = (): FuncType | undefined => {
    const b = r.peek();
    if (b === 0x50 || b === 0x4f) {
      r.pos++;
      for (let n = r.uleb(); n > 0; n--) r.uleb();
    }
    // custom descriptors: (descriptor $t) and (describes $t) before the composite type
    while (r.peek() === 0x4d || r.peek() === 0x4c) {
      r.pos++;
      r.uleb();
    }
    return compType();
  };

  while (!r.atEnd) {
    const section = r.sectionHeader();
    switch (section.id) {
      case 1: {
        const groups = r.uleb();
        const from = r.pos;
        for (let n = groups; n > 0; n--) {
          if (r.peek() === 0x4e) {
            r.pos++;
            for (let m = r.uleb(); m > 0; m--) types.push(subType());
          } else {
            types.push(subType());
          }
        }
        typeSection = { groups, body: bytes.slice(from, section.end), kinds };
        break;
      }
      case 2:
        for (let n = r.uleb(); n > 0; n--) {
          const module = r.name();
          const name = r.name();
          const kind = r.u8();
          imports.push({ module, name, kind: kind === 0x20 ? 'func' : (['func', 'table', 'memory', 'global', 'tag'] as const)[kind] ?? 'func' });
          if (kind === 0 || kind === 0x20) funcs.push(r.uleb()); // 0x20: an exact function import
          else if (kind === 1) {
            r.valType();
            r.limits();
          } else if (kind === 2) r.limits();
          else if (kind === 3) globals.push({ type: r.valType(), mutable: r.u8() === 1 });
          else if (kind === 4) {
            r.u8();
            r.uleb();
          } else throw new ModuleInfoError(`unknown import kind ${kind}`);
        }
        break;
      case 3:
        for (let n = r.uleb(); n > 0; n--) funcs.push(r.uleb());
        break;
      case 6:
        for (let n = r.uleb(); n > 0; n--) {
          globals.push({ type: r.valType(), mutable: r.u8() === 1 });
          r.constExpr();
        }
        break;
      case 7:
        for (let n = r.uleb(); n > 0; n--) {
          const name = r.name();
          const kind = r.u8();
          const index = r.uleb();
          if (kind === 0) {
            const type = types[funcs[index]];
            if (!type) throw new ModuleInfoError(`export "${name}": function type not readable`);
            exports.push({ name, kind: 'func', type, typeIndex: funcs[index] });
          } else if (kind === 3) {
            exports.push({ name, kind: 'global', type: globals[index] });
          } else {
            exports.push({ name, kind: kind === 1 ? 'table' : kind === 2 ? 'memory' : 'tag' });
          }
        }
        break;
    }
    r.pos = section.end;
  }
  return { imports, exports, types: typeSection };
}
