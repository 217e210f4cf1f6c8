// esbuild-wasm: esbuild (Go) compiled with Go's js/wasm port. Its Node API would run the wasm in a
// separate `node` process, out of our reach, so the workload uses the package's browser API
// (lib/browser.js) with `worker: false`: the Go runtime runs in this process, on this process's
// globalThis.WebAssembly. A run bundles `size` generated TypeScript modules (an entry re-exporting
// them all, served by a plugin) with minification, then transforms all of them to ES2015 in one
// source; the generated code is the output.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BuildOptions, BuildResult, InitializeOptions, TransformOptions, TransformResult } from 'esbuild-wasm';
import { tsModule } from './text.js';
import type { LoadedProgram, ProgramWorkload } from './workload.js';

interface EsbuildBrowser {
  initialize(options: InitializeOptions): Promise<void>;
  build(options: BuildOptions): Promise<BuildResult>;
  transform(input: string, options: TransformOptions): Promise<TransformResult>;
  stop(): Promise<void>;
}

const FUNCTIONS_PER_MODULE = 12;

const sources = new Map<number, string[]>();

function modules(size: number): string[] {
  let list = sources.get(size);
  if (!list) {
    list = Array.from({ length: size }, (_, i) => tsModule(i, FUNCTIONS_PER_MODULE));
    sources.set(size, list);
  }
  return list;
}

async function workload(esbuild: EsbuildBrowser, size: number): Promise<Uint8Array> {
  const mods = modules(size);
  const entry = mods.map((_, i) => `export * as m${i} from './mod${i}';`).join('\n');
  const bundle = await esbuild.build({
    stdin: { contents: entry, loader: 'ts', resolveDir: '/gen', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2019',
    write: false,
    outfile: '/out/bundle.js',
    logLevel: 'silent',
    plugins: [
      {
        name: 'generated-modules',
        setup(build) {
          build.onResolve({ filter: /^\.\/mod\d+$/ }, (args) => ({ path: args.path.slice(2), namespace: 'gen' }));
          build.onLoad({ filter: /.*/, namespace: 'gen' }, (args) => ({ contents: mods[Number(args.path.slice(3))], loader: 'ts' }));
        },
      },
    ],
  });
  if (bundle.errors.length > 0 || !bundle.outputFiles) throw new Error(`esbuild: the bundle failed: ${bundle.errors.map((e) => e.text).join('; ')}`);
  const all = mods.map((m, i) => m.replace(/^import .*$/gm, '').replace(/\bexport default\b/, `export const dflt${i} =`)).join('\n');
  const lowered = await esbuild.transform(all, { loader: 'ts', target: 'es2015', format: 'esm', sourcefile: 'all.ts' });
  const enc = new TextEncoder();
  return Buffer.concat([...bundle.outputFiles.map((f) => f.contents), enc.encode('\n//---\n'), enc.encode(lowered.code)]);
}

export const esbuild: ProgramWorkload = {
  name: 'esbuild',
  npmPackage: 'esbuild-wasm',
  version: '0.28.2',
  origin: 'Go (esbuild), Go js/wasm',
  description: `bundle and minify N generated TS modules (${FUNCTIONS_PER_MODULE} functions each) via a plugin, lower all to ES2015`,
  sizeUnit: 'modules',
  benchSize: 200,
  testSize: 8,
  wasmFile: () => createRequire(import.meta.url).resolve('esbuild-wasm/esbuild.wasm'),
  async load(): Promise<LoadedProgram> {
    const require = createRequire(import.meta.url);
    // lib/browser.js reads the global `self` when it runs the Go runtime in this thread.
    (globalThis as { self?: unknown }).self ??= globalThis;
    const api = require('esbuild-wasm/lib/browser.js') as EsbuildBrowser;
    const wasmModule = new WebAssembly.Module(readFileSync(esbuild.wasmFile()));
    await api.initialize({ wasmModule, worker: false });
    return { run: (size) => workload(api, size), close: () => void api.stop() };
  },
};
