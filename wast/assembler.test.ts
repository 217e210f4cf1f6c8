import { beforeAll, describe, expect, test } from '@jest/globals';
import { Assembler, AssemblerError } from './assembler.js';
import { escapeBidi } from './bidi-escape.js';
import { parseScript } from './parser.js';
import { malformedInSpec } from './spec-version.js';

let assembler: Assembler;
beforeAll(async () => {
  assembler = await Assembler.load();
});

const errorOf = (text: string, file = 'x.wast'): string => {
  try {
    assembler.assemble(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(AssemblerError);
    return (err as Error).message;
  }
  throw new Error('assembled');
};

describe('assembler', () => {
  test('GC and typed references, with a reference to a later type', () => {
    const bytes = assembler.assemble(`(module
      (type $pair (func (param (ref $point)) (result i32)))
      (rec (type $point (struct (field $x (mut i32)) (field i8))) (type $list (array (ref null $point))))
      (func (type $pair) (struct.get $point $x (local.get 0)))
      (func (result (ref i31)) (ref.i31 (i32.const 1))))`);
    expect([...bytes.slice(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]);
  });

  test('the folded legacy try, through wabt', () => {
    const bytes = assembler.assemble('(module (tag $e) (func (result i32) (try (result i32) (do (throw $e)) (catch $e (i32.const 1)) (catch_all (i32.const 2)))))');
    expect([...bytes.slice(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]);
    expect(errorOf('(module (func (try (do (i32.const 1 foo)))))', 'legacy.wast')).toMatch(/^legacy\.wast:1:\d+: error: .*\(wabt, for the folded legacy try\)/);
  });

  test("positions of a module's errors are the script's own", () => {
    const script = parseScript('dir/s.wast', '(module)\n\n;; comment\n  (module\n    (func (i32.add) (foo)))\n');
    const second = script.commands[1] as { source: { text: string } };
    expect(errorOf(second.source.text, 'dir/s.wast').split('\n')[0]).toBe('dir/s.wast:5:22: error: unknown operator or unexpected token');
  });

  test('messages carry no stray bytes after the file name, from either assembler', () => {
    for (const file of ['../shared/testsuite/br_table.wast', '../shared/testsuite/annotations.wast', 'a.wast']) {
      expect(errorOf('(module (foo))', file).split('\n')[0]).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')}:1:10: error: `));
      expect(errorOf('(module (func (try (do (foo)))))', file).split('\n')[0]).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')}:1:\\d+: error: `));
    }
  });

  test('raw bidi characters in strings are escaped, so names.wast:19 assembles', () => {
    expect(escapeBidi('(export "a\u202eb") ;; \u202e\n')).toBe('(export "a\\u{202e}b") ;;  \n');
    expect(() => assembler.assemble('(module (func (export "a\u202e\u2066b")))')).not.toThrow();
  });

  test('64-bit limit literals: malformed under 2.0, read (and left to validation) under 3.0', () => {
    const text = '(module (memory 0x1_0000_0000))';
    expect(() => assembler.assemble(text)).not.toThrow();
    expect(malformedInSpec(text, '2.0')).toMatch(/^i32 constant out of range/);
    expect(malformedInSpec(text, '3.0')).toBeUndefined();
    expect(malformedInSpec('(module (table 0 0x1_0000_0000 funcref))', '2.0')).toMatch(/^i32 constant out of range/);
    expect(malformedInSpec('(module (table 0 0xffff_ffff funcref) (memory (export "m") 1))', '2.0')).toBeUndefined();
  });

  test('two start fields are malformed in either version', () => {
    const text = '(module (func $a) (start $a) (start $a))';
    expect(malformedInSpec(text, '3.0')).toMatch(/^multiple start sections/);
    expect(malformedInSpec(text, '2.0')).toMatch(/^multiple start sections/);
  });

  test('catch clauses outside a try are malformed; inside one they are not', () => {
    expect(malformedInSpec('(module (func (catch_all)))', '3.0')).toMatch(/^unexpected token/);
    expect(malformedInSpec('(module (tag $e) (func (catch $e)))', '3.0')).toMatch(/^unexpected token/);
    expect(malformedInSpec('(module (tag $e) (func (try (do) (catch $e) (catch_all)) (block (try_table (catch $e 0)))))', '3.0')).toBeUndefined();
  });

  test('disassembly stays with wabt', () => {
    expect(assembler.disassemble(assembler.assemble('(module (func (export "f")))'))).toMatch(/\(func .*\(export "f"\)/);
  });
});
