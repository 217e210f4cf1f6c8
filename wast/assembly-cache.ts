// Assembled modules kept between runs: one pack file per script, keyed by the script's content, so
// a warm run assembles nothing and reads one file per script (creating thousands of small files
// costs more than wabt itself on a cold run).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';

export type Assembled = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

const MAGIC = 0x4359544d; // "MTYC"

function hash(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

export class AssemblyCache {
  private pack = new Map<string, Assembled>();
  private path: string | undefined;
  private dirty = false;

  /** `version` is part of every key: results of another assembler or other flags are never reused. */
  constructor(
    readonly dir: string,
    private readonly version: string,
  ) {}

  /** Loads the pack of a script (by its text); entries added while it is open are saved by close(). */
  open(scriptText: string): void {
    const key = hash(this.version, scriptText);
    this.path = join(this.dir, key.slice(0, 2), key);
    this.pack = readPack(this.path);
    this.dirty = false;
  }

  close(): void {
    if (this.path && this.dirty) writePack(this.path, this.pack);
    this.path = undefined;
    this.pack = new Map();
  }

  moduleKey(filename: string, text: string): string {
    return hash(filename, text).slice(0, 32);
  }

  get(key: string): Assembled | undefined {
    return this.pack.get(key);
  }

  set(key: string, value: Assembled): void {
    if (!this.path) return;
    this.pack.set(key, value);
    this.dirty = true;
  }

  /** The script's parsed form, kept in its pack too: a warm run neither assembles nor parses. */
  getParsed<T>(): T | undefined {
    const e = this.pack.get(PARSED_KEY);
    return e?.ok ? (deserialize(e.bytes) as T) : undefined;
  }

  setParsed(value: unknown): void {
    this.set(PARSED_KEY, { ok: true, bytes: serialize(value) });
  }
}

const PARSED_KEY = 'parsed-script-v1'.padEnd(32, '-');

function readPack(path: string): Map<string, Assembled> {
  const out = new Map<string, Assembled>();
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    return out;
  }
  if (buf.length < 4 || buf.readUInt32LE(0) !== MAGIC) return out;
  let at = 4;
  while (at + 37 <= buf.length) {
    const key = buf.toString('latin1', at, at + 32);
    const ok = buf[at + 32] === 0;
    const len = buf.readUInt32LE(at + 33);
    at += 37;
    if (at + len > buf.length) return new Map(); // torn: start over rather than trust it
    const data = buf.subarray(at, at + len);
    out.set(key, ok ? { ok: true, bytes: new Uint8Array(data) } : { ok: false, message: data.toString('utf8') });
    at += len;
  }
  return out;
}

/** Written to a temporary name, then renamed: readers never see half a pack. */
function writePack(path: string, pack: Map<string, Assembled>): void {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(4);
  head.writeUInt32LE(MAGIC, 0);
  parts.push(head);
  for (const [key, v] of pack) {
    const data = v.ok ? Buffer.from(v.bytes) : Buffer.from(v.message, 'utf8');
    const entry = Buffer.alloc(37);
    entry.write(key, 0, 32, 'latin1');
    entry[32] = v.ok ? 0 : 1;
    entry.writeUInt32LE(data.length, 33);
    parts.push(entry, data);
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat(parts));
    renameSync(tmp, path);
  } catch {
    // A cache that cannot be written only costs time.
  }
}
