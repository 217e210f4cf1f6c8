// The JS API's implementation limits (the "JS embedding" limits every engine shares: 1,000,000 types,
// functions, imports, exports and globals, 100,000 data segments, 1 GiB modules, …): a module over one is a
// CompileError and does not validate, whatever the core spec allows. Checked on the bytes before the addon sees
// them; anything that does not parse here is left to the addon's decoder to judge.
const MAX_MODULE_SIZE = 1024 * 1024 * 1024;
const MAX_TYPES = 1_000_000;
const MAX_FUNCTIONS = 1_000_000;
const MAX_IMPORTS = 1_000_000;
const MAX_EXPORTS = 1_000_000;
const MAX_GLOBALS = 1_000_000;
const MAX_DATA_SEGMENTS = 100_000;
const MAX_FUNCTION_SIZE = 7_654_321;
const MAX_FUNCTION_LOCALS = 50_000;
const MAX_FUNCTION_PARAMS = 1_000;
const MAX_FUNCTION_RETURNS = 1_000;
const MAX_ELEMENT_SEGMENTS = 10_000_000;
const MAX_TABLES = 100_000;
const MAX_MEMORIES = 1;

class Reader {
  constructor(readonly bytes: Uint8Array, public at: number, readonly end: number) {}
  byte(): number {
    if (this.at >= this.end) throw new RangeError('end');
    return this.bytes[this.at++];
  }
  u32(): number {
    return this.leb(28);
  }
  /** A LEB128 of up to 64 bits (a 64-bit limit), as a Number (inexact past 2^53, which only compares here). */
  u64(): number {
    return this.leb(63);
  }
  leb(lastShift: number): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.byte();
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
      if (shift >= lastShift) throw new RangeError('leb');
    }
  }
  skip(n: number): void {
    this.at += n;
    if (this.at > this.end) throw new RangeError('end');
  }
  /** Limits: flags (1 a maximum, 4 64-bit, 8 a page size), minimum, maximum, page size's log2. */
  limits(): { min: number; max?: number } {
    const flags = this.byte();
    const read = () => (flags & 4 ? this.u64() : this.u32());
    const min = read();
    const max = flags & 1 ? read() : undefined;
    if (flags & 8) this.u32();
    return max === undefined ? { min } : { min, max };
  }
  /** A table type: its reference type (a typed one with its heap type), then limits; false for a table with an initializer (0x40 0x00), whose expression is not read here. */
  tableType(): { min: number; max?: number } | false {
    const b = this.byte();
    if (b === 0x40) return false;
    if (b === 0x63 || b === 0x64) this.leb(63); // (ref null? ht): the heap type, an s33
    return this.limits();
  }
}

export interface ModuleLimits {
  /** Why the module is over a limit, if it is. */
  error?: string;
  /** The largest initial size of the tables the module defines (the JS API refuses to instantiate one over 10,000,000). */
  largestTable: number;
}

const over = (what: string, n: number, limit: number) => `${what} count of ${n} exceeds the JS API's limit of ${limit}`;

/** The module's counts against the JS embedding's limits. */
export function moduleLimits(bytes: Uint8Array): ModuleLimits {
  const result: ModuleLimits = { largestTable: 0 };
  if (bytes.length > MAX_MODULE_SIZE) return { ...result, error: `module size of ${bytes.length} bytes exceeds the JS API's limit of ${MAX_MODULE_SIZE}` };
  const paramCounts: number[] = [];
  const functionTypes: number[] = [];
  let tables = 0;
  let memories = 0;
  try {
    const top = new Reader(bytes, 8, bytes.length);
    while (top.at < top.end) {
      const id = top.byte();
      const size = top.u32();
      const r = new Reader(bytes, top.at, Math.min(top.at + size, bytes.length));
      top.skip(size);
      if (id === 0) continue;
      const count = r.u32();
      switch (id) {
        case 1: // types: each a function type with its parameters and results
          if (count > MAX_TYPES) return { ...result, error: over('types', count, MAX_TYPES) };
          for (let i = 0; i < count; i++) {
            if (r.byte() !== 0x60) return result;
            const params = r.u32();
            if (params > MAX_FUNCTION_PARAMS) return { ...result, error: over('function parameters', params, MAX_FUNCTION_PARAMS) };
            r.skip(params);
            const results = r.u32();
            if (results > MAX_FUNCTION_RETURNS) return { ...result, error: over('function results', results, MAX_FUNCTION_RETURNS) };
            r.skip(results);
            paramCounts.push(params);
          }
          break;
        case 2: // imports: tables and memories imported count toward those limits
          if (count > MAX_IMPORTS) return { ...result, error: over('imports', count, MAX_IMPORTS) };
          for (let i = 0; i < count; i++) {
            r.skip(r.u32());
            r.skip(r.u32());
            const kind = r.byte();
            if (kind === 0) r.u32();
            else if (kind === 1) {
              if (!r.tableType()) return result;
              tables++;
            } else if (kind === 2) {
              r.limits();
              memories++;
            } else if (kind === 3) {
              const type = r.byte();
              if (type === 0x63 || type === 0x64) r.leb(63); // a typed reference's heap type
              r.byte(); // mutability
            } else if (kind === 4) {
              r.byte(); // a tag: its attribute, then its type index
              r.u32();
            } else return result;
          }
          break;
        case 3:
          if (count > MAX_FUNCTIONS) return { ...result, error: over('functions', count, MAX_FUNCTIONS) };
          for (let i = 0; i < count; i++) functionTypes.push(r.u32());
          break;
        case 4:
          tables += count;
          for (let i = 0; i < count; i++) {
            const t = r.tableType();
            if (!t) break; // its initializer is not read here: the rest of the section neither
            result.largestTable = Math.max(result.largestTable, t.min);
          }
          break;
        case 5:
          memories += count;
          break;
        case 6:
          if (count > MAX_GLOBALS) return { ...result, error: over('globals', count, MAX_GLOBALS) };
          break;
        case 7:
          if (count > MAX_EXPORTS) return { ...result, error: over('exports', count, MAX_EXPORTS) };
          break;
        case 9:
          if (count > MAX_ELEMENT_SEGMENTS) return { ...result, error: over('element segments', count, MAX_ELEMENT_SEGMENTS) };
          break;
        case 10: // code: each body's size, and its parameters and locals together
          for (let i = 0; i < count; i++) {
            const bodySize = r.u32();
            if (bodySize > MAX_FUNCTION_SIZE) return { ...result, error: `function ${i}'s body of ${bodySize} bytes exceeds the JS API's limit of ${MAX_FUNCTION_SIZE}` };
            const next = r.at + bodySize;
            const groups = r.u32();
            let locals = paramCounts[functionTypes[i]] ?? 0;
            for (let g = 0; g < groups; g++) {
              locals += r.u32();
              r.byte();
            }
            if (locals > MAX_FUNCTION_LOCALS) return { ...result, error: over(`function ${i}'s parameters and locals`, locals, MAX_FUNCTION_LOCALS) };
            r.at = next;
          }
          break;
        case 11:
          if (count > MAX_DATA_SEGMENTS) return { ...result, error: over('data segments', count, MAX_DATA_SEGMENTS) };
          break;
      }
      if (tables > MAX_TABLES) return { ...result, error: over('tables', tables, MAX_TABLES) };
      if (memories > MAX_MEMORIES) return { ...result, error: over('memories', memories, MAX_MEMORIES) };
    }
  } catch {
    // Malformed: the addon's decoder says how.
  }
  return result;
}
