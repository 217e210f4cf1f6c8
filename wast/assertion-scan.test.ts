// The lexical scan finds exactly the assertions the parser finds, where the parser can parse; and counts
// them where it cannot (what a file that did not run to its end is charged with).
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { scanAssertions } from './assertion-scan.js';
import { parseScript } from './parser.js';
import { Command, isAssertion } from './script.js';

function wastFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) wastFiles(p, out);
    else if (e.endsWith('.wast')) out.push(p);
  }
  return out;
}

/** line:col of each assertion the parser sees, thread bodies included, in order. */
function parsedAssertions(file: string, text: string): string[] {
  const flat = (cs: Command[]): Command[] => cs.flatMap((c) => (c.kind === 'thread' ? flat(c.commands) : [c]));
  return flat(parseScript(file, text).commands)
    .filter((c) => isAssertion(c) || (c.kind === 'bad' && c.isAssertion))
    .map((c) => `${c.loc.line}:${c.loc.col}`);
}

const at = (text: string) => scanAssertions(text).map((a) => `${a.line}:${a.col} ${a.kind}`);

describe('scanAssertions', () => {
  test('skips comments (nested block comments too) and strings, and sees names after white space or comments', () => {
    const text = [
      ';; (assert_return (invoke "a"))',
      '(; (assert_trap (; nested ;) (assert_trap) ;)',
      '(module quote "(assert_return (invoke \\"q\\"))")',
      '( assert_invalid (module) "x")  (;c;)(;c;)(assert_trap (invoke "t") "u")',
      '(assert_return;x (invoke "reserved token, not an assertion"))',
      '(thread $T (assert_exhaustion (invoke "deep") "s"))',
    ].join('\n');
    expect(at(text)).toEqual(['4:1 assert_invalid', '4:43 assert_trap', '6:12 assert_exhaustion']);
  });

  test('counts what an unbalanced file holds', () => {
    const text = readFileSync(join(PACKAGE_ROOT, 'fixtures', 'failing', 'unbalanced.wast'), 'utf8');
    expect(() => parseScript('unbalanced.wast', text)).toThrow(/unclosed/);
    expect(at(text)).toEqual(['3:1 assert_return', '4:1 assert_return', '5:1 assert_return']);
  });

  const suites = [join(PACKAGE_ROOT, 'fixtures'), process.env.MITEY_TESTSUITE, process.env.MITEY_TESTSUITE_2].filter((d): d is string => Boolean(d));
  test.each(suites)('agrees with the parser on every parsable file of %s', (dir) => {
    let files = 0;
    for (const file of wastFiles(dir)) {
      const text = readFileSync(file, 'utf8');
      let parsed: string[];
      try {
        parsed = parsedAssertions(file, text);
      } catch {
        continue; // fixtures/failing/unbalanced.wast
      }
      files++;
      expect({ file, at: scanAssertions(text).map((a) => `${a.line}:${a.col}`) }).toEqual({ file, at: parsed });
    }
    expect(files).toBeGreaterThan(10);
  });
});
