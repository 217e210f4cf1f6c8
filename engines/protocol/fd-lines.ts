// Lines over a file descriptor with blocking calls, for the protocol's two ends in Node (the runner's side of a
// driver's pipes, the Node driver's stdin and stdout): the Engine interface is synchronous, so no event loop.
import { readSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export class FdLineReader {
  private buffered = '';
  private readonly chunk = Buffer.alloc(1 << 16);
  private readonly decoder = new StringDecoder('utf8'); // a character split between two reads stays whole

  constructor(private readonly fd: number) {}

  /** The next line without its '\n', or null at the end of input. */
  readLine(): string | null {
    for (;;) {
      const nl = this.buffered.indexOf('\n');
      if (nl >= 0) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        return line;
      }
      let n: number;
      try {
        n = readSync(this.fd, this.chunk, 0, this.chunk.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        if (code === 'EOF') return null;
        throw err;
      }
      if (n === 0) return null;
      this.buffered += this.decoder.write(this.chunk.subarray(0, n));
    }
  }
}

/** Writes the line and its '\n', all of it. */
export function writeLineTo(fd: number, line: string): void {
  const bytes = Buffer.from(line + '\n');
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
}
