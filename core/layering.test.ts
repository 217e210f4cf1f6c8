// The TypeScript layers: a file imports only from its own folder's layer or from a layer below it.
// The order, bottom first (README.md, "Layout"):
//   core/     shared libraries: the binary reader and writer, the opcode table, Values and their bits, feature tags
//   wast/     the text front end, the script interpreter and the Engine interface
//   jit/      the native JIT's TypeScript side: its Engine, its API and its WebAssembly namespace
//   engines/  the V8 engines and the factory that makes any engine by name
//   fuzz/     the differential fuzzer and the validation differential
//   runner/   the application: the CLI, the worker pool, reporters, dashboard, bench
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { PACKAGE_ROOT } from './package-root.js';

const LAYERS = ['core', 'wast', 'jit', 'engines', 'fuzz', 'runner'];

/**
 * The one way up: a test may run the built command line through runner/cli-run.ts (a child process, the
 * application as users run it; the module it imports only spawns it and types its JSON).
 */
const TEST_MAY_IMPORT = new Set(['runner/cli-run.ts']);

/** Folders at the root that hold no layered TypeScript. */
const NOT_LAYERS = new Set(['node_modules', 'dist', 'fixtures', 'docs', 'results', 'build']);

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(join(PACKAGE_ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'build') sources(path, out);
    } else if (/\.(ts|mts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The relative specifiers a file imports or re-exports (static, dynamic and type-only). */
function relativeImports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs: string[] = [];
  for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) specs.push(m[1]);
  return specs;
}

const layerOf = (path: string): number => LAYERS.indexOf(path.split(sep)[0]);

/** Every import that points up a layer, as "file → target". */
function upwardImports(): { edges: number; up: string[] } {
  const up: string[] = [];
  let edges = 0;
  for (const layer of LAYERS) {
    for (const file of sources(layer)) {
      if (file === join('core', 'layering.test.ts')) continue; // its samples below are strings, not imports
      for (const spec of relativeImports(readFileSync(join(PACKAGE_ROOT, file), 'utf8'))) {
        edges++;
        const target = normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts');
        const to = layerOf(target);
        const from = layerOf(file);
        if (to === -1) up.push(`${file} → ${relative('.', target)} (outside the layers)`);
        else if (to > from && !(file.endsWith('.test.ts') && TEST_MAY_IMPORT.has(target.split(sep).join('/')))) {
          up.push(`${file} → ${target} (${LAYERS[from]}/ may not import ${LAYERS[to]}/)`);
        }
      }
    }
  }
  return { edges, up };
}

describe('layering', () => {
  test('every folder of TypeScript at the root is a layer', () => {
    const roots = readdirSync(PACKAGE_ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !NOT_LAYERS.has(e.name))
      .filter((e) => sources(e.name).some((f) => f.endsWith('.ts')))
      .map((e) => e.name);
    expect(roots.filter((r) => !LAYERS.includes(r))).toEqual([]);
  });

  test('no import points up a layer', () => {
    const { edges, up } = upwardImports();
    expect(edges).toBeGreaterThan(300); // the scan sees the imports
    expect(up).toEqual([]);
  });

  test('the scan finds every form of import', () => {
    const text = [
      "import { a } from '../wast/a.js';",
      "import type { B } from './b.js';",
      "export * from '../../core/c.js';",
      "import {\n  d,\n  e,\n} from '../runner/d.js';",
      "const f = await import('../runner/f.js');",
      "import './side-effect.js';",
      "// import { g } from '../runner/g.js';",
      "import { h } from 'node:fs';",
    ].join('\n');
    expect(relativeImports(text)).toEqual(['../wast/a.js', './b.js', '../../core/c.js', '../runner/d.js', '../runner/f.js', './side-effect.js']);
  });
});
