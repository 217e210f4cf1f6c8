// Engines reached through the engine protocol: the JavaScript shells Debian packages (SpiderMonkey's js102,
// JavaScriptCore's jsc), each running our JS driver, and any `cmd:<command line>`. An engine whose program is
// not installed is absent, and says how to install it.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { ProtocolEngine, ProtocolEngineOptions } from './protocol/protocol-engine.js';

const SHELL_DRIVER = join(PACKAGE_ROOT, 'dist', 'engines', 'drivers', 'js-shell-driver.js');

export interface ShellEngine {
  name: string;
  /** The program, looked up on PATH. */
  program: string;
  /** The Debian package that brings it. */
  debianPackage: string;
  /** What its version is, from the program or its package. */
  version: (path: string) => string;
}

function packageVersion(pkg: string): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export const SHELL_ENGINES: readonly ShellEngine[] = [
  {
    name: 'spidermonkey',
    program: 'js102',
    debianPackage: 'libmozjs-102-dev',
    version: (path) => {
      try {
        return `SpiderMonkey ${execFileSync(path, ['--version'], { encoding: 'utf8' }).trim().replace(/^JavaScript-C/, '')}`;
      } catch {
        return `SpiderMonkey ${packageVersion('libmozjs-102-dev')}`;
      }
    },
  },
  {
    name: 'jsc',
    program: 'jsc',
    debianPackage: 'libjavascriptcoregtk-4.0-bin',
    version: () => `JavaScriptCore (WebKitGTK ${packageVersion('libjavascriptcoregtk-4.0-bin').replace(/-.*/, '')})`,
  },
];

/** The program's path on PATH, or undefined. */
export function findProgram(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, program);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const installCommand = (e: ShellEngine) => `sudo apt-get install ${e.debianPackage}`;

/** A shell engine's absence: the reason and the command that installs it; undefined when it is installed. */
export function absence(name: string): { engine: string; install: string } | undefined {
  const e = SHELL_ENGINES.find((s) => s.name === name);
  if (!e || findProgram(e.program)) return undefined;
  return { engine: name, install: installCommand(e) };
}

export class EngineAbsentError extends Error {}

/**
 * The engines of a comma-separated list (`--engines`), each trimmed; a comma inside single or double quotes does not
 * separate, for a `cmd:` engine's command line.
 */
export function splitEngineList(text: string): string[] {
  const out = [''];
  let quote = '';
  for (const ch of text) {
    if (quote) quote = ch === quote ? '' : quote;
    else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ',') {
      out.push('');
      continue;
    }
    out[out.length - 1] += ch;
  }
  return out.map((e) => e.trim());
}

/** Splits a command line on blanks, with '…' and "…" quoting (no other shell syntax). */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** The protocol engine of that name (`spidermonkey`, `jsc`, `cmd:<command line>`), or undefined for another name. */
export function createProtocolEngine(name: string, options: ProtocolEngineOptions = {}): ProtocolEngine | undefined {
  if (name.startsWith('cmd:')) {
    const argv = splitCommandLine(name.slice(4));
    if (argv.length === 0) throw new EngineAbsentError('cmd: needs a command line (cmd:<program> <arguments…>)');
    return new ProtocolEngine(name, argv, options);
  }
  const shell = SHELL_ENGINES.find((s) => s.name === name);
  if (!shell) return undefined;
  const path = findProgram(shell.program);
  if (!path) throw new EngineAbsentError(`${name} is not installed (${shell.program} is not on PATH): ${installCommand(shell)}`);
  return new ProtocolEngine(name, [path, '-m', SHELL_DRIVER], { version: shell.version(path), ...options });
}
