// A stacked bar's segments: proportional, but no non-zero count thinner than the floor.
import { expect, test } from '@jest/globals';
import { segmentWidths } from './bar-widths.js';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

test('17 failures among 64,094 assertions get the floor; the widths still fill the bar', () => {
  const w = segmentWidths([59400, 17, 0, 1648, 379, 2650], 1000, 6);
  expect(w[1]).toBe(6);
  expect(w[2]).toBe(0);
  expect(sum(w)).toBeCloseTo(1000, 6);
  expect(w[0]).toBeGreaterThan(900);
  expect(w[0] / w[5]).toBeCloseTo(59400 / 2650, 6); // the others keep their proportions
});

test('counts wide enough already are proportional', () => {
  expect(segmentWidths([1, 1, 2], 100, 5)).toEqual([25, 25, 50]);
});

test('a segment pushed below the floor by another one pinned is pinned too', () => {
  const w = segmentWidths([1000, 1, 60], 100, 6);
  expect(w[1]).toBe(6);
  expect(w[2]).toBeGreaterThanOrEqual(6);
  expect(sum(w)).toBeCloseTo(100, 6);
});

test('nothing to show, or no room for proportions', () => {
  expect(segmentWidths([0, 0], 100, 5)).toEqual([0, 0]);
  expect(segmentWidths([1, 1000, 0], 8, 5)).toEqual([4, 4, 0]);
});
