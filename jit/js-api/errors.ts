// The JS API's error classes are the realm's own WebAssembly.CompileError, LinkError and RuntimeError,
// captured when this module loads (before anyone replaces globalThis.WebAssembly), so that `instanceof`
// holds both ways with errors the realm's own WebAssembly makes and with the native addon's traps.
type ErrorClass = new (message?: string) => Error;

function fallback(name: string): ErrorClass {
  // Only where the realm has no WebAssembly (node --jitless): classes of the same shape.
  const cls = class extends Error {};
  Object.defineProperty(cls, 'name', { value: name });
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, enumerable: false, configurable: true });
  return cls;
}

const realm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
export const CompileError: ErrorClass = realm?.CompileError ?? fallback('CompileError');
export const LinkError: ErrorClass = realm?.LinkError ?? fallback('LinkError');
export const RuntimeError: ErrorClass = realm?.RuntimeError ?? fallback('RuntimeError');
