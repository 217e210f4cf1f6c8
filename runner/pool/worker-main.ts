// A worker process: runs the files the runner sends it, one at a time, on one engine.
// Crashes and hangs stay here; the runner sees them and reports the file.
import { openSync, writeSync } from 'node:fs';
import { Assembler } from '../../wast/assembler.js';
import { createEngine } from '../engines/create-engine.js';
import { runFile } from '../run-files.js';
import { FAULTS_ENV, FromWorker, PROGRESS_BYTES, ToWorker, WorkerConfig } from './protocol.js';

type Fault = { file: string; line: number; kind: string };

function parseFaults(spec: string | undefined): Fault[] {
  if (!spec) return [];
  return spec.split(',').map((f) => {
    const m = /^(.+)@(\d+)=(segv|abort|hang)$/.exec(f.trim());
    if (!m) throw new Error(`${FAULTS_ENV}: cannot read "${f}"`);
    return { file: m[1], line: Number(m[2]), kind: m[3] };
  });
}

function fail(kind: string): void {
  if (kind === 'segv') process.kill(process.pid, 'SIGSEGV');
  else if (kind === 'abort') process.abort();
  else for (;;);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as WorkerConfig;
  const progress = openSync(process.argv[3], 'w');
  const line = Buffer.alloc(PROGRESS_BYTES);
  const engine = createEngine(config.engine);
  const assembler = await Assembler.load({ cacheDir: config.cacheDir });
  const faults = parseFaults(process.env[FAULTS_ENV]);
  const send = (m: FromWorker) => process.send!(m);

  process.on('message', (m: ToWorker) => {
    if (m.type !== 'run') return;
    const mine = faults.filter((f) => m.file.includes(f.file));
    const result = runFile(m.file, engine, assembler, {
      ...config.options,
      onDirective: (at, directive) => {
        line.fill(0x20);
        line.write(`${at} ${directive}`, 0, 'latin1');
        writeSync(progress, line, 0, PROGRESS_BYTES, 0);
        for (const f of mine) if (f.line === at) fail(f.kind);
      },
    });
    send({ type: 'result', result });
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}

main().catch((err) => {
  console.error(`mitey worker: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(70);
});
