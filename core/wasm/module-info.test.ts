import { describe, expect, test } from '@jest/globals';
import { readModuleLayout } from './module-info.js';
import { HEADER, name, section } from './writer.js';

// A module written byte by byte: the reader is no validator, these bytes only need to be readable.
const TYPES = [
  [0x4e, 2, 0x5f, 1, 0x7f, 0, 0x5e, 0x78, 1], // (rec (struct (field i32)) (array (mut i8)))
  [0x50, 0, 0x60, 1, 0x64, 0, 1, 0x63, 1], // (sub (func (param (ref 0)) (result (ref null 1))))
  [0x4d, 0, 0x5f, 0], // (descriptor 0) (struct): custom descriptors
];
const BYTES = Uint8Array.from([
  ...HEADER,
  ...section(1, TYPES),
  ...section(3, [[2]]), // one function of type 2
  ...section(6, [
    [0x64, 0x62, 0, 0, 0xfb, 0x20, 0, 0x0b], // (global (ref exact 0) (struct.new_desc 0 …))
    [0x6e, 0, 0xfb, 0x1c, 0x0b], // (global anyref (ref.i31 …))
  ]),
  ...section(7, [
    [...name('f'), 0, 0],
    [...name('g'), 3, 0],
    [...name('h'), 3, 1],
  ]),
]);

describe('readModuleLayout', () => {
  const layout = readModuleLayout(BYTES);

  test('the type section as it is, with the kind of every type it defines', () => {
    expect(layout.types.groups).toBe(3);
    expect(Array.from(layout.types.body)).toEqual(TYPES.flat());
    expect(layout.types.kinds).toEqual(['struct', 'array', 'func', 'struct']);
  });

  test('exports with their types, concrete and exact references included, past GC and descriptor constants', () => {
    expect(layout.exports).toEqual([
      {
        name: 'f',
        kind: 'func',
        typeIndex: 2,
        type: { params: [{ ref: true, nullable: false, heap: '0' }], results: [{ ref: true, nullable: true, heap: '1' }] },
      },
      { name: 'g', kind: 'global', type: { type: { ref: true, nullable: false, heap: '0', exact: true }, mutable: false } },
      { name: 'h', kind: 'global', type: { type: { ref: true, nullable: true, heap: 'any' }, mutable: false } },
    ]);
  });
});
