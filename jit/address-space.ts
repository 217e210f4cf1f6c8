// Linear memories reserve 8 GiB of address space each, which V8's collector does not see (it is
// told only what a memory uses). Instances nobody holds give theirs back when a collection finds
// them (the addon's finalizers run inside it), so as reservations pile up this asks for a
// collection itself, as V8 does for its own wasm memories: a loop that makes instances and keeps
// none never runs out, and the caller need not run gc().
import v8 from 'node:v8';
import vm from 'node:vm';
import { NativeAddon } from './addon.js';

/** Reservations alive before the first collection is asked for; after one, twice what survived. */
const FIRST_THRESHOLD = 2048;

let collect: (() => void) | undefined;
function collectGarbage(): void {
  // The collector's gc(), without making the user start Node with --expose-gc.
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
}

let threshold = FIRST_THRESHOLD;

/** Before anything that may reserve a memory: collect when reservations have piled up. */
function relievePressure(addon: NativeAddon): void {
  if (addon.liveReservations() < threshold) return;
  collectGarbage();
  threshold = Math.max(FIRST_THRESHOLD, 2 * addon.liveReservations());
}

/**
 * Runs make() (a compile or an instantiation), collecting first when reservations have piled up,
 * and once more and again when it still ran out of a resource.
 */
export function withAddressSpace<T extends { error?: { kind: string } }>(addon: NativeAddon, make: () => T): T {
  relievePressure(addon);
  const r = make();
  if (r.error?.kind !== 'resource') return r;
  collectGarbage();
  return make();
}
