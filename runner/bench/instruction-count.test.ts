// --count-instructions: callgrind_annotate's output split into generated code and the addon, and, where
// valgrind is installed, a real kernel counted on this JIT and on itself as the baseline.
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { Assembler } from '../../wast/assembler.js';
import { callgrindAvailable, countKernels, formatCounts, splitAnnotated } from './instruction-count.js';
import { loadKernels } from './kernels.js';
import { WORKER_PATH } from './spawn-worker.js';

const ANNOTATED = `--------------------------------------------------------------------------------
Ir
--------------------------------------------------------------------------------
733,440,528 (100.0%)  PROGRAM TOTALS

--------------------------------------------------------------------------------
Ir                    file:function
--------------------------------------------------------------------------------
156,167,064 (21.29%)  ???:0x0000000005ece000'2 [???]
 32,979,973 ( 4.50%)  ./malloc/./malloc/malloc.c:_int_free [/usr/lib/x86_64-linux-gnu/libc.so.6]
 23,253,997 ( 3.17%)  ???:ossl_lh_strcasehash [/usr/bin/node]
  1,000,000 ( 0.14%)  ???:0x0000000005ece400 [???]
 40,000,000 ( 5.38%)  ???:mitey::rt::resolveIndirect(mitey::Instance*, unsigned long*, unsigned int, unsigned int) [/work/x/jit/build/Release/mitey_jit.node]
      2,000 ( 0.00%)  ???:mitey::rt::trap(unsigned int) [/work/x/jit/asan/build/Release/mitey_jit_asan.node]
`;

describe('splitting callgrind_annotate output', () => {
  test('code of no file is generated code; the addon by its file name; the totals line', () => {
    expect(splitAnnotated(ANNOTATED)).toEqual({ generated: 157_167_064, addon: 40_002_000, total: 733_440_528 });
  });
  test('output without totals is an error', () => {
    expect(() => splitAnnotated('nothing here')).toThrow('PROGRAM TOTALS');
  });
});

(callgrindAvailable() ? describe : describe.skip)('a kernel under callgrind', () => {
  test('fib at its count-arg: the same checksum and the same generated instructions on the JIT and on itself as baseline', async () => {
    const assembler = await Assembler.load();
    const fib = loadKernels(['fib'])[0];
    const kernel = { name: 'fib', countArg: 20, wasm: Buffer.from(assembler.assemble(fib.text, fib.file)).toString('base64') };
    const [row] = countKernels([kernel], WORKER_PATH, join(PACKAGE_ROOT, 'dist', 'runner', 'bench', 'worker.js'));
    expect(row.problem).toBeUndefined();
    const jit = row.jit!;
    expect(jit.checksum).toBe('6765');
    // fib(20) makes 21,891 calls, twice (warm-up and the counted run): each at least a few instructions of generated code
    expect(jit.generated).toBeGreaterThan(2 * 21_891 * 5);
    expect(jit.addon).toBeGreaterThan(0); // the compiler at least
    // generated code runs the same instructions each time (V8's JIT of the harness may differ a little)
    expect(Math.abs(jit.generated - row.baseline!.generated) / jit.generated).toBeLessThan(0.01);
    expect(formatCounts([row], 'JIT@same')).toMatch(/fib\s+20\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[01]\.\d{4}x/);
  }, 180_000);

  test('a baseline that cannot run a kernel is n/a, not a problem; a JIT that cannot is one', () => {
    const bad = { name: 'bad', countArg: 1, wasm: Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x63]).toString('base64') };
    const [row] = countKernels([bad], join(PACKAGE_ROOT, 'no-such-worker.js'), join(PACKAGE_ROOT, 'no-such-worker.js'));
    expect(row.problem).toMatch(/^the JIT failed/);
    expect(row.baselineError).toBeDefined();
    expect(formatCounts([row], 'JIT@x')).toMatch(/bad\s+1\s+-\s+-\s+n\/a\s+n\/a/);
  }, 60_000);
});
