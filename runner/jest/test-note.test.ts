// `npm test` prints nothing but jest's own report: figures go through testNote, to $MITEY_TEST_NOTES when set.
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { testNote } from '../../core/test-note.js';

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return testFiles(path);
    return entry.endsWith('.test.ts') ? [path] : [];
  });
}

describe('tests are quiet', () => {
  const saved = process.env.MITEY_TEST_NOTES;
  afterEach(() => {
    if (saved === undefined) delete process.env.MITEY_TEST_NOTES;
    else process.env.MITEY_TEST_NOTES = saved;
    jest.restoreAllMocks();
  });

  test('no test file writes to the console (jest shows every console call as a block with a stack trace)', () => {
    const printing = ['wast', 'runner', 'jit', 'fuzz']
      .flatMap((d) => testFiles(join(PACKAGE_ROOT, d)))
      .flatMap((file) =>
        // Template literals blanked (lines kept): scripts that a test hands to a child process may print.
        readFileSync(file, 'utf8')
          .replace(/`(?:\\[\s\S]|[^`\\])*`/g, (t) => t.replace(/[^\n]/g, ' '))
          .split('\n')
          .map((text, i) => ({ text, where: `${relative(PACKAGE_ROOT, file)}:${i + 1}` }))
          .filter(({ text }) => /\bconsole\.(log|info|warn|error|debug|dir|table)\(|process\.(stdout|stderr)\.write\(/.test(text))
          .map(({ where }) => where),
      );
    expect(printing).toEqual([]);
  });

  test('a note goes nowhere when $MITEY_TEST_NOTES is not set', () => {
    delete process.env.MITEY_TEST_NOTES;
    const log = jest.spyOn(console, 'log');
    const write = jest.spyOn(process.stdout, 'write');
    testNote('figures: %d passed', 3);
    expect(log).not.toHaveBeenCalled();
    expect(write).not.toHaveBeenCalled();
  });

  test('with $MITEY_TEST_NOTES, notes are appended to that file a line each, formatted as console.log would', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mitey-notes-'));
    try {
      process.env.MITEY_TEST_NOTES = join(dir, 'notes.txt');
      testNote('figures: %d passed', 3, { failed: 0 });
      testNote('second\n');
      expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('figures: 3 passed { failed: 0 }\nsecond\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
