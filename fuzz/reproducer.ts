// A disagreement as a .wast script a person reads and `mitey wast` replays: the module's text and,
// for each call, one engine's result as the expectation (the fuzzer's: the majority's, else the reference's), then
// each exported global's value after them.
import { Assembler } from '../wast/assembler.js';
import { Engine } from '../wast/engine.js';
import { f32BitsToHex, f64BitsToHex } from '../wast/literals.js';
import { Value } from '../core/values.js';
import { Finding } from './differential.js';
import { runCase } from './oracle.js';

function constant(v: Value): string {
  switch (v.type) {
    case 'i32':
      return `(i32.const ${v.bits | 0})`;
    case 'i64':
      return `(i64.const ${BigInt.asIntN(64, v.bits)})`;
    case 'f32':
      return `(f32.const ${f32BitsToHex(v.bits)})`;
    case 'f64':
      return `(f64.const ${f64BitsToHex(v.bits)})`;
    case 'v128':
      return `(v128.const i8x16 ${Array.from(v.bytes, (b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ')})`;
    default:
      throw new Error(`no constant for ${v.type}`);
  }
}

/** A result as an expectation: a NaN as the spec's pattern (its bits are left open), the rest exact. */
function expectation(v: Value): string {
  if (v.type === 'f32' && (v.bits & 0x7fc00000) === 0x7fc00000) return '(f32.const nan:arithmetic)';
  if (v.type === 'f64' && (v.bits & 0x7ff8000000000000n) === 0x7ff8000000000000n) return '(f64.const nan:arithmetic)';
  return constant(v);
}

export function reproducer(f: Pick<Finding, 'case' | 'what' | 'seed' | 'path'>, reference: Engine, assembler: Assembler): string {
  const text = assembler.disassemble(f.case.bytes) ?? `(module binary "${Array.from(f.case.bytes, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}")`;
  const run = runCase(reference, f.case.bytes, f.case.calls);
  const lines = [
    `;; Found by mitey fuzz: ${f.what.replace(/\n/g, ' ')}`,
    `;; Replay: seed ${f.seed}, path "${f.path}". Expectations are ${reference.name}'s results.`,
    '',
    text.trim(),
    '',
  ];
  f.case.calls.forEach((c, i) => {
    const o = run.calls[i];
    const invoke = `(invoke "${c.name}"${c.args.map((a) => ' ' + constant(a)).join('')})`;
    if (o.kind === 'values') lines.push(`(assert_return ${invoke}${o.values.map((v) => ' ' + expectation(v)).join('')})`);
    else if (o.kind === 'trap') lines.push(`(assert_trap ${invoke} "${o.trap}")`);
    else if (o.kind === 'exhaustion') lines.push(`(assert_exhaustion ${invoke} "call stack exhausted")`);
    else if (o.kind === 'exception') lines.push(`(assert_exception ${invoke})`);
    else lines.push(`;; ${invoke} ended with: ${o.message}`);
  });
  // The exported globals after the calls: the oracle compares them too, and a difference may be only there.
  for (const [name, v] of run.globals) if (v.type !== 'ref') lines.push(`(assert_return (get "${name}") ${expectation(v)})`);
  return lines.join('\n') + '\n';
}
