// Which features a binary module uses: a walk over its sections and every instruction with its
// immediates, for all opcodes of Wasm 3.0 and of the proposals the runner knows (threads,
// wide-arithmetic, custom-page-sizes, custom-descriptors, legacy exceptions, branch hints).
// Not a validator: it reads just enough to keep its place, and on bytes it cannot read it stops
// and reports what it found up to there (malformed modules are scanned too, and never make it throw).
// The bytes are read with the shared Reader (core/wasm/reader.ts), each opcode's immediates come
// from the shared table (core/wasm/opcodes.ts). The types are read here, not decoded as
// module-info.ts does: each byte adds its feature as it is read, so a type cut short still counts.
import { HEADER_SIZE, Reader } from './wasm/reader.js';
import { Immediate, IMMEDIATE_SIZES, isPrefix, OpcodeInfo, opcodeInfo, prefixFeature, SIMD_PREFIX } from './wasm/opcodes.js';
import { EXACT, REF, REF_NULL } from './wasm/value-types.js';

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

const GLOBAL_GET = 0x23;
const THROW = 0x08;
/** i32/i64 add, sub, mul: in a constant expression, the extended constant expressions. */
const EXTENDED_CONST_OPS = new Set([0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e]);
/** An unassigned SIMD sub-opcode below 0x100: read on as an instruction without immediates (it is still SIMD). */
const UNASSIGNED_SIMD: OpcodeInfo = { immediates: [], features: [] };

/** The shared Reader, its `end` the section's or the function body's being scanned, throwing Stop. */
class Scanner extends Reader {
  readonly found = new Set<string>(['mvp']);
  private importedGlobals = 0;
  /** The globals a constant expression may name: the imported ones, and in 3.0 the earlier defined ones. */
  private visibleGlobals = 0;
  private readonly globalMutable: boolean[] = [];
  private memories = 0;
  private tables = 0;

  constructor(bytes: Uint8Array) {
    super(bytes, { error: () => new Stop() });
  }

  private use(feature: string): void {
    this.found.add(feature);
  }

  /**
   * Tags and `throw` belong to both exception handlings: they need 'exceptions' (try_table, exnref) unless the
   * module uses the legacy form, where they are part of it (an engine with only that one takes them).
   */
  private usesTags = false;

  // --- types ---------------------------------------------------------------------------------

  /** A heap type (an s33: a type index, or a negative abstract type), with the exact prefix. */
  private heapType(): void {
    if (this.peek() === EXACT) {
      this.pos++;
      this.use('custom-descriptors');
    }
    const ht = this.sleb();
    if (ht >= 0) {
      this.use('typed-function-references');
      return;
    }
    const feature = VALTYPE_FEATURES[ht & 0x7f];
    if (feature) this.use(feature);
  }

  private valType(): void {
    const b = this.u8();
    if (b === REF_NULL || b === REF) {
      // (ref ht) and (ref null $t) are the typed function references' forms; (ref null func) etc. are
      // the shorthands' types and need what they need (heapType adds it).
      if (b === REF) this.use('typed-function-references');
      this.heapType();
      return;
    }
    if (b === EXACT) {
      // The proposal's other spelling, the prefix before the reference type.
      this.use('custom-descriptors');
      const next = this.peek();
      if (next === REF_NULL || next === REF) this.valType();
      else this.heapType();
      return;
    }
    if (!(b in VALTYPE_FEATURES)) throw new Stop();
    const feature = VALTYPE_FEATURES[b];
    if (feature) this.use(feature);
  }

  /** A table's or element segment's reference type: funcref there is MVP. */
  private tableRefType(): void {
    if (this.peek() === 0x70) this.pos++;
    else this.valType();
  }

  private storageType(): void {
    const b = this.peek();
    if (b === 0x78 || b === 0x77) this.pos++; // i8, i16
    else this.valType();
    this.u8(); // mutability
  }

  private compType(): void {
    const form = this.u8();
    switch (form) {
      case 0x60: {
        for (let n = this.uleb(); n > 0; n--) this.valType();
        const results = this.uleb();
        if (results > 1) this.use('multi-value');
        for (let n = results; n > 0; n--) this.valType();
        return;
      }
      case 0x5f:
        this.use('gc');
        for (let n = this.uleb(); n > 0; n--) this.storageType();
        return;
      case 0x5e:
        this.use('gc');
        this.storageType();
        return;
      default:
        throw new Stop();
    }
  }

  private subType(): void {
    const b = this.peek();
    if (b === 0x50 || b === 0x4f) {
      this.pos++;
      this.use('gc');
      for (let n = this.uleb(); n > 0; n--) this.uleb();
    }
    // custom descriptors: (descriptor $t) 0x4D and (describes $t) 0x4C clauses before the composite type
    while (this.peek() === 0x4d || this.peek() === 0x4c) {
      this.pos++;
      this.use('custom-descriptors');
      this.use('gc');
      this.uleb();
    }
    this.compType();
  }

  private recType(): void {
    if (this.peek() === 0x4e) {
      this.pos++;
      this.use('gc');
      for (let n = this.uleb(); n > 0; n--) this.subType();
    } else {
      this.subType();
    }
  }

