// Runs the built `mitey` command line in a child process: for tests and scripts that check the CLI as users run it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { RunResult } from './run-result.js';

export const CLI = join(PACKAGE_ROOT, 'dist', 'runner', 'cli.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  json?: RunResult;
}

/** Runs `mitey <args…>`; with `withJson`, adds --json and returns the parsed result. */
export function runCli(args: string[], withJson = false, env: Record<string, string> = {}): CliRun {
  const dir = mkdtempSync(join(tmpdir(), 'mitey-'));
  const jsonPath = join(dir, 'result.json');
  try {
    const r = spawnSync(process.execPath, [CLI, ...args, ...(withJson ? ['--json', jsonPath] : [])], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ...env } });
    const json = withJson && r.status !== 2 ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as RunResult) : undefined;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, json };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
