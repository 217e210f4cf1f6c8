// Reads from a (valid) binary module what a harness needs to call it: the types of its exported
// functions and globals. Not a validator: the engine has already accepted the module.
import { RefType, ValType } from '../../wast/values.js';

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface GlobalType {
  type: ValType;
  mutable: boolean;
}

export type ExportInfo =
  | { name: string; kind: 'func'; type: FuncType }
  | { name: string; kind: 'global'; type: GlobalType }
  | { name: string; kind: 'table' | 'memory' | 'tag' };

export class ModuleInfoError extends Error {}

const ABSTRACT_HEAPS: Record<number, string> = {
  0x70: 'func',
  0x6f: 'extern',
  0x6e: 'any',
  0x6d: 'eq',
  0x6c: 'i31',
  0x6b: 'struct',
  0x6a: 'array',
  0x69: 'exn',
  0x71: 'none',
  0x72: 'noextern',
  0x73: 'nofunc',
  0x74: 'noexn',
};

class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.bytes.length) throw new ModuleInfoError('unexpected end');
    return this.bytes[this.pos++];
  }

  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
      shift += 7;
      if (shift > 35) throw new ModuleInfoError('integer representation too long');
    }
  }

  /** Signed LEB128, returned as a bigint (up to 64 bits). */
  sleb(): bigint {
    let result = 0n;
    let shift = 0n;
    let b: number;
    do {
      b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    if (b & 0x40) result -= 1n << shift;
    return result;
  }

  skip(n: number): void {
    this.pos += n;
    if (this.pos > this.bytes.length) throw new ModuleInfoError('unexpected end');
  }

  name(): string {
    const n = this.u32();
    const s = new TextDecoder('utf-8', { ignoreBOM: true }).decode(this.bytes.subarray(this.pos, this.pos + n));
    this.skip(n);
    return s;
  }

  heapType(): string {
    const b = this.bytes[this.pos];
    if (ABSTRACT_HEAPS[b] !== undefined) {
      this.pos++;
      return ABSTRACT_HEAPS[b];
    }
    const idx = this.sleb();
    if (idx < 0n) throw new ModuleInfoError(`unknown heap type ${idx}`);
    return idx.toString();
  }

  valType(): ValType {
    const b = this.byte();
    switch (b) {
      case 0x7f: return 'i32';
      case 0x7e: return 'i64';
      case 0x7d: return 'f32';
      case 0x7c: return 'f64';
      case 0x7b: return 'v128';
      case 0x63: return { ref: true, nullable: true, heap: this.heapType() };
      case 0x64: return { ref: true, nullable: false, heap: this.heapType() };
      default:
        if (ABSTRACT_HEAPS[b] !== undefined) return { ref: true, nullable: true, heap: ABSTRACT_HEAPS[b] } satisfies RefType;
        throw new ModuleInfoError(`unknown value type 0x${b.toString(16)}`);
    }
  }

  limits(): void {
    const flags = this.byte();
    const is64 = (flags & 4) !== 0;
    const read = () => (is64 ? this.sleb() : this.u32());
    read();
    if (flags & 1) read();
    if (flags & 8) this.u32(); // custom page size
  }

  /** Skips a constant expression up to its `end`. */
  constExpr(): void {
    for (;;) {
      const op = this.byte();
      switch (op) {
        case 0x0b: return;
        case 0x41: case 0x42: this.sleb(); break;
        case 0x43: this.skip(4); break;
        case 0x44: this.skip(8); break;
        case 0x23: case 0xd2: this.u32(); break;
        case 0xd0: this.heapType(); break;
        case 0x6a: case 0x6b: case 0x6c: case 0x7c: case 0x7d: case 0x7e: break;
        case 0xfd: {
          const sub = this.u32();
          if (sub !== 12) throw new ModuleInfoError(`unexpected SIMD opcode ${sub} in constant`);
          this.skip(16);
          break;
        }
        case 0xfb: {
          const sub = this.u32();
          if (sub === 8) { this.u32(); this.u32(); }
          else if ([0, 1, 6, 7].includes(sub)) this.u32();
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
  const r = new Reader(bytes);
  r.skip(8);
  const types: (FuncType | undefined)[] = [];
  const funcs: number[] = []; // type index per function index
  const globals: GlobalType[] = [];
  const exports: ExportInfo[] = [];

  const compType = (): FuncType | undefined => {
    const form = r.byte();
    if (form === 0x60) {
      const params = Array.from({ length: r.u32() }, () => r.valType());
      const results = Array.from({ length: r.u32() }, () => r.valType());
      return { params, results };
    }
    const field = () => {
      const t = r.bytes[r.pos];
      if (t === 0x78 || t === 0x77) r.pos++;
      else r.valType();
      r.byte();
    };
    if (form === 0x5f) for (let n = r.u32(); n > 0; n--) field();
    else if (form === 0x5e) field();
    else throw new ModuleInfoError(`unknown type form 0x${form.toString(16)}`);
    return undefined;
  };
  const subType = (): FuncType | undefined => {
    const b = r.bytes[r.pos];
    if (b === 0x50 || b === 0x4f) {
      r.pos++;
      for (let n = r.u32(); n > 0; n--) r.u32();
    }
    return compType();
  };

  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    switch (id) {
      case 1:
        for (let n = r.u32(); n > 0; n--) {
          if (r.bytes[r.pos] === 0x4e) {
            r.pos++;
            for (let m = r.u32(); m > 0; m--) types.push(subType());
          } else {
            types.push(subType());
          }
        }
        break;
      case 2:
        for (let n = r.u32(); n > 0; n--) {
          r.name();
          r.name();
          const kind = r.byte();
          if (kind === 0) funcs.push(r.u32());
          else if (kind === 1) {
            r.valType();
            r.limits();
          } else if (kind === 2) r.limits();
          else if (kind === 3) globals.push({ type: r.valType(), mutable: r.byte() === 1 });
          else if (kind === 4) {
            r.byte();
            r.u32();
          } else throw new ModuleInfoError(`unknown import kind ${kind}`);
        }
        break;
      case 3:
        for (let n = r.u32(); n > 0; n--) funcs.push(r.u32());
        break;
      case 6:
        for (let n = r.u32(); n > 0; n--) {
          globals.push({ type: r.valType(), mutable: r.byte() === 1 });
          r.constExpr();
        }
        break;
      case 7:
        for (let n = r.u32(); n > 0; n--) {
          const name = r.name();
          const kind = r.byte();
          const index = r.u32();
          if (kind === 0) {
            const type = types[funcs[index]];
            if (!type) throw new ModuleInfoError(`export "${name}": function type not readable`);
            exports.push({ name, kind: 'func', type });
          } else if (kind === 3) {
            exports.push({ name, kind: 'global', type: globals[index] });
          } else {
            exports.push({ name, kind: kind === 1 ? 'table' : kind === 2 ? 'memory' : 'tag' });
          }
        }
        break;
    }
    r.pos = end;
  }
  return exports;
}
