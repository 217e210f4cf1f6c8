// Which features a binary module uses: a walk over its sections and every instruction with its
// immediates, for all opcodes of Wasm 3.0 and of the proposals the runner knows (threads,
// wide-arithmetic, custom-page-sizes, custom-descriptors, legacy exceptions, branch hints).
// Not a validator: it reads just enough to keep its place, and on bytes it cannot read it stops
// and reports what it found up to there (malformed modules are scanned too, and never make it throw).

/** Thrown inside the scan when the bytes cannot be read further; never escapes scanModuleFeatures. */
class Stop extends Error {}

// Single-byte value types and what they need (funcref in a table or element segment is MVP: see tableRefType).
const VALTYPE_FEATURES: Record<number, string | undefined> = {
  0x7f: undefined, // i32
  0x7e: undefined, // i64
  0x7d: undefined, // f32
  0x7c: undefined, // f64
  0x7b: 'simd', // v128
  0x70: 'reference-types', // funcref
  0x6f: 'reference-types', // externref
  0x6e: 'gc', // anyref
  0x6d: 'gc', // eqref
  0x6c: 'gc', // i31ref
  0x6b: 'gc', // structref
  0x6a: 'gc', // arrayref
  0x71: 'gc', // nullref
  0x72: 'gc', // nullexternref
  0x73: 'gc', // nullfuncref
  0x69: 'exceptions', // exnref
  0x74: 'exceptions', // nullexnref
  0x68: undefined, // contref (stack switching: not a tier the runner knows, read past)
  0x75: undefined, // nullcontref
};

const UTF8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const REF_NULL = 0x63; // (ref null ht)
const REF = 0x64; // (ref ht)
const EXACT = 0x62; // custom descriptors: exact heap type prefix

class Scanner {
  pos = 0;
  readonly found = new Set<string>(['mvp']);
  private importedGlobals = 0;
  /** The globals a constant expression may name: the imported ones, and in 3.0 the earlier defined ones. */
  private visibleGlobals = 0;
  private readonly globalMutable: boolean[] = [];
  private memories = 0;
  private tables = 0;

  constructor(private readonly bytes: Uint8Array) {}

  private use(feature: string): void {
    this.found.add(feature);
  }

  // --- reading -------------------------------------------------------------------------------

  private byte(limit: number): number {
    if (this.pos >= limit) throw new Stop();
    return this.bytes[this.pos++];
  }

  private peek(limit: number): number {
    if (this.pos >= limit) throw new Stop();
    return this.bytes[this.pos];
  }

