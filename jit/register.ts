// `node --import mitey/register app.mjs` (or --import with this built file's absolute path): the app runs with
// the JIT's WebAssembly namespace as globalThis.WebAssembly. The namespace module is evaluated first, so it has
// captured the realm's own CompileError / LinkError / RuntimeError before the replacement. The property keeps
// the standard's descriptor (writable, configurable, not enumerable).
import { JitWebAssembly } from './js-api/namespace.js';

Object.defineProperty(globalThis, 'WebAssembly', { value: JitWebAssembly, writable: true, enumerable: false, configurable: true });
