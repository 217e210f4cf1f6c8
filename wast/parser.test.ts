import { describe, expect, test } from '@jest/globals';
import { parseScript } from './parser.js';
import { AssertReturn, Command, ModuleCommand } from './script.js';
import { WastSyntaxError } from './source.js';

const one = (text: string): Command => {
  const s = parseScript('p.wast', text);
  expect(s.commands).toHaveLength(1);
  return s.commands[0];
};

describe('parser', () => {
  test('text modules keep their script positions for the assembler', () => {
    const m = one('\n\n   (module $m (func))') as ModuleCommand;
    expect(m).toMatchObject({ kind: 'module', id: '$m', definition: false, loc: { line: 3, col: 4 } });
    expect(m.source.kind).toBe('text');
    const text = (m.source as { text: string }).text;
    expect(text.split('\n')).toHaveLength(3);
    expect(text.endsWith('   (module $m (func))')).toBe(true);
  });

  test('binary modules join their strings into bytes', () => {
    const m = one('(module binary "\\00asm" "\\01\\00\\00\\00")') as ModuleCommand;
    expect(m.source).toEqual({ kind: 'binary', bytes: Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]) });
  });

  test('quote modules become module text', () => {
    const m = one('(module $q quote "(func" ")")') as ModuleCommand;
    expect(m.source).toEqual({ kind: 'quote', text: '(module (func )' + ')' });
  });

  test('a quote whose text is a whole (module …) is that module, not wrapped again', () => {
    const whole = one('(module quote "(module (@custom \\"bla\\"))")') as ModuleCommand;
    expect(whole.source).toEqual({ kind: 'quote', text: '(module (@custom "bla"))' });
    const named = one('(module quote " ;; c\\n (; a (; nested ;) ;) (module $m" " (func))")') as ModuleCommand;
    expect(named.source).toEqual({ kind: 'quote', text: ' ;; c\n (; a (; nested ;) ;) (module $m  (func))' });
    // a field whose name only starts with "module" is no module
    const fields = one('(module quote "(modulex)")') as ModuleCommand;
    expect(fields.source).toEqual({ kind: 'quote', text: '(module (modulex))' });
  });

  test('module definition and module instance', () => {
    const s = parseScript('p.wast', '(module definition $D (func))\n(module instance $I $D)');
    expect(s.commands[0]).toMatchObject({ kind: 'module', definition: true, id: '$D' });
    expect((s.commands[0] as ModuleCommand).source).toMatchObject({ kind: 'text' });
    expect(((s.commands[0] as ModuleCommand).source as { text: string }).text).not.toContain('definition');
    expect(s.commands[1]).toEqual({ kind: 'module_instance', loc: expect.anything(), instanceId: '$I', moduleId: '$D' });
  });

  test('module instance with one name names the definition; with none, the last module', () => {
    const s = parseScript('p.wast', '(module instance $D)\n(module instance)\n(assert_unlinkable (module instance $D) "unknown import")');
    expect(s.commands[0]).toMatchObject({ kind: 'module_instance', instanceId: undefined, moduleId: '$D' });
    expect(s.commands[1]).toMatchObject({ kind: 'module_instance', instanceId: undefined, moduleId: undefined });
    expect(s.commands[2]).toMatchObject({ kind: 'assert_unlinkable', module: { kind: 'module_instance', moduleId: '$D' } });
  });

  test('a script of bare module fields is one inline module', () => {
    const m = one('(func (export "f"))\n(memory 1)') as ModuleCommand;
    expect(m.kind).toBe('module');
    expect((m.source as { text: string }).text).toBe('(module (func (export "f"))\n(memory 1))');
  });

  test('assert_return with every kind of result', () => {
    const c = one(`(assert_return (invoke $m "f" (i32.const -1) (i64.const 0xffff_ffff_ffff_ffff) (f32.const nan:0x1) (v128.const i16x8 1 2 3 4 5 6 7 -1) (ref.extern 7) (ref.null func))
      (i32.const 1) (f32.const nan:canonical) (f64.const nan:arithmetic) (v128.const f32x4 nan:canonical 1 -0 inf)
      (ref.null) (ref.func) (ref.extern) (ref.extern 3) (ref.host 2) (ref.struct) (either (i32.const 1) (i32.const 2)))`) as AssertReturn;
    expect(c.action).toMatchObject({ kind: 'invoke', moduleId: '$m', name: 'f' });
    const args = (c.action as { args: unknown[] }).args;
    expect(args[0]).toEqual({ type: 'i32', bits: 0xffffffff });
    expect(args[1]).toEqual({ type: 'i64', bits: 0xffffffffffffffffn });
    expect(args[2]).toEqual({ type: 'f32', bits: 0x7f800001 });
    expect(args[3]).toEqual({ type: 'v128', bytes: Uint8Array.from([1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0xff, 0xff]) });
    expect(args[4]).toEqual({ type: 'ref', ref: { kind: 'extern', id: 7 } });
    expect(args[5]).toEqual({ type: 'ref', ref: { kind: 'null', heap: 'func' } });
    expect(c.expected.map((e) => e.kind)).toEqual(['value', 'nan', 'nan', 'v128', 'ref', 'ref', 'ref', 'ref', 'ref', 'ref', 'either']);
    expect(c.expected[3]).toEqual({
      kind: 'v128',
      shape: 'f32x4',
      lanes: [{ kind: 'nan', nan: 'canonical' }, { kind: 'bits', bits: 0x3f800000n }, { kind: 'bits', bits: 0x80000000n }, { kind: 'bits', bits: 0x7f800000n }],
    });
    expect(c.expected.slice(4, 10).map((e) => (e as { pattern: unknown }).pattern)).toEqual([
      { kind: 'null', heap: undefined },
      { kind: 'func' },
      { kind: 'extern', id: undefined },
      { kind: 'extern', id: 3 },
      { kind: 'host', id: 2 },
      { kind: 'heap', heap: 'struct' },
    ]);
  });

  test('results of the 3.0 suite and of engines\' suites: every heap pattern, (ref.null <heap type>), (ref.func N)', () => {
    const c = one(`(assert_return (invoke "f") (ref.i31) (ref.eq) (ref.any) (ref.array) (ref.exn) (ref.null exn) (ref.null $t) (ref.null 3) (ref.func 7)
      (either (ref.func 1) (ref.null nofunc)))`) as AssertReturn;
    expect(c.expected.slice(0, 9).map((e) => (e as { pattern: unknown }).pattern)).toEqual([
      { kind: 'heap', heap: 'i31' },
      { kind: 'heap', heap: 'eq' },
      { kind: 'heap', heap: 'any' },
      { kind: 'heap', heap: 'array' },
      { kind: 'heap', heap: 'exn' },
      { kind: 'null', heap: 'exn' },
      { kind: 'null', heap: '$t' },
      { kind: 'null', heap: '3' },
      { kind: 'func', index: 7 },
    ]);
    expect(c.expected[9]).toEqual({
      kind: 'either',
      options: [
        { kind: 'ref', pattern: { kind: 'func', index: 1 } },
        { kind: 'ref', pattern: { kind: 'null', heap: 'nofunc' } },
      ],
    });
    expect(one('(assert_return (invoke "f") (ref.func 1 2))')).toMatchObject({ kind: 'bad' });
    expect(one('(assert_return (invoke "f") (ref.func x))')).toMatchObject({ kind: 'bad' });
  });

  test('every assertion kind parses', () => {
    const s = parseScript(
      'p.wast',
      `(assert_trap (invoke "f") "unreachable")
       (assert_trap (module (func)) "out of bounds")
       (assert_exhaustion (invoke "f") "call stack exhausted")
       (assert_exception (invoke "f"))
       (assert_invalid (module (func)) "type mismatch")
       (assert_malformed (module quote "(") "unexpected token")
       (assert_unlinkable (module binary "") "unknown import")
       (assert_uninstantiable (module (func)) "trap")
       (register "m" $m) (get "g") (invoke "f")
       (thread $T (shared (module $M)) (invoke "f")) (wait $T)`,
    );
    expect(s.commands.map((c) => c.kind)).toEqual([
      'assert_trap', 'assert_trap', 'assert_exhaustion', 'assert_exception', 'assert_invalid', 'assert_malformed',
      'assert_unlinkable', 'assert_uninstantiable', 'register', 'action', 'action', 'thread', 'wait',
    ]);
    expect(s.commands[11]).toMatchObject({ id: '$T', shared: ['$M'], commands: [{ kind: 'action' }] });
  });

  test('a bad directive is reported at its place and the rest of the script still parses', () => {
    const s = parseScript('p.wast', '(invoke "a")\n(assert_return (invoke "f" (i32.const 0x)) (i32.const 1))\n(bogus)\n(invoke "b")');
    expect(s.commands.map((c) => c.kind)).toEqual(['action', 'bad', 'bad', 'action']);
    expect(s.commands[1]).toMatchObject({ kind: 'bad', isAssertion: true, loc: { line: 2, col: 1 } });
    expect((s.commands[1] as { message: string }).message).toMatch(/\(at 2:39\)$/);
    expect(s.commands[2]).toMatchObject({ kind: 'bad', isAssertion: false, message: 'unknown directive "bogus" (at 3:2)', loc: { line: 3, col: 1 } });
  });

  test('unbalanced parentheses are an error of the whole file, with its position', () => {
    expect(() => parseScript('p.wast', '(module\n  (func')).toThrow(WastSyntaxError);
    expect(() => parseScript('p.wast', '(module\n  (func')).toThrow('p.wast:2:3: unclosed "("');
    expect(() => parseScript('p.wast', '(module))')).toThrow('p.wast:1:9: unexpected ")"');
  });
});
