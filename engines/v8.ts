// The V8 engines: Node's own WebAssembly through the JavaScript-API engine, named and versioned as the
// Node that runs it (the reference V8 14 or the running Node's V8).
import { JsApiEngine } from './js-api-engine.js';
import { describeV8 } from './node-runtime.js';

export class V8Engine extends JsApiEngine {
  /** `v8` (the reference) or `v8-node` (the running Node's); the flags its process runs with; why it stands in. */
  constructor(name = 'v8', v8Flags: readonly string[] = [], standIn?: string) {
    super(name, describeV8({ node: process.versions.node, v8: process.versions.v8, standIn }, v8Flags), 'v8');
  }
}
