// WebAssembly.Exception: a wasm exception as JS sees it. Made in JS (a tag and a payload) or by the addon
// for a wasm exception that reaches JS (setExceptionFactory); the addon wraps each object around its
// exception, so that one thrown by JS into wasm is caught there by its tag and reaches JS again as
// itself (jit/src/js_exceptions.h).
import { loadAddon } from '../addon.js';
import { toTag } from './tag.js';
import { brand, enforceRangeU32, requireArguments, toDictionary, toSequence, webidlMembers } from './webidl.js';

interface ExceptionData {
  /** options.traceStack's stack, when asked for. */
  stack: string | undefined;
}

const EXCEPTIONS = new WeakMap<object, ExceptionData>();
/** Set while the addon's factory makes an object for a wasm exception (the constructor's steps are not run). */
let adopting = false;

/** The stack where it is called from, as a string (V8's Error.stack format). */
function currentStack(): string | undefined {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, Exception);
  return holder.stack;
}

export class Exception {
  constructor(exceptionTag: unknown, payload: unknown, ...rest: unknown[]) {
    if (adopting) {
      adopting = false;
      EXCEPTIONS.set(this, { stack: undefined });
      return;
    }
    requireArguments(arguments.length, 2, 'WebAssembly.Exception()');
    const tag = toTag(exceptionTag, 'WebAssembly.Exception()');
    const values = toSequence(payload, 'WebAssembly.Exception(): payload');
    const traceStack = Boolean(toDictionary(rest[0], 'WebAssembly.Exception(): options').traceStack);
    loadAddon().exceptionCreate(this, tag, values);
    EXCEPTIONS.set(this, { stack: traceStack ? currentStack() : undefined });
  }

  getArg(exceptionTag: unknown, index: unknown): unknown {
    brand(EXCEPTIONS, this, 'WebAssembly.Exception.getArg()');
    requireArguments(arguments.length, 2, 'WebAssembly.Exception.getArg()');
    const tag = toTag(exceptionTag, 'WebAssembly.Exception.getArg()');
    const i = enforceRangeU32(index, 'WebAssembly.Exception.getArg(): index');
    return loadAddon().exceptionGetArg(this, tag, i);
  }

  is(exceptionTag: unknown): boolean {
    brand(EXCEPTIONS, this, 'WebAssembly.Exception.is()');
    requireArguments(arguments.length, 1, 'WebAssembly.Exception.is()');
    return loadAddon().exceptionIs(this, toTag(exceptionTag, 'WebAssembly.Exception.is()'));
  }

  get stack(): string | undefined {
    return brand(EXCEPTIONS, this, 'WebAssembly.Exception.stack').stack;
  }
}

webidlMembers(Exception, 'WebAssembly.Exception');

let registered = false;

/** Lets the addon make WebAssembly.Exception objects (once per thread, before any wasm of the JS API runs). */
export function registerExceptionFactory(): void {
  if (registered) return;
  loadAddon().setExceptionFactory(() => {
    adopting = true;
    return new Exception(undefined, undefined);
  });
  registered = true;
}
