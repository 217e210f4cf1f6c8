// Deterministic generated inputs for the workloads: a seeded PRNG, prose-like text (a made-up
// vocabulary with a skewed word frequency, numbers, punctuation, some non-ASCII words), and
// TypeScript-like source modules. Same seed and size, same text, on every engine.

/** mulberry32: a small 32-bit PRNG; values in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'wa', 'ze', 'an', 'el', 'in', 'or', 'us', 'qu', 'th', 'ch', 'sh', 'pr', 'st', 'bl', 'gr', 'fl'];
const FOREIGN = ['naïve', 'café', 'über', 'straße', 'señor', '日本語', '東京', 'данные', 'λόγος', 'مرحبا', '🙂', 'żółw'];

function vocabulary(next: () => number, words: number): string[] {
  const vocab: string[] = [];
  for (let i = 0; i < words; i++) {
    let w = '';
    const k = 1 + Math.floor(next() * 4);
    for (let j = 0; j < k; j++) w += SYLLABLES[Math.floor(next() * SYLLABLES.length)];
    vocab.push(next() < 0.01 ? FOREIGN[Math.floor(next() * FOREIGN.length)] : w);
  }
  return vocab;
}

/** About `chars` UTF-16 code units of sentences and paragraphs (cut at `chars`). */
export function proseText(chars: number, seed = 1): string {
  const next = prng(seed);
  const vocab = vocabulary(next, 2000);
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const words = 4 + Math.floor(next() * 14);
    let s = '';
    for (let i = 0; i < words; i++) {
      const x = next();
      const w = vocab[Math.floor(x * x * vocab.length)];
      s += (i ? ' ' : '') + (i === 0 ? w[0].toUpperCase() + w.slice(1) : w);
      if (next() < 0.05) s += ` ${Math.floor(next() * 100000)}`;
      if (next() < 0.08) s += ',';
    }
    s += next() < 0.1 ? '?' : '.';
    s += next() < 0.15 ? '\n\n' : ' ';
    parts.push(s);
    length += s.length;
  }
  return parts.join('').slice(0, chars);
}

/** A TypeScript module `index` of `functions` functions, interfaces, classes and constants; it
 * imports from the modules before it (`mod<k>.ts`, k < index) so that a bundle links them. */
export function tsModule(index: number, functions: number, seed = 7): string {
  const next = prng(seed * 1_000_003 + index);
  const pick = (n: number): number => Math.floor(next() * n);
  const lines: string[] = [];
  const deps = index === 0 ? [] : [...new Set([pick(index), pick(index)])];
  for (const d of deps) lines.push(`import { f${d}_0, C${d} } from './mod${d}';`);
  lines.push(`export interface Shape${index} { id: number; name: string; tags: string[]; weight?: number }`);
  lines.push(`export enum Kind${index} { A = ${pick(10)}, B, C = 'c${index}' }`);
  for (let f = 0; f < functions; f++) {
    const name = `f${index}_${f}`;
    const op = ['+', '-', '*', '^', '|', '&'][pick(6)];
    lines.push(
      `export function ${name}(xs: Shape${index}[], n: number = ${pick(100)}): number {`,
      `  let acc = ${pick(1000)};`,
      `  for (const x of xs) {`,
      `    if (x.tags.includes('t${pick(50)}') && (x.weight ?? 0) > ${pick(100)}) acc = (acc ${op} x.id) | 0;`,
      `    else acc += x.name.length * ${1 + pick(9)};`,
      `  }`,
      `  const unused${f} = ${JSON.stringify('dead code ' + pick(1e6))};`,
      `  return n > 0 ? acc + ${f === 0 ? 0 : `f${index}_${pick(f)}(xs, n - 1)`} : acc;`,
      `}`,
    );
  }
  lines.push(
    `export class C${index}<T extends Shape${index}> {`,
    `  private items: T[] = [];`,
    `  constructor(public readonly label: string = 'c${index}') {}`,
    `  add(item: T): this { this.items.push(item); return this; }`,
    `  total(): number { return this.items.reduce((s, x) => s + f${index}_0([x], 2), 0); }`,
    `  get size(): number { return this.items.length; }`,
    `}`,
  );
  const uses = deps.map((d) => `f${d}_0([], 1) + new C${d}().size`).join(' + ') || '0';
  lines.push(
    `export const table${index}: Record<string, number> = { ${Array.from({ length: 8 }, (_, k) => `k${k}: ${pick(1e4)}`).join(', ')} };`,
    `export const linked${index} = () => ${uses};`,
    `export default { index: ${index}, kind: Kind${index}.B, describe: (s: Shape${index}) => \`\${s.name}#\${s.id}\` };`,
  );
  return lines.join('\n') + '\n';
}
