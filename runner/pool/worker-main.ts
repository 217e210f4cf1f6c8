// A worker process: runs the files the runner sends it, one at a time, on one engine.
// Crashes and hangs stay here; the runner sees them and reports the file.
import { Assembler } from '../../wast/assembler.js';
import { createEngine } from '../../engines/create-engine.js';
import { runFile } from '../run-files.js';
import { watchParent } from './parent-watch.js';
import { ProgressWriter } from './progress-file.js';
import { DRIVER_DIED_EXIT, FAULTS_ENV, FromWorker, PROGRESS_FD, ToWorker, WorkerConfig } from './protocol.js';

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
  watchParent();
  const config = JSON.parse(process.argv[2]) as WorkerConfig;
  const progress = new ProgressWriter(PROGRESS_FD);
  // A protocol engine's driver that dies ends the file as a crash, named in the progress file for the runner.
  const engine = createEngine(config.engine, config.v8Flags, {
    onDriverDied: (message) => {
      progress.died(message);
      process.exit(DRIVER_DIED_EXIT);
    },
  });
  const assembler = await Assembler.load({ cacheDir: config.cacheDir });
  const faults = parseFaults(process.env[FAULTS_ENV]);
  const send = (m: FromWorker) => process.send!(m);

  process.on('message', (m: ToWorker) => {
    if (m.type !== 'run') return;
    const mine = faults.filter((f) => m.file.includes(f.file));
    progress.startFile();
    const result = runFile(m.file, engine, assembler, {
      ...config.options,
      onDirective: (at, directive) => {
        progress.directive(at, directive);
        for (const f of mine) if (f.line === at) fail(f.kind);
      },
      onRecord: (r) => progress.record(r),
    });
    send({ type: 'result', result });
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', engine: { name: engine.name, version: engine.version, features: [...engine.features].sort(), ...(engine.dialect ? { dialect: engine.dialect } : {}) } });
}

main().catch((err) => {
  console.error(`mitey worker: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(70);
});
