// The protocol driver for the engines of this project (`node node-driver.js jit|v8-node|v8`): any of them served
// over stdin/stdout, for the protocol's own tests and for measuring what the protocol costs against in-process.
import { readSync, writeSync } from 'node:fs';
import { createEngine } from '../create-engine.js';
import { EngineServer } from '../protocol/server.js';

const name = process.argv[2] ?? 'v8-node';
const engine = createEngine(name);
const chunk = Buffer.alloc(1 << 16);
let buffered = '';

function readLine(): string | null {
  for (;;) {
    const nl = buffered.indexOf('\n');
    if (nl >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      return line;
    }
    let n: number;
    try {
      n = readSync(0, chunk, 0, chunk.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((err as NodeJS.ErrnoException).code === 'EOF') return null;
      throw err;
    }
    if (n === 0) return null;
    buffered += chunk.toString('utf8', 0, n);
  }
}

function writeLine(line: string): void {
  const bytes = Buffer.from(line + '\n');
  for (let at = 0; at < bytes.length; ) at += writeSync(1, bytes, at);
}

new EngineServer(engine, { name: engine.name, version: engine.version, dialect: engine.dialect ?? engine.name }).serve({ readLine, writeLine });