  private limits(kind: 'memory' | 'table'): void {
    const flags = this.u8();
    if (kind === 'memory' && flags & 2) this.use('threads'); // shared (a table's bit 1 is no tier's)
    if (flags & 4) this.use('memory64'); // i64 addresses (table64 is part of memory64)
    this.skipLeb();
    if (flags & 1) this.skipLeb();
    if (kind === 'memory' && flags & 8) {
      this.use('custom-page-sizes');
      this.uleb();
    }
  }

  private tableType(): void {
    this.tableRefType();
    this.limits('table');
    this.tables++;
  }

  private globalType(): boolean {
    this.valType();
    const mutable = this.u8() === 1;
    this.globalMutable.push(mutable);
    return mutable;
  }

  // --- instructions --------------------------------------------------------------------------

  private blockType(): void {
    const b = this.peek();
    if (b === 0x40) {
      this.pos++;
      return;
    }
    // One-byte value types are negative s7 values (0x40..0x7f); anything else is a type index.
    if ((b & 0xc0) === 0x40) {
      this.valType();
      return;
    }
    if (this.sleb() < 0) throw new Stop();
    this.use('multi-value'); // a type index: parameters or several results
  }

  private memarg(): void {
    const flags = this.uleb();
    if (flags & 0x40) {
      this.use('multi-memory');
      this.uleb();
    }
    this.skipLeb(); // offset: u32, or u64 with memory64
  }

  private memoryIndex(): void {
    // 2.0 has a reserved zero byte here; only multi-memory reads it as an index, long zero encodings included.
    const at = this.pos;
    if (this.uleb() !== 0 || this.pos - at > 1) this.use('multi-memory');
  }

  private tableIndex(): void {
    if (this.uleb() !== 0) this.use('reference-types');
  }

  /** A constant expression up to and including its `end`. */
  private constExpr(visibleGlobals = this.globalMutable.length): void {
    this.visibleGlobals = visibleGlobals;
    for (;;) {
      if (this.peek() === 0x0b) {
        this.pos++;
        return;
      }
      this.instr(true);
    }
  }

  private instr(inConst: boolean): void {
    const first = this.u8();
    let sub: number | undefined;
    if (isPrefix(first)) {
      // The prefix's feature first: it stands even when the sub-opcode cannot be read.
      const feature = prefixFeature(first);
      if (feature) this.use(feature);
      sub = this.uleb();
    }
    const op = opcodeInfo(first, sub) ?? (first === SIMD_PREFIX && sub! <= 0xff ? UNASSIGNED_SIMD : undefined);
    if (!op) throw new Stop(); // an opcode of no tier the runner knows (or a malformed one)
    if (sub === undefined && first === THROW) this.usesTags = true;
    else for (const feature of op.features) this.use(feature);
    if (sub === undefined && first === GLOBAL_GET) {
      const index = this.uleb();
      // In a constant expression, a defined global (an unknown one is invalid in any version, and tells nothing)
      if (inConst && index >= this.importedGlobals && index < this.visibleGlobals) this.use('extended-const');
      return;
    }
    if (inConst && sub === undefined && EXTENDED_CONST_OPS.has(first)) this.use('extended-const');
    for (const immediate of op.immediates) this.immediate(immediate);
  }

  private immediate(immediate: Immediate): void {
    const size = IMMEDIATE_SIZES[immediate];
    if (size !== undefined) return this.skip(size);
    switch (immediate) {
      case 'blocktype':
        return this.blockType();
      case 'index':
        this.uleb();
        return;
      case 'memory':
        return this.memoryIndex();
      case 'table':
        return this.tableIndex();
      case 'memarg':
        return this.memarg();
      case 'int':
        return this.skipLeb(); // up to 10 bytes: i64.const's too
      case 'heaptype':
        return this.heapType();
      case 'valtypes':
        for (let n = this.uleb(); n > 0; n--) this.valType();
        return;
      case 'labels':
        for (let n = this.uleb() + 1; n > 0; n--) this.uleb();
        return;
      case 'catches':
        for (let n = this.uleb(); n > 0; n--) {
          const kind = this.u8();
          if (kind === 0 || kind === 1) this.uleb(); // catch / catch_ref: the tag
          else if (kind !== 2 && kind !== 3) throw new Stop();
          this.uleb(); // the label
        }
        return;
    }
  }

  // --- sections ------------------------------------------------------------------------------

  scan(): void {
    const len = this.bytes.length;
    // magic and version (a component or a wrong version is read anyway: nothing to find there)
    if (len < HEADER_SIZE) return;
    this.pos = HEADER_SIZE;
    while (!this.atEnd) {
      const section = this.sectionHeader();
      this.end = Math.min(len, section.end);
      try {
        this.section(section.id);
      } catch (err) {
        if (!(err instanceof Stop)) throw err;
        // With the imports unread, which globals are imported is unknown: tell nothing from global.get.
        if (section.id === 2) this.importedGlobals = Infinity;
      }
      this.end = len;
      if (section.end > len) return;
      this.pos = section.end;
    }
  }

