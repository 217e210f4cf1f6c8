// Defines one jest test per directive of a .wast script, from a run of the script made when the
// test module loads: failures fail, passes pass, and what could not run (blocked, unsupported,
// assembler, skipped) is reported skipped — never as a pass.
import { describe, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Assembler } from '../../wast/assembler.js';
import { runScript } from '../../wast/interpreter.js';
import { parseScript } from '../../wast/parser.js';
import { DirectiveResult } from '../../wast/results.js';
import { Command, isAssertion } from '../../wast/script.js';
import { createEngine } from '../../engines/create-engine.js';

function flatten(commands: Command[]): Command[] {
  return commands.flatMap((c) => (c.kind === 'thread' ? [c, ...flatten(c.commands)] : [c]));
}

function explain(r: DirectiveResult): string {
  return [r.detail, r.expected && `expected ${r.expected}`, r.actual && `got ${r.actual}`, r.actualMessage && `message "${r.actualMessage}"`]
    .filter(Boolean)
    .join('\n');
}

export async function defineWastTests(file: string): Promise<void> {
  const engine = createEngine(process.env.MITEY_ENGINE ?? 'v8');
  const assembler = await Assembler.load();
  let script;
  try {
    script = parseScript(file, readFileSync(file, 'utf8'));
  } catch (err) {
    test(basename(file), () => {
      throw err;
    });
    return;
  }
  const result = runScript(script, { engine, assembler });
  const byPosition = new Map(result.results.map((r) => [`${r.line}:${r.col}`, r]));
  describe(`${basename(file)} on ${engine.name}`, () => {
    if (result.status !== 'ok') {
      test('the script runs to its end', () => {
        throw new Error(result.error);
      });
    }
    for (const c of flatten(script.commands)) {
      if (c.kind === 'thread' || c.kind === 'wait') continue;
      const name = `${c.loc.line}:${c.loc.col} ${c.kind}`;
      const r = byPosition.get(`${c.loc.line}:${c.loc.col}`);
      if (!r || r.outcome === 'passed') {
        if (isAssertion(c) || c.kind === 'bad' || !r) test(name, () => {});
      } else if (r.outcome === 'failed') {
        test(name, () => {
          throw new Error(explain(r));
        });
      } else {
        test.skip(`${name} (${r.outcome}: ${r.detail ?? ''})`, () => {});
      }
    }
  });
}
