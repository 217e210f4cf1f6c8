// A live status line on a terminal: files done, assertions per second, time left. Plain output
// elsewhere (CI, pipes), where a redrawn line would only be noise.
export class Progress {
  private done = 0;
  private assertions = 0;
  private readonly started = performance.now();
  private readonly live: boolean;

  constructor(
    private readonly totalFiles: number,
    private readonly stream: NodeJS.WriteStream = process.stdout,
  ) {
    this.live = Boolean(stream.isTTY) && !process.env.CI && totalFiles > 1;
  }

  /** Prints a line above the status line. */
  log(line: string): void {
    if (this.live) this.stream.write('\r\x1b[2K');
    this.stream.write(line + '\n');
    if (this.live) this.draw();
  }

  fileDone(assertions: number): void {
    this.done++;
    this.assertions += assertions;
    if (this.live) this.draw();
  }

  end(): void {
    if (this.live) this.stream.write('\r\x1b[2K');
  }

  private draw(): void {
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? Math.round(this.assertions / seconds) : 0;
    const left = this.done > 0 ? (seconds / this.done) * (this.totalFiles - this.done) : 0;
    const width = 24;
    const filled = Math.round((width * this.done) / this.totalFiles);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    this.stream.write(`\r\x1b[2K[${bar}] ${this.done}/${this.totalFiles} files, ${rate} assertions/s, ETA ${left.toFixed(0)} s`);
  }
}
