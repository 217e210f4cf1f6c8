// `import { WebAssembly } from 'mitey/jit'`: the standard WebAssembly JavaScript API over the JIT.
export { JitWebAssembly as WebAssembly } from './namespace.js';
export type { WebAssemblyNamespace } from './namespace.js';
export { Module } from './module.js';
export { Instance } from './instance.js';
export { Memory } from './memory.js';
export { Table } from './table.js';
export { Global } from './global.js';
export { Tag } from './tag.js';
export { Exception } from './exception.js';
export { CompileError, LinkError, RuntimeError } from './errors.js';
