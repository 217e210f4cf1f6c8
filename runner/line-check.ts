// --line N runs the directive at line N of one file: a line where no directive starts would run nothing,
// which is an error that says where the directives around it are.
import { readFileSync } from 'node:fs';
import { scanAssertions } from '../wast/assertion-scan.js';
import { parseScript } from '../wast/parser.js';
import { Command } from '../wast/script.js';

function directiveLines(commands: Command[], into: Set<number>): Set<number> {
  for (const c of commands) {
    into.add(c.loc.line);
    if (c.kind === 'thread') directiveLines(c.commands, into);
  }
  return into;
}

export function checkLine(file: string, line: number): void {
  const text = readFileSync(file, 'utf8');
  let lines: Set<number>;
  try {
    lines = directiveLines(parseScript(file, text).commands, new Set());
  } catch {
    // A script that cannot be parsed: where its assertions are is all that can be known.
    lines = new Set(scanAssertions(text).map((a) => a.line));
  }
  if (lines.has(line)) return;
  let before = 0;
  let after = Infinity;
  for (const l of lines) {
    if (l < line && l > before) before = l;
    if (l > line && l < after) after = l;
  }
  const near = [before ? String(before) : '', after !== Infinity ? String(after) : ''].filter(Boolean);
  const where = near.length === 2 ? `; the nearest start at lines ${near.join(' and ')}` : near.length ? `; the nearest starts at line ${near[0]}` : '; it has none';
  throw new Error(`--line ${line}: no directive starts at line ${line} of ${file}${where}`);
}
