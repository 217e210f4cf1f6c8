// WebAssembly.Tag: an exception tag, made in JS ({ parameters: [value types] }) or exported by an instance;
// the same Tag object for the same tag while it lives (WebAssembly.JSTag's too).
import { loadAddon, NativeExternHandle } from '../addon.js';
import { cachedObject, rememberObject } from './object-cache.js';
import { toValueType } from './values.js';
import { requireArguments, toDictionary, toDOMString, toSequence, webidlMembers } from './webidl.js';

const TAGS = new WeakMap<object, NativeExternHandle>();
let adopting: NativeExternHandle | undefined;

export class Tag {
  constructor(type: unknown) {
    let handle = adopting;
    adopting = undefined;
    if (!handle) {
      requireArguments(arguments.length, 1, 'WebAssembly.Tag()');
      const d = toDictionary(type, 'WebAssembly.Tag()');
      const parameters = d.parameters;
      if (parameters === undefined) throw new TypeError("WebAssembly.Tag(): the descriptor's parameters are required");
      const letters = toSequence(parameters, 'WebAssembly.Tag(): parameters').map((p) => toValueType(toDOMString(p), 'WebAssembly.Tag(): parameters'));
      handle = loadAddon().createTag(letters.join(''));
    }
    TAGS.set(this, handle);
    rememberObject('tag', loadAddon().externType(handle)!.id, this);
  }
}

webidlMembers(Tag, 'WebAssembly.Tag');

/** The Tag object for a tag (exported, imported, or the JS tag): the same one each time while it lives. */
export function tagObject(handle: NativeExternHandle): Tag {
  const known = cachedObject<Tag>('tag', loadAddon().externType(handle)!.id);
  if (known) return known;
  adopting = handle;
  return new Tag(undefined);
}

/** The handle of a Tag object, or undefined for anything else. */
export const tagHandle = (v: unknown): NativeExternHandle | undefined => (typeof v === 'object' && v !== null ? TAGS.get(v) : undefined);

/** WebIDL's conversion to Tag: its handle, or a TypeError. */
export function toTag(v: unknown, what: string): NativeExternHandle {
  const h = tagHandle(v);
  if (!h) throw new TypeError(`${what}: not a WebAssembly.Tag`);
  return h;
}
