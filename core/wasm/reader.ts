// A cursor over the bytes of a WebAssembly binary: the format's basic pieces (bytes, LEB128 numbers,
// names, section headers), shared by the TypeScript readers of modules (module-info.ts,
// feature-scan.ts, and the fuzzer's sections.ts and mutants/). Not a decoder: it checks only what
// keeps its place (that a read stays before `end`, that a LEB128 is no longer than allowed), not the
// unused bits of a number's last byte; what the bytes mean is for its users.

/** Magic and version: where the first section starts. */
export const HEADER_SIZE = 8;

/** What a Reader throws unless told otherwise: bytes it cannot read, with the spec's message for them. */
export class ReadError extends Error {
  constructor(
    message: string,
    /** the offset of what could not be read */
    readonly at: number,
  ) {
    super(message);
    this.name = 'ReadError';
  }
}

export interface ReaderOptions {
  /** where reading begins (default 0) */
  start?: number;
  /** where it stops: the bytes' end, or a section's or body's (default bytes.length) */
  end?: number;
  /** builds what the reader throws, so that each user keeps its own error (default ReadError) */
  error?: (message: string, at: number) => Error;
}

export interface SectionHeader {
  id: number;
  /** offset of the id byte */
  start: number;
  /** offset of the size field */
  sizeAt: number;
  /** offset of the first content byte */
  contentStart: number;
  /** one past the last content byte: past the bytes' end when the size says so (the caller decides) */
  end: number;
}

const UTF8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export class Reader {
  pos: number;
  end: number;
  private readonly error: (message: string, at: number) => Error;

  constructor(
    readonly bytes: Uint8Array,
    options: ReaderOptions = {},
  ) {
    this.pos = options.start ?? 0;
    this.end = options.end ?? bytes.length;
    this.error = options.error ?? ((message, at) => new ReadError(message, at));
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Throws this reader's error. */
  fail(message: string, at = this.pos): never {
    throw this.error(message, at);
  }

  u8(): number {
    if (this.pos >= this.end) this.fail('unexpected end');
    return this.bytes[this.pos++];
  }

  /** The next byte, left unread. */
  peek(): number {
    if (this.pos >= this.end) this.fail('unexpected end');
    return this.bytes[this.pos];
  }

  skip(n: number): void {
    if (n > this.end - this.pos) this.fail('unexpected end');
    this.pos += n;
  }

  /** The next `n` bytes (a view, not a copy). */
  take(n: number): Uint8Array {
    const start = this.pos;
    this.skip(n);
    return this.bytes.subarray(start, start + n);
  }

  /** An unsigned LEB128 of at most `maxBytes` bytes (5: a u32), as a number. */
  uleb(maxBytes = 5): number {
    return this.lebNumber(this.lebStart(maxBytes), false);
  }

  /** An unsigned LEB128 of at most `maxBytes` bytes (10: a u64), as a bigint. */
  ulebBigint(maxBytes = 10): bigint {
    return this.lebBigint(this.lebStart(maxBytes), false);
  }

  /** A signed LEB128 of at most `maxBytes` bytes (5: an s32 or s33, the heap and block types), as a number. */
  sleb(maxBytes = 5): number {
    return this.lebNumber(this.lebStart(maxBytes), true);
  }

  /** A signed LEB128 of at most `maxBytes` bytes (10: an s64), as a bigint. */
  slebBigint(maxBytes = 10): bigint {
    return this.lebBigint(this.lebStart(maxBytes), true);
  }

  /** Passes over a LEB128 of at most `maxBytes` bytes, signed or not (only the continuation bits matter). */
  skipLeb(maxBytes = 10): void {
    this.lebStart(maxBytes);
  }

  /** Passes over a LEB128 of at most `maxBytes` bytes; where it starts. */
  private lebStart(maxBytes: number): number {
    const at = this.pos;
    for (let i = 0; i < maxBytes; i++) if (!(this.u8() & 0x80)) return at;
    return this.fail('integer representation too long', at);
  }

  /** The value of the LEB128 just passed over, from `at`: exact as a number up to 2^53. */
  private lebNumber(at: number, signed: boolean): number {
    let value = 0;
    for (let i = this.pos - 1; i >= at; i--) value = value * 128 + (this.bytes[i] & 0x7f);
    return signed && this.bytes[this.pos - 1] & 0x40 ? value - 2 ** (7 * (this.pos - at)) : value;
  }

  /** The same as a bigint, exact at any length. */
  private lebBigint(at: number, signed: boolean): bigint {
    let value = 0n;
    for (let i = this.pos - 1; i >= at; i--) value = (value << 7n) | BigInt(this.bytes[i] & 0x7f);
    return signed && this.bytes[this.pos - 1] & 0x40 ? value - (1n << BigInt(7 * (this.pos - at))) : value;
  }

  /** A name: its length, then UTF-8 (malformed sequences decode to U+FFFD; validating them is the engines' job). */
  name(): string {
    return UTF8.decode(this.take(this.uleb()));
  }

  /** The header of the section at `pos` (its id and size); `pos` is left at its content. */
  sectionHeader(): SectionHeader {
    const start = this.pos;
    const id = this.u8();
    const sizeAt = this.pos;
    const size = this.uleb();
    return { id, start, sizeAt, contentStart: this.pos, end: this.pos + size };
  }
}
