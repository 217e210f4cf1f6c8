import { expect, test } from '@jest/globals';
import { Progress } from './progress.js';

function stream(isTTY: boolean) {
  const out: string[] = [];
  return { out, s: { isTTY, write: (x: string) => out.push(x) } as unknown as NodeJS.WriteStream };
}

test('on a terminal: a redrawn status line with files, assertions per second and ETA', () => {
  const ci = process.env.CI;
  delete process.env.CI;
  try {
    const { out, s } = stream(true);
    const p = new Progress(4, s);
    p.fileDone(100);
    p.log('ok a.wast');
    const text = out.join('');
    expect(text).toMatch(/\[######------------------\] 1\/4 files, \d+ assertions\/s, ETA \d+ s/);
    expect(text).toContain('ok a.wast\n');
  } finally {
    if (ci !== undefined) process.env.CI = ci;
  }
});

test('elsewhere (a pipe, CI): plain lines only', () => {
  const { out, s } = stream(false);
  const p = new Progress(4, s);
  p.fileDone(100);
  p.log('ok a.wast');
  p.end();
  expect(out.join('')).toBe('ok a.wast\n');
});
