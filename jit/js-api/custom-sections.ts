// Module.customSections: the contents of a (validated) module's custom sections of a given name, read from its bytes.
const utf8 = new TextDecoder('utf-8');

function leb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value, at];
  }
}

/** Each custom section named `name`, in module order, as a fresh ArrayBuffer of its contents. */
export function customSections(bytes: Uint8Array, name: string): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  let at = 8; // magic and version
  while (at < bytes.length) {
    const id = bytes[at++];
    const [size, body] = leb(bytes, at);
    const end = body + size;
    if (id === 0) {
      const [nameLength, nameStart] = leb(bytes, body);
      const contents = nameStart + nameLength;
      if (utf8.decode(bytes.subarray(nameStart, contents)) === name) out.push(bytes.slice(contents, end).buffer);
    }
    at = end;
  }
  return out;
}
