// A benchmark worker process: measures one kernel on one engine (or, for a boundary job, the
// calls across the JS/wasm boundary: boundary-worker.ts; for a compile job, one module's compile:
// compile-worker.ts). The job comes as JSON on stdin,
// the reply goes out as one JSON line on stdout; exit status 1 when the kernel could not be
// measured (a compile error, a trap, an inconsistent checksum). Run by the benchmark with the
// engine configuration's node flags, never by hand.
import { jitAdapter, v8Adapter, v8Tier } from './adapters.js';
import { measureBoundary } from './boundary-worker.js';
import { measureCompile } from './compile-worker.js';
import { measure } from './measure.js';
import type { WorkerJob, WorkerReply } from './protocol.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// The process's high-water mark of resident memory (Node itself, the compiled code, the heap the
// kernel grew), read after the runs so that it covers them and costs none of their time.
const peakRssKiB = (): number => process.resourceUsage().maxRSS;

async function work(job: WorkerJob): Promise<WorkerReply> {
  if (job.kind === 'boundary') return { ok: true, boundary: await measureBoundary(job) };
  if (job.kind === 'compile') return { ok: true, compile: await measureCompile(job) };
  const bytes = new Uint8Array(Buffer.from(job.wasm, 'base64'));
  if (job.engine === 'jit') {
    const { run: _run, ...measurement } = measure(await jitAdapter(), bytes, job.arg, job.runs);
    return { ok: true, measurement: { ...measurement, peakRssKiB: peakRssKiB() } };
  }
  const { run, ...measurement } = measure(v8Adapter, bytes, job.arg, job.runs);
  return { ok: true, measurement: { ...measurement, tier: v8Tier(run), peakRssKiB: peakRssKiB() } };
}

async function main(): Promise<void> {
  let reply: WorkerReply;
  try {
    reply = await work(JSON.parse(await readStdin()) as WorkerJob);
  } catch (err) {
    const e = err as Error;
    reply = { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(err) };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
  process.exitCode = reply.ok ? 0 : 1;
}

await main();
