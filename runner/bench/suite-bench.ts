// npm run bench:suite: the whole Wasm 2.0 suite on our runner with the JIT, cold (empty module
// cache) and warm, against wabt's own harness (wast2json + spectest-interp, Debian's wabt) in the
// same run. Wall times and ratios; nothing asserted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../cli-run.js';
import { PACKAGE_ROOT } from '../../core/package-root.js';

function seconds(fn: () => void): number {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
}

function has(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

function runOurs(suite: string, engine: string, cacheDir: string): number {
  return seconds(() => {
    const r = spawnSync(process.execPath, [CLI, 'wast', suite, '--engine', engine, '--quiet'], {
      encoding: 'utf8',
      env: { ...process.env, MITEY_CACHE_DIR: cacheDir },
    });
    if (r.status !== 0) throw new Error(`mitey failed on ${suite}:\n${r.stdout}\n${r.stderr}`);
  });
}

/** wabt's harness as its own test runner uses it: each script to JSON and binaries, then the interpreter. */
function runWabt(suite: string): { seconds: number; failedFiles: number } {
  const work = mkdtempSync(join(tmpdir(), 'mitey-wabt-'));
  let failedFiles = 0;
  const files = readdirSync(suite).filter((f) => f.endsWith('.wast'));
  const s = seconds(() => {
    for (const f of files) {
      const json = join(work, f.replace(/\.wast$/, '.json'));
      const a = spawnSync('wast2json', [join(suite, f), '-o', json], { stdio: 'ignore' });
      const b = a.status === 0 ? spawnSync('spectest-interp', [json], { stdio: 'ignore' }) : a;
      if (b.status !== 0) failedFiles++;
    }
  });
  rmSync(work, { recursive: true, force: true });
  return { seconds: s, failedFiles };
}

function main(): void {
  const suite = process.argv[2] ?? process.env.MITEY_TESTSUITE_2 ?? join(PACKAGE_ROOT, '..', 'shared', 'testsuite-2.0');
  const engine = process.argv[3] ?? 'jit';
  const cacheDir = mkdtempSync(join(tmpdir(), 'mitey-cache-'));
  console.log(`suite ${suite}; our runner on ${engine}`);
  const cold = runOurs(suite, engine, cacheDir);
  const warm = runOurs(suite, engine, cacheDir);
  rmSync(cacheDir, { recursive: true, force: true });
  console.log(`mitey cold (empty module cache): ${cold.toFixed(2)} s`);
  console.log(`mitey warm (module cache filled): ${warm.toFixed(2)} s`);
  if (has('wast2json') && has('spectest-interp')) {
    const wabt = runWabt(suite);
    console.log(`wabt wast2json + spectest-interp: ${wabt.seconds.toFixed(2)} s (${wabt.failedFiles} files with failures in wabt's own run)`);
    console.log(`ratio cold/wabt ${(cold / wabt.seconds).toFixed(2)}, warm/wabt ${(warm / wabt.seconds).toFixed(2)}`);
  } else {
    console.log("wabt's harness not found (Debian: apt-get install wabt): no comparison");
  }
}

main();