  /** An unsigned LEB128 of at most 5 bytes (u32); returned as a number. */
  private u32(limit: number): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte(limit);
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
    }
    throw new Stop();
  }

  /** Skips a LEB128 of up to 10 bytes (u64/s64 immediates: memory64 offsets and limits, i64.const). */
  private skipLeb(limit: number): void {
    for (let n = 0; n < 10; n++) if (!(this.byte(limit) & 0x80)) return;
    throw new Stop();
  }

  /** A signed LEB128 of at most 5 bytes (s33 heap and block types), as a number. */
  private s33(limit: number): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte(limit);
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) {
        if (b & 0x40) result -= 2 ** shift;
        return result;
      }
      if (shift >= 35) throw new Stop();
    }
  }

  private skip(n: number, limit: number): void {
    if (n > limit - this.pos) throw new Stop();
    this.pos += n;
  }

  private name(limit: number): string {
    const n = this.u32(limit);
    const start = this.pos;
    this.skip(n, limit);
    return UTF8.decode(this.bytes.subarray(start, start + n));
  }

  // --- types ---------------------------------------------------------------------------------

  /** A heap type (an s33: a type index, or a negative abstract type), with the exact prefix. */
  private heapType(limit: number): void {
    if (this.peek(limit) === EXACT) {
      this.pos++;
      this.use('custom-descriptors');
    }
    const ht = this.s33(limit);
    if (ht >= 0) {
      this.use('typed-function-references');
      return;
    }
    const feature = VALTYPE_FEATURES[ht & 0x7f];
    if (feature) this.use(feature);
  }

  private valType(limit: number): void {
    const b = this.byte(limit);
    if (b === REF_NULL || b === REF) {
      // (ref ht) and (ref null $t) are the typed function references' forms; (ref null func) etc. are
      // the shorthands' types and need what they need (heapType adds it).
      if (b === REF) this.use('typed-function-references');
      this.heapType(limit);
      return;
    }
    if (b === EXACT) {
      // The proposal's other spelling, the prefix before the reference type.
      this.use('custom-descriptors');
      const next = this.peek(limit);
      if (next === REF_NULL || next === REF) this.valType(limit);
      else this.heapType(limit);
      return;
    }
    if (!(b in VALTYPE_FEATURES)) throw new Stop();
    const feature = VALTYPE_FEATURES[b];
    if (feature) this.use(feature);
  }

  /** A table's or element segment's reference type: funcref there is MVP. */
  private tableRefType(limit: number): void {
    if (this.peek(limit) === 0x70) this.pos++;
    else this.valType(limit);
  }

  private storageType(limit: number): void {
    const b = this.peek(limit);
    if (b === 0x78 || b === 0x77) this.pos++; // i8, i16
    else this.valType(limit);
    this.byte(limit); // mutability
  }

  private compType(limit: number): void {
    const form = this.byte(limit);
    switch (form) {
      case 0x60: {
        for (let n = this.u32(limit); n > 0; n--) this.valType(limit);
        const results = this.u32(limit);
        if (results > 1) this.use('multi-value');
        for (let n = results; n > 0; n--) this.valType(limit);
        return;
      }
      case 0x5f:
        this.use('gc');
        for (let n = this.u32(limit); n > 0; n--) this.storageType(limit);
        return;
      case 0x5e:
        this.use('gc');
        this.storageType(limit);
        return;
      default:
        throw new Stop();
    }
  }

  private subType(limit: number): void {
    const b = this.peek(limit);
    if (b === 0x50 || b === 0x4f) {
      this.pos++;
      this.use('gc');
      for (let n = this.u32(limit); n > 0; n--) this.u32(limit);
    }
    // custom descriptors: (descriptor $t) 0x4D and (describes $t) 0x4C clauses before the composite type
    while (this.peek(limit) === 0x4d || this.peek(limit) === 0x4c) {
      this.pos++;
      this.use('custom-descriptors');
      this.use('gc');
      this.u32(limit);
    }
    this.compType(limit);
  }

  private recType(limit: number): void {
    if (this.peek(limit) === 0x4e) {
      this.pos++;
      this.use('gc');
      for (let n = this.u32(limit); n > 0; n--) this.subType(limit);
    } else {
      this.subType(limit);
    }
  }

  private limits(limit: number, kind: 'memory' | 'table'): void {
    const flags = this.byte(limit);
    if (kind === 'memory' && flags & 2) this.use('threads'); // shared (a table's bit 1 is no tier's)
    if (flags & 4) this.use('memory64'); // i64 addresses (table64 is part of memory64)
    this.skipLeb(limit);
    if (flags & 1) this.skipLeb(limit);
    if (kind === 'memory' && flags & 8) {
      this.use('custom-page-sizes');
      this.u32(limit);
    }
  }

  private tableType(limit: number): void {
    this.tableRefType(limit);
    this.limits(limit, 'table');
    this.tables++;
  }

  private globalType(limit: number): boolean {
    this.valType(limit);
    const mutable = this.byte(limit) === 1;
    this.globalMutable.push(mutable);
    return mutable;
  }

  // --- instructions --------------------------------------------------------------------------

  private blockType(limit: number): void {
    const b = this.peek(limit);
    if (b === 0x40) {
      this.pos++;
      return;
    }
    // One-byte value types are negative s7 values (0x40..0x7f); anything else is a type index.
    if ((b & 0xc0) === 0x40) {
      this.valType(limit);
      return;
    }
    if (this.s33(limit) < 0) throw new Stop();
    this.use('multi-value'); // a type index: parameters or several results
  }

  private memarg(limit: number): void {
    const flags = this.u32(limit);
    if (flags & 0x40) {
      this.use('multi-memory');
      this.u32(limit);
    }
    this.skipLeb(limit); // offset: u32, or u64 with memory64
  }

  private memoryIndex(limit: number): void {
    if (this.u32(limit) !== 0) this.use('multi-memory');
  }

  private tableIndex(limit: number): void {
    if (this.u32(limit) !== 0) this.use('reference-types');
  }

  /** A constant expression up to and including its `end`. */
  private constExpr(limit: number, visibleGlobals = this.globalMutable.length): void {
    this.visibleGlobals = visibleGlobals;
    for (;;) {
      if (this.peek(limit) === 0x0b) {
        this.pos++;
        return;
      }
      this.instr(limit, true);
    }
  }

  private instr(limit: number, inConst: boolean): void {
    const op = this.byte(limit);
    switch (op) {
      case 0x00: case 0x01: case 0x05: case 0x0b: case 0x0f: case 0x1a: case 0x1b:
        return;
      case 0x02: case 0x03: case 0x04: // block loop if
        this.blockType(limit);
        return;
      case 0x06: // try (legacy)
        this.use('legacy-exceptions');
        this.blockType(limit);
        return;
      case 0x07: // catch (legacy)
        this.use('legacy-exceptions');
        this.u32(limit);
        return;
      case 0x08: // throw
        this.use('exceptions');
        this.u32(limit);
        return;
      case 0x09: // rethrow (legacy)
        this.use('legacy-exceptions');
        this.u32(limit);
        return;
      case 0x0a: // throw_ref
        this.use('exceptions');
        return;
      case 0x0c: case 0x0d: // br br_if
        this.u32(limit);
        return;
      case 0x0e: // br_table
        for (let n = this.u32(limit) + 1; n > 0; n--) this.u32(limit);
        return;
      case 0x10: // call
        this.u32(limit);
        return;
      case 0x11: // call_indirect
        this.u32(limit);
        this.tableIndex(limit);
        return;
      case 0x12: // return_call
        this.use('tail-call');
        this.u32(limit);
        return;
      case 0x13: // return_call_indirect
        this.use('tail-call');
        this.u32(limit);
        this.tableIndex(limit);
        return;
      case 0x14: // call_ref
        this.use('typed-function-references');
        this.u32(limit);
        return;
      case 0x15: // return_call_ref
        this.use('tail-call');
        this.use('typed-function-references');
        this.u32(limit);
        return;
      case 0x18: // delegate (legacy)
        this.use('legacy-exceptions');
        this.u32(limit);
        return;
      case 0x19: // catch_all (legacy)
        this.use('legacy-exceptions');
        return;
      case 0x1c: // select t*
        this.use('reference-types');
        for (let n = this.u32(limit); n > 0; n--) this.valType(limit);
        return;
      case 0x1f: // try_table
        this.use('exceptions');
        this.blockType(limit);
        for (let n = this.u32(limit); n > 0; n--) {
          const kind = this.byte(limit);
          if (kind === 0 || kind === 1) this.u32(limit); // catch / catch_ref: the tag
          else if (kind !== 2 && kind !== 3) throw new Stop();
          this.u32(limit); // the label
        }
        return;
      case 0x20: case 0x21: case 0x22: case 0x24: // local.get/set/tee global.set
        this.u32(limit);
        return;
      case 0x23: { // global.get: in a constant expression, of a global not imported
        const index = this.u32(limit);
        // A defined global (an unknown one is invalid in any version, and tells nothing)
        if (inConst && index >= this.importedGlobals && index < this.visibleGlobals) this.use('extended-const');
        return;
      }
      case 0x25: case 0x26: // table.get table.set
        this.use('reference-types');
        this.u32(limit);
        return;
      case 0x3f: case 0x40: // memory.size memory.grow
        this.memoryIndex(limit);
        return;
      case 0x41: case 0x42: // i32.const i64.const
        this.skipLeb(limit);
        return;
      case 0x43:
        this.skip(4, limit);
        return;
      case 0x44:
        this.skip(8, limit);
        return;
      case 0xd0: // ref.null ht
        this.use('reference-types');
        this.heapType(limit);
        return;
      case 0xd1: // ref.is_null
        this.use('reference-types');
        return;
      case 0xd2: // ref.func
        this.use('reference-types');
        this.u32(limit);
        return;
      case 0xd3: // ref.eq
        this.use('gc');
        return;
      case 0xd4: // ref.as_non_null
        this.use('typed-function-references');
        return;
      case 0xd5: case 0xd6: // br_on_null br_on_non_null
        this.use('typed-function-references');
        this.u32(limit);
        return;
      case 0xfb:
        this.use('gc');
        this.gcOp(limit);
        return;
      case 0xfc:
        this.miscOp(limit);
        return;
      case 0xfd:
        this.use('simd');
        this.simdOp(limit);
        return;
      case 0xfe:
        this.use('threads');
        this.atomicOp(limit);
        return;
    }
    if (op >= 0x28 && op <= 0x3e) {
      this.memarg(limit);
      return;
    }
    if (op >= 0x45 && op <= 0xc4) {
      if (op >= 0xc0) this.use('sign-extension');
      // i32/i64 add, sub, mul: the extended constant expressions
      else if (inConst && (op === 0x6a || op === 0x6b || op === 0x6c || op === 0x7c || op === 0x7d || op === 0x7e)) this.use('extended-const');
      return;
    }
    throw new Stop(); // an opcode of no tier the runner knows (or a malformed one)
  }

  private gcOp(limit: number): void {
    const sub = this.u32(limit);
    switch (sub) {
      case 0: case 1: case 6: case 7: case 11: case 12: case 13: case 14: case 16:
        this.u32(limit); // a type index
        return;
      case 2: case 3: case 4: case 5: case 8: case 9: case 10: case 17: case 18: case 19:
        this.u32(limit); // a type index and a field index, count, data, element or second type index
        this.u32(limit);
        return;
      case 15: case 26: case 27: case 28: case 29: case 30: // array.len, any/extern conversions, i31
        return;
      case 20: case 21: case 22: case 23: // ref.test ref.cast (null)
        this.heapType(limit);
        return;
      case 24: case 25: // br_on_cast(_fail) castflags label ht ht
        this.byte(limit);
        this.u32(limit);
        this.heapType(limit);
        this.heapType(limit);
        return;
      case 32: case 33: case 34: // struct.new_desc struct.new_default_desc ref.get_desc
        this.use('custom-descriptors');
        this.u32(limit);
        return;
      case 35: case 36: // ref.cast_desc_eq (null)
        this.use('custom-descriptors');
        this.heapType(limit);
        return;
      case 37: case 38: // br_on_cast_desc_eq(_fail)
        this.use('custom-descriptors');
        this.byte(limit);
        this.u32(limit);
        this.heapType(limit);
        this.heapType(limit);
        return;
    }
    throw new Stop();
  }

  private miscOp(limit: number): void {
    const sub = this.u32(limit);
    if (sub <= 7) {
      this.use('saturating-conversions');
      return;
    }
    switch (sub) {
      case 8: // memory.init data mem
        this.use('bulk-memory');
        this.u32(limit);
        this.memoryIndex(limit);
        return;
      case 9: // data.drop
      case 13: // elem.drop
        this.use('bulk-memory');
        this.u32(limit);
        return;
      case 10: // memory.copy dst src
        this.use('bulk-memory');
        this.memoryIndex(limit);
        this.memoryIndex(limit);
        return;
      case 11: // memory.fill
        this.use('bulk-memory');
        this.memoryIndex(limit);
        return;
      case 12: // table.init elem table
        this.use('bulk-memory');
        this.u32(limit);
        this.tableIndex(limit);
        return;
      case 14: // table.copy dst src
        this.use('bulk-memory');
        this.tableIndex(limit);
        this.tableIndex(limit);
        return;
      case 15: case 16: case 17: // table.grow table.size table.fill
        this.use('reference-types');
        this.u32(limit);
        return;
      case 19: case 20: case 21: case 22: // i64.add128 i64.sub128 i64.mul_wide_s/u
        this.use('wide-arithmetic');
        return;
    }
    throw new Stop();
  }

  private simdOp(limit: number): void {
    const sub = this.u32(limit);
    if (sub <= 11 || sub === 92 || sub === 93) {
      this.memarg(limit); // loads, store, load32/64_zero
    } else if (sub === 12 || sub === 13) {
      this.skip(16, limit); // v128.const, i8x16.shuffle
    } else if (sub >= 21 && sub <= 34) {
      this.skip(1, limit); // extract/replace lane
    } else if (sub >= 84 && sub <= 91) {
      this.memarg(limit); // load/store lane
      this.skip(1, limit);
    } else if (sub >= 0x100 && sub <= 0x113) {
      this.use('relaxed-simd');
    } else if (sub > 0xff) {
      throw new Stop();
    }
  }

  private atomicOp(limit: number): void {
    const sub = this.u32(limit);
    if (sub === 3) this.byte(limit); // atomic.fence 0x00
    else if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) this.memarg(limit);
    else throw new Stop();
  }

  // --- sections ------------------------------------------------------------------------------

  scan(): void {
    const bytes = this.bytes;
    const len = bytes.length;
    // magic and version (a component or a wrong version is read anyway: nothing to find there)
    if (len < 8) return;
    this.pos = 8;
    while (this.pos < len) {
      const id = this.byte(len);
      const size = this.u32(len);
      const start = this.pos;
      const end = Math.min(len, start + size);
      try {
        this.section(id, end);
      } catch (err) {
        if (!(err instanceof Stop)) throw err;
        // With the imports unread, which globals are imported is unknown: tell nothing from global.get.
        if (id === 2) this.importedGlobals = Infinity;
      }
      if (start + size > len) return;
      this.pos = start + size;
    }
  }

  private section(id: number, end: number): void {
    switch (id) {
      case 0: {
        const name = this.name(end);
        if (name === 'metadata.code.branch_hint') this.use('branch-hinting');
        return;
      }
      case 1:
        for (let n = this.u32(end); n > 0; n--) this.recType(end);
        return;
      case 2:
        for (let n = this.u32(end); n > 0; n--) this.import(end);
        return;
      case 3:
        for (let n = this.u32(end); n > 0; n--) this.u32(end);
        return;
      case 4:
        for (let n = this.u32(end); n > 0; n--) {
          if (this.peek(end) === 0x40) {
            // a table with an initializer expression (function references)
            this.pos++;
            this.byte(end);
            this.use('typed-function-references');
            this.tableType(end);
            this.constExpr(end);
          } else {
            this.tableType(end);
          }
        }
        return;
      case 5:
        for (let n = this.u32(end); n > 0; n--) {
          this.limits(end, 'memory');
          this.memories++;
        }
        return;
      case 6:
        for (let n = this.u32(end); n > 0; n--) {
          this.globalType(end);
          this.constExpr(end, this.globalMutable.length - 1); // the globals before this one
        }
        return;
      case 7:
        for (let n = this.u32(end); n > 0; n--) {
          this.name(end);
          const kind = this.byte(end);
          const index = this.u32(end);
          if (kind === 3 && this.globalMutable[index]) this.use('mutable-globals');
          else if (kind === 4) this.use('exceptions');
          else if (kind > 4) throw new Stop();
        }
        return;
      case 8:
        this.u32(end);
        return;
      case 9:
        for (let n = this.u32(end); n > 0; n--) this.elemSegment(end);
        return;
      case 10:
        for (let n = this.u32(end); n > 0; n--) {
          const size = this.u32(end);
          const bodyEnd = this.pos + size;
          if (bodyEnd > end) throw new Stop();
          try {
            for (let m = this.u32(bodyEnd); m > 0; m--) {
              this.u32(bodyEnd);
              this.valType(bodyEnd);
            }
            while (this.pos < bodyEnd) this.instr(bodyEnd, false);
          } catch (err) {
            if (!(err instanceof Stop)) throw err;
          }
          this.pos = bodyEnd;
        }
        return;
      case 11:
        for (let n = this.u32(end); n > 0; n--) {
          const flags = this.u32(end);
          if (flags === 1) {
            this.use('bulk-memory'); // passive
          } else {
            if (flags === 2) {
              const memory = this.u32(end);
              if (memory !== 0) this.use('multi-memory');
              // No such memory: not a segment to read on (wabt 1.0.39 writes (data (memory N) …) with
              // the flags 2 but no index, and what follows would be read as garbage).
              if (memory >= this.memories) throw new Stop();
            } else if (flags !== 0) {
              throw new Stop();
            }
            this.constExpr(end);
          }
          this.skip(this.u32(end), end);
        }
        return;
      case 12:
        this.use('bulk-memory'); // data count
        return;
      case 13:
        this.use('exceptions');
        for (let n = this.u32(end); n > 0; n--) {
          this.byte(end);
          this.u32(end);
        }
        return;
      default:
        throw new Stop(); // an unknown section: its size is still good, but nothing to read
    }
  }

  private import(end: number): void {
    this.name(end);
    this.name(end);
    const kind = this.byte(end);
    switch (kind) {
      case 0x00:
        this.u32(end);
        return;
      case 0x20: // an exact function import (custom descriptors)
        this.use('custom-descriptors');
        this.u32(end);
        return;
      case 0x01:
        this.tableType(end);
        return;
      case 0x02:
        this.limits(end, 'memory');
        this.memories++;
        return;
      case 0x03:
        this.importedGlobals++;
        if (this.globalType(end)) this.use('mutable-globals');
        return;
      case 0x04:
        this.use('exceptions');
        this.byte(end);
        this.u32(end);
        return;
      default:
        throw new Stop();
    }
  }

  private elemSegment(end: number): void {
    const flags = this.u32(end);
    if (flags > 7) throw new Stop();
    const passiveOrDeclarative = (flags & 1) !== 0;
    const explicitTable = (flags & 2) !== 0 && !passiveOrDeclarative;
    const expressions = (flags & 4) !== 0;
    if (flags === 3 || flags === 7) this.use('reference-types'); // declarative
    else if (flags !== 0) this.use('bulk-memory'); // passive, or the explicit/expression forms
    if (explicitTable) this.tableIndex(end);
    if (!passiveOrDeclarative) this.constExpr(end);
    if (flags & 3) {
      if (expressions) this.tableRefType(end);
      else if (this.byte(end) !== 0) throw new Stop(); // elemkind funcref
    }
    for (let n = this.u32(end); n > 0; n--) {
      if (expressions) this.constExpr(end);
      else this.u32(end);
    }
  }

  finish(): Set<string> {
    if (this.memories > 1) this.use('multi-memory');
    if (this.tables > 1) this.use('reference-types');
    return this.found;
  }
}

/**
 * The features a binary module uses, always with 'mvp'. Never throws: on bytes it cannot read
 * (a malformed module, an opcode of no known proposal) it returns what it found up to there.
 */
export function scanModuleFeatures(bytes: Uint8Array): Set<string> {
  const scanner = new Scanner(bytes);
  try {
    scanner.scan();
  } catch {
    // Stop, or anything unforeseen: what was found so far stands
  }
  return scanner.finish();
}
