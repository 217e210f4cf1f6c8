// UTF-8 TextEncoder and TextDecoder for shells that have none (SpiderMonkey's and JavaScriptCore's shells): the
// binary reader and writer use them for names. Imported first by the shell driver, so it runs before they load.
// Decoding is the WHATWG one without `fatal`: a bad sequence becomes U+FFFD, as the reader expects.

class Utf8Encoder {
  readonly encoding = 'utf-8';
  encode(s = ''): Uint8Array {
    const out: number[] = [];
    for (const ch of s) {
      let c = ch.codePointAt(0)!;
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return Uint8Array.from(out);
  }
}

class Utf8Decoder {
  readonly encoding = 'utf-8';
  decode(input?: ArrayBufferView | ArrayBuffer): string {
    const b = input === undefined ? new Uint8Array(0) : input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    let s = '';
    let i = 0;
    while (i < b.length) {
      const x = b[i];
      const [n, min, first] = x < 0x80 ? [0, 0, x] : x >= 0xc2 && x < 0xe0 ? [1, 0x80, x & 31] : x >= 0xe0 && x < 0xf0 ? [2, 0x800, x & 15] : x >= 0xf0 && x < 0xf5 ? [3, 0x10000, x & 7] : [-1, 0, 0];
      if (n < 0) {
        s += '\ufffd';
        i++;
        continue;
      }
      let c = first;
      let k = 1;
      for (; k <= n; k++) {
        const y = b[i + k];
        if (y === undefined || (y & 0xc0) !== 0x80) break;
        c = (c << 6) | (y & 63);
      }
      if (k <= n || c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
        s += '\ufffd';
        i += Math.max(1, k === 1 ? 1 : k); // the maximal subpart is replaced once
        continue;
      }
      s += String.fromCodePoint(c);
      i += n + 1;
    }
    return s;
  }
}

const g = globalThis as Record<string, unknown>;
g.TextEncoder ??= Utf8Encoder;
g.TextDecoder ??= Utf8Decoder;
