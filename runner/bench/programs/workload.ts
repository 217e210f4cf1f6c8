// What a program benchmark is: a real WebAssembly program shipped on npm and a deterministic
// workload for it. A workload file names its package and a size parameter; the child process
// (child.ts) loads the program (its glue compiles and instantiates the wasm: the compile time), then
// runs the workload (the run time) and hashes what it produced, so engines can be compared.

export interface LoadedProgram {
  /** One run of the workload at the given size; returns the bytes to hash (query results,
   * compressed bytes, token ids, generated code). Every run at one size must return the same. */
  run(size: number): Promise<Uint8Array>;
  /** Lets go of what keeps the process alive (esbuild's Go runtime), if anything. */
  close?(): void;
}

export interface ProgramWorkload {
  /** The name on the command line (--programs). */
  name: string;
  /** The npm package, at the exact version in package.json's devDependencies. */
  npmPackage: string;
  version: string;
  /** What the wasm was built from (language, toolchain). */
  origin: string;
  /** One line on what a run does; `size` is the unit of sizeUnit. */
  description: string;
  sizeUnit: string;
  /** The size `npm run bench:programs` runs: a second or more on V8 TurboFan. */
  benchSize: number;
  /** A small size for the tests and --quick. */
  testSize: number;
  /** The path of the wasm module the package's glue compiles (`npm run bench`'s compile-speed section compiles it alone). */
  wasmFile(): string;
  /** Loads the package's glue, which compiles and instantiates its wasm on globalThis.WebAssembly. */
  load(): Promise<LoadedProgram>;
}
