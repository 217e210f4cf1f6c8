// Loads the native addon built by `npm install` (node-gyp, jit/binding.gyp).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../runner/package-root.js';

export interface NativeError {
  kind: 'malformed' | 'invalid' | 'unsupported';
  message: string;
  offset: number;
}

export interface NativeExtern {
  name: string;
  kind: 'func' | 'table' | 'memory' | 'global';
}

export interface NativeAddon {
  /** null when the module decodes and validates, else why not. */
  validate(bytes: Uint8Array): NativeError | null;
  inspect(bytes: Uint8Array): { imports: (NativeExtern & { module: string })[]; exports: NativeExtern[] } | { error: NativeError };
}

let addon: NativeAddon | undefined;

/** The addon; MITEY_JIT_ADDON names another build (e.g. the AddressSanitizer one). */
export function loadAddon(): NativeAddon {
  if (addon) return addon;
  const path = process.env.MITEY_JIT_ADDON ?? join(PACKAGE_ROOT, 'jit', 'build', 'Release', 'mitey_jit.node');
  if (!existsSync(path)) {
    throw new Error(`the native JIT is not built (${path} is missing): run "npm install" or "npm run build:native"; it needs python3, make and g++`);
  }
  addon = createRequire(import.meta.url)(path) as NativeAddon;
  return addon;
}
