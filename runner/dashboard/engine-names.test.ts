// Engine names are any string (`cmd:node ./driver.js`): quoted in the commands the page offers, and made plain
// file names for the history.
import { expect, test } from '@jest/globals';
import { engineFileStem } from './build-dashboard.js';
import { fileRerun, shellWord } from './rerun-command.js';

test('a plain engine name is as is in a command; one with spaces or quotes is one shell word', () => {
  expect(shellWord('v8-node')).toBe('v8-node');
  expect(shellWord("cmd:node it's.js")).toBe(`'cmd:node it'\\''s.js'`);
  expect(fileRerun('/s/a.wast', 'cmd:d8 --x')).toBe(`npx mitey wast "/s/a.wast" --engine 'cmd:d8 --x'`);
});

test('history file names: plain names kept, others made one word that no other name shares', () => {
  expect(engineFileStem('jit')).toBe('jit');
  const a = engineFileStem('cmd:node ./drivers/a.js');
  expect(a).toMatch(/^cmd_node_._drivers_a.js-[0-9a-f]{8}$/);
  expect(engineFileStem('cmd:node ./drivers_a.js')).not.toBe(a);
});