  private section(id: number): void {
    switch (id) {
      case 0: {
        const name = this.name();
        if (name === 'metadata.code.branch_hint') this.use('branch-hinting');
        return;
      }
      case 1:
        for (let n = this.uleb(); n > 0; n--) this.recType();
        return;
      case 2:
        for (let n = this.uleb(); n > 0; n--) this.import();
        return;
      case 3:
        for (let n = this.uleb(); n > 0; n--) this.uleb();
        return;
      case 4:
        for (let n = this.uleb(); n > 0; n--) {
          if (this.peek() === 0x40) {
            // a table with an initializer expression (function references)
            this.pos++;
            this.u8();
            this.use('typed-function-references');
            this.tableType();
            this.constExpr();
          } else {
            this.tableType();
          }
        }
        return;
      case 5:
        for (let n = this.uleb(); n > 0; n--) {
          this.limits('memory');
          this.memories++;
        }
        return;
      case 6:
        for (let n = this.uleb(); n > 0; n--) {
          this.globalType();
          this.constExpr(this.globalMutable.length - 1); // the globals before this one
        }
        return;
      case 7:
        for (let n = this.uleb(); n > 0; n--) {
          this.name();
          const kind = this.u8();
          const index = this.uleb();
          if (kind === 3 && this.globalMutable[index]) this.use('mutable-globals');
          else if (kind === 4) this.usesTags = true;
          else if (kind > 4) throw new Stop();
        }
        return;
      case 8:
        this.uleb();
        return;
      case 9:
        for (let n = this.uleb(); n > 0; n--) this.elemSegment();
        return;
      case 10: {
        const sectionEnd = this.end;
        for (let n = this.uleb(); n > 0; n--) {
          const size = this.uleb();
          const bodyEnd = this.pos + size;
          if (bodyEnd > sectionEnd) throw new Stop();
          this.end = bodyEnd; // a body the scan cannot read to its end leaves the next ones readable
          try {
            for (let m = this.uleb(); m > 0; m--) {
              this.uleb();
              this.valType();
            }
            while (!this.atEnd) this.instr(false);
          } catch (err) {
            if (!(err instanceof Stop)) throw err;
          }
          this.end = sectionEnd;
          this.pos = bodyEnd;
        }
        return;
      }
      case 11:
        for (let n = this.uleb(); n > 0; n--) {
          const flags = this.uleb();
          if (flags === 1) {
            this.use('bulk-memory'); // passive
          } else {
            if (flags === 2) {
              const memory = this.uleb();
              if (memory !== 0) this.use('multi-memory');
              // No such memory: not a segment to read on (wabt 1.0.39 writes (data (memory N) …) with
              // the flags 2 but no index, and what follows would be read as garbage).
              if (memory >= this.memories) throw new Stop();
            } else if (flags !== 0) {
              throw new Stop();
            }
            this.constExpr();
          }
          this.skip(this.uleb());
        }
        return;
      case 12:
        this.use('bulk-memory'); // data count
        return;
      case 13:
        this.usesTags = true;
        for (let n = this.uleb(); n > 0; n--) {
          this.u8();
          this.uleb();
        }
        return;
      default:
        throw new Stop(); // an unknown section: its size is still good, but nothing to read
    }
  }

  private import(): void {
    this.name();
    this.name();
    const kind = this.u8();
    switch (kind) {
      case 0x00:
        this.uleb();
        return;
      case 0x20: // an exact function import (custom descriptors)
        this.use('custom-descriptors');
        this.uleb();
        return;
      case 0x01:
        this.tableType();
        return;
      case 0x02:
        this.limits('memory');
        this.memories++;
        return;
      case 0x03:
        this.importedGlobals++;
        if (this.globalType()) this.use('mutable-globals');
        return;
      case 0x04:
        this.usesTags = true;
        this.u8();
        this.uleb();
        return;
      default:
        throw new Stop();
    }
  }

  private elemSegment(): void {
    const flags = this.uleb();
    if (flags > 7) throw new Stop();
    const passiveOrDeclarative = (flags & 1) !== 0;
    const explicitTable = (flags & 2) !== 0 && !passiveOrDeclarative;
    const expressions = (flags & 4) !== 0;
    if (flags === 3 || flags === 7) this.use('reference-types'); // declarative
    else if (flags !== 0) this.use('bulk-memory'); // passive, or the explicit/expression forms
    if (explicitTable) this.tableIndex();
    if (!passiveOrDeclarative) this.constExpr();
    if (flags & 3) {
      if (expressions) this.tableRefType();
      else if (this.u8() !== 0) throw new Stop(); // elemkind funcref
    }
    for (let n = this.uleb(); n > 0; n--) {
      if (expressions) this.constExpr();
      else this.uleb();
    }
  }

  finish(): Set<string> {
    if (this.memories > 1) this.use('multi-memory');
    if (this.tables > 1) this.use('reference-types');
    if (this.usesTags && !this.found.has('legacy-exceptions')) this.use('exceptions');
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
