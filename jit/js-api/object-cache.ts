// The JS API's caches: one JS object per memory, table and global (and, in the addon, per function), for as
// long as that object lives. Keyed by the addon's externType(handle).id, held weakly.
const cache = new Map<string, WeakRef<object>>();
const forget = new FinalizationRegistry<string>((key) => {
  if (cache.get(key)?.deref() === undefined) cache.delete(key);
});

const keyOf = (kind: string, id: number) => `${kind}:${id}`;

/** The object made for this kind and id earlier, while it lives. */
export function cachedObject<T extends object>(kind: string, id: number): T | undefined {
  return cache.get(keyOf(kind, id))?.deref() as T | undefined;
}

/** Remembers the object for this kind and id. */
export function rememberObject(kind: string, id: number, object: object): void {
  const key = keyOf(kind, id);
  cache.set(key, new WeakRef(object));
  forget.register(object, key);
}
