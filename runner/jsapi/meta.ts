// The `// META:` header of a web-platform-tests file: helper scripts to load first, the scopes it runs in, its timeout.

export interface TestMeta {
  /** `script=` values in order, as written (absolute ones are from the wpt root, e.g. /wasm/jsapi/x.js). */
  scripts: string[];
  /** `global=` scopes; wpt's default (none given) is window and dedicatedworker. */
  globals: string[];
  /** `timeout=long`. */
  longTimeout: boolean;
}

export function parseMeta(text: string): TestMeta {
  const meta: TestMeta = { scripts: [], globals: [], longTimeout: false };
  let sawGlobal = false;
  for (const line of text.split('\n')) {
    const m = /^\/\/ META: *([a-z_]+)=(.*)$/.exec(line.trim());
    if (!m) {
      if (line.trim() === '' || line.trim().startsWith('//')) continue;
      break;  // the header ends at the first line of code
    }
    const [, key, value] = m;
    if (key === 'script') meta.scripts.push(value.trim());
    else if (key === 'global') {
      sawGlobal = true;
      meta.globals.push(...value.split(',').map((s) => s.trim()).filter(Boolean));
    } else if (key === 'timeout') meta.longTimeout = value.trim() === 'long';
  }
  if (!sawGlobal) meta.globals = ['window', 'dedicatedworker'];
  return meta;
}

/** We run a file in a shell-like global: it must name jsshell or a worker scope (a window-only test needs a DOM). */
export function runsInShell(meta: TestMeta): boolean {
  return meta.globals.some((g) => g === 'jsshell' || g === 'dedicatedworker' || g === 'worker' || g === 'shadowrealm');
}
