// The dashboard in a real browser: Debian's Chromium driven by playwright-core (no browser download).
// It opens a page built from known results and checks the summary numbers and a drill-down against the JSON,
// what a reader sees first (the failures, in the first screenful, at 1280 and 1000 px), that unsupported does
// not look like failure, and that the counts fit a 1,000 px window. A second page, from hand-made results,
// has a few failures among tens of thousands of passes and files that pass ahead of failing ones in A–Z. A third
// has five engines side by side (one named by a long command line) and one not installed: where they disagree,
// which engine each is, and that the page stays readable at 1,000 px.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Browser, Locator, Page, chromium } from 'playwright-core';
import { runCli } from '../cli-run.js';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';
import { RunResult } from '../run-result.js';
import { Counts, DirectiveResult, emptyCounts, emptyTally, FileResult, OUTCOMES } from '../../wast/results.js';
import { buildDashboard } from './build-dashboard.js';

const FAILING = join(PACKAGE_ROOT, 'fixtures', 'failing');
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'mitey-dash-'));
const resultOf = (engine: string) => JSON.parse(readFileSync(join(dir, `${engine}.json`), 'utf8')) as RunResult;
const PAGE = pathToFileURL(join(dir, 'dashboard.html')).href;
const MADE_PAGE = pathToFileURL(join(dir, 'made', 'dashboard.html')).href;
const MANY_PAGE = pathToFileURL(join(dir, 'many', 'dashboard.html')).href;

/** The viewports a first look happens in: a laptop, and a window of 1,000 px. */
const FIRST_LOOKS = [
  { width: 1280, height: 800 },
  { width: 1000, height: 800 },
];

// ---- hand-made results: 17 failures among 64,094 assertions, an unclaimed feature, passing files first A–Z ----

function madeFile(path: string, c: Partial<Counts>, failedLines: number[] = []): FileResult {
  const counts = { ...emptyCounts(), ...c };
  counts.total = OUTCOMES.reduce((n, o) => n + counts[o], 0);
  return {
    file: path, status: 'ok', durationMs: 1, ...emptyTally(), counts,
    results: failedLines.map((line) => ({ line, col: 3, directive: 'assert_return', assertion: true, outcome: 'failed' as const, expected: 'i32.const 1', actual: 'i32.const 2' })),
  };
}

function madeRun(engine: string, files: FileResult[], byFeature: Record<string, Counts>, features: string[]): RunResult {
  const totals = emptyCounts();
  for (const f of files) for (const k of Object.keys(totals) as (keyof Counts)[]) totals[k] += f.counts[k];
  return {
    schema: 'mitey-results', version: 1, engine: { name: engine, version: `${engine} 1.0`, features }, startedAt: '2026-11-25T02:00:00Z', durationMs: 10,
    totals: { ...totals, byDirective: {}, byFeature, commandFailures: 0, filesNotOk: 0, messages: { compared: 0, matched: 0 } },
    files,
  };
}

const MADE_FAILED_LINES = Array.from({ length: 17 }, (_, i) => 10 + i);
const made = madeRun('jit', [
  madeFile('/s/suite/a-passes.wast', { passed: 59_400 }),
  madeFile('/s/suite/b-unsupported.wast', { unsupported: 2_650 }),
  madeFile('/s/suite/c-blocked.wast', { blocked: 1_648, assembler: 379 }),
  madeFile('/s/suite/z-fails.wast', { failed: 17 }, MADE_FAILED_LINES),
], {
  mvp: { ...emptyCounts(), passed: 59_400, failed: 17, blocked: 1_648, assembler: 379, total: 61_444 },
  'tail-call': { ...emptyCounts(), unsupported: 2_650, total: 2_650 },
}, ['mvp']);

// ---- five engines on one file, one more not installed ----

const LONG_ENGINE = 'cmd:node ./drivers/wasm-driver.js --experimental-wasm-everything';
const JSC_INSTALL = 'apt-get install libjavascriptcoregtk-4.0-bin';
const failedAt = (line: number, actual: string): DirectiveResult => ({ line, col: 3, directive: 'assert_return', assertion: true, outcome: 'failed', detail: 'wrong result', expected: 'i32.const 1', actual });

/** One engine's run of multi.wast (40 assertions; the listed ones are its non-passes) and of plain.wast (all pass). */
function sideRun(engine: string, listed: DirectiveResult[], identity: { dialect?: string; features?: string[] } = {}): RunResult {
  const multi = madeFile('/s/many/multi.wast', { passed: 40 - listed.length, failed: listed.filter((d) => d.outcome === 'failed').length, unsupported: listed.filter((d) => d.outcome === 'unsupported').length });
  multi.results = listed;
  const byFeature = { mvp: { ...multi.counts, passed: multi.counts.passed + 25, total: multi.counts.total + 25 }, simd: { ...emptyCounts(), passed: 25, total: 25 }, 'tail-call': multi.counts };
  const r = madeRun(engine, [multi, madeFile('/s/many/plain.wast', { passed: 25 })], byFeature, identity.features ?? ['mvp', 'simd']);
  if (identity.dialect) r.engine.dialect = identity.dialect;
  return r;
}

// Line 10: only jit fails (the odd one out). Line 20: v8 and spidermonkey fail with different values. Line 30:
// jit lacks a feature (no disagreement). Line 40: all five fail alike (none). Line 50: v8 and v8-node share a failure.
const SAME = failedAt(40, 'i32.const 0');
const many = [
  sideRun('v8', [failedAt(20, 'i32.const 7'), SAME, failedAt(50, 'i32.const 5')], { dialect: 'v8' }),
  sideRun('v8-node', [SAME, failedAt(50, 'i32.const 5')], { dialect: 'v8' }),
  sideRun('jit', [failedAt(10, 'i32.const 2'), { line: 30, col: 3, directive: 'assert_return', assertion: true, outcome: 'unsupported' }, SAME], { dialect: 'spec' }),
  sideRun('spidermonkey', [failedAt(20, 'i32.const 9'), SAME], { dialect: 'spidermonkey', features: ['mvp', 'simd', 'tail-call'] }),
  sideRun(LONG_ENGINE, [SAME]),
];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  for (const engine of ['v8', 'jit']) runCli(['wast', FAILING, '--engine', engine, '--json', join(dir, `${engine}.json`)]);
  const r = runCli(['dashboard', join(dir, 'v8.json'), join(dir, 'jit.json'), '--out', join(dir, 'dashboard.html'), '--suite', 'fixtures/failing']);
  expect(r.status).toBe(0);
  writeFileSync(join(dir, 'made.json'), JSON.stringify(made));
  const m = runCli(['dashboard', join(dir, 'made.json'), '--out', join(dir, 'made', 'dashboard.html'), '--suite', 'made']);
  expect(m.status).toBe(0);
  const manyResults = many.map((r, i) => {
    const path = join(dir, `many-${i}.json`);
    writeFileSync(path, JSON.stringify(r));
    return path;
  });
  buildDashboard({ results: manyResults, out: join(dir, 'many', 'dashboard.html'), suite: 'many', absent: [{ engine: 'jsc', install: JSC_INSTALL }] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
});

afterAll(async () => {
  await browser?.close();
});

async function open(url: string, viewport = FIRST_LOOKS[0]): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(5_000); // the page is built when loaded: nothing to wait for
  await page.goto(url);
  return page;
}

/** The rate the page shows: passed among the supported (all but unsupported), rounded down to 0.1%. */
function supportedRate(c: Counts): string {
  const ran = c.total - c.unsupported;
  if (c.passed >= ran) return '100%';
  return `${(Math.floor((c.passed / ran) * 1000) / 10).toFixed(1)}%`;
}

/** Every failure a results file holds: failed assertions and commands, and files that did not run to their end. */
function failureKeys(r: RunResult): string[] {
  const keys: string[] = [];
  for (const f of r.files) {
    const file = f.file.slice(FAILING.length + 1);
    if (f.status !== 'ok') keys.push(`${r.engine.name}:${file}:0:0`);
    for (const d of f.results) if (d.outcome === 'failed') keys.push(`${r.engine.name}:${file}:${d.line}:${d.col}`);
  }
  return keys;
}

/** Computed colours (text and background) of an element and everything in it. */
async function coloursIn(l: Locator): Promise<string[]> {
  return l.evaluate((root) => [root, ...root.querySelectorAll('*')].flatMap((n) => {
    const s = getComputedStyle(n);
    return [s.color, s.backgroundColor];
  }));
}

/** Red or pink, the colours of failure (orange, for blocked, is not). */
function reddish(css: string): boolean {
  const m = /rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)/.exec(css);
  if (!m || m[4] === '0') return false;
  const [r, g, b] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return r > 150 && r - g > 40 && r - b > 40 && Math.abs(g - b) < 40;
}

describe('the dashboard page', () => {
  test('shows the summary numbers of the JSON, per engine and outcome, and the pass rate over what the engine supports', async () => {
    const page = await open(PAGE);
    for (const engine of ['v8', 'jit']) {
      const totals = resultOf(engine).totals;
      for (const o of OUTCOMES) {
        const text = await page.textContent(`td[data-engine="${engine}"][data-outcome="${o}"]`);
        expect({ engine, o, n: Number(text) }).toEqual({ engine, o, n: totals[o] });
      }
      expect(await page.textContent(`[data-engine="${engine}"] [data-stat="headline-rate"]`)).toBe(supportedRate(totals));
      expect(await page.textContent(`td[data-engine="${engine}"][data-stat="pass-rate"]`)).toBe(supportedRate(totals));
    }
    expect(resultOf('jit').totals.unsupported).toBeGreaterThan(0); // so the rates above leave something out
    await page.screenshot({ path: join(dir, 'dashboard.png'), fullPage: false });
    expect(existsSync(join(dir, 'dashboard.png'))).toBe(true);
    await page.close();
  });

  test('a drill-down shows a failure with its expected and actual values and the rerun command', async () => {
    const page = await open(PAGE);
    const f = resultOf('v8').files.find((x) => x.file.endsWith('wrong-values.wast'))!;
    const d = f.results.find((x) => x.outcome === 'failed' && x.expected && x.actual)!;
    await page.click('tr.row[data-file="wrong-values.wast"]');
    const item = page.locator(`[data-failure="v8:wrong-values.wast:${d.line}:${d.col}"]`);
    await item.waitFor();
    const text = (await item.textContent())!;
    expect(text).toContain(d.expected!);
    expect(text).toContain(d.actual!);
    expect(text).toContain(`--line ${d.line} --engine v8`);
    await page.close();
  });

  test.each(FIRST_LOOKS)('the failures list is in the first screenful at $width×$height and lists every failure', async (viewport) => {
    const page = await open(PAGE, viewport);
    const expected = [...failureKeys(resultOf('v8')), ...failureKeys(resultOf('jit'))];
    const rows = page.locator('#failures [data-failure-row]');
    expect((await rows.evaluateAll((all) => all.map((r) => r.getAttribute('data-failure-row')))).sort()).toEqual(expected.sort());
    for (const l of [page.locator('#failures h2'), rows.first()]) {
      const box = (await l.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
    }
    await page.close();
  });

  test('a line of the failures list shows expected and actual, and leads to its drill-down', async () => {
    const page = await open(PAGE);
    const f = resultOf('jit').files.find((x) => x.file.endsWith('wrong-values.wast'))!;
    const d = f.results.find((x) => x.outcome === 'failed' && x.expected && x.actual)!;
    const key = `jit:wrong-values.wast:${d.line}:${d.col}`;
    const row = page.locator(`#failures [data-failure-row="${key}"]`);
    const text = (await row.textContent())!;
    for (const part of ['jit', `wrong-values.wast:${d.line}`, d.directive, d.expected!, d.actual!]) expect(text).toContain(part);
    await row.locator('a').click();
    await expect(page.locator(`#files [data-failure="${key}"]`).isVisible()).resolves.toBe(true);
    await page.close();
  });

  // fixtures/failing/proposals/custom-descriptors/descriptors.wast: the JIT lacks custom descriptors (unsupported), V8 14 fails its marked assertions.
  test('a file whose assertions are all unsupported is not coloured as failing', async () => {
    const page = await open(PAGE);
    const jit = resultOf('jit').files.find((x) => x.counts.total > 0 && x.counts.unsupported === x.counts.total)!;
    const file = jit.file.slice(FAILING.length + 1);
    const cell = page.locator(`tr.row[data-file="${file}"] td[data-engine="jit"]`);
    expect((await coloursIn(cell)).filter(reddish)).toEqual([]);
    expect(await cell.getAttribute('class')).toContain('all-unsupported');
    expect(await cell.textContent()).toBe(`${jit.counts.unsupported} unsupported`);
    // The same check sees failure where there is some: v8 failed assertions of that file.
    expect(resultOf('v8').files.find((x) => x.file === jit.file)!.counts.failed).toBeGreaterThan(0);
    expect((await coloursIn(page.locator(`tr.row[data-file="${file}"] td[data-engine="v8"]`))).filter(reddish)).not.toEqual([]);
    await page.close();
  });

  test('the counts table fits a 1,000 px window: no sideways scrolling, crashed / timed out / error in view', async () => {
    const page = await open(PAGE, FIRST_LOOKS[1]);
    const scroll = page.locator('table.summary').locator('xpath=..');
    const { scrollWidth, clientWidth } = await scroll.evaluate((n) => ({ scrollWidth: n.scrollWidth, clientWidth: n.clientWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    for (const s of ['crashed', 'timeout', 'error']) {
      const box = (await page.locator(`td[data-engine="jit"][data-files="${s}"]`).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(FIRST_LOOKS[1].width);
    }
    await page.close();
  });

  test('with one run, the history is a sentence, not a chart', async () => {
    const page = await open(PAGE);
    expect(await page.locator('#history svg').count()).toBe(0);
    expect(await page.textContent('#history')).toContain('One run so far');
    await page.close();
  });

  test('the page makes no network request', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(PAGE);
    await page.waitForLoadState('load');
    expect(requests).toEqual([]);
    await page.close();
  });
});

describe('a few failures among many passes (hand-made results)', () => {
  test('17 failures among 64,094 assertions show in the bar: a few pixels at least', async () => {
    const page = await open(MADE_PAGE);
    const widths = await page.locator('.bars rect').evaluateAll((rects) =>
      rects.filter((r) => r.querySelector('title')?.textContent?.startsWith('failed:')).map((r) => r.getBoundingClientRect().width));
    expect(widths).toHaveLength(1);
    expect(widths[0]).toBeGreaterThanOrEqual(4);
    await page.close();
  });

  test('the file table lists the files with failures first', async () => {
    const page = await open(MADE_PAGE);
    const files = await page.locator('#files tr.row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-file')));
    expect(files[0]).toBe('z-fails.wast');
    expect(files.slice(1).sort()).toEqual(['a-passes.wast', 'b-unsupported.wast', 'c-blocked.wast']);
    await page.close();
  });

  test('a feature the engine does not claim is neutral in the matrix, not red', async () => {
    const page = await open(MADE_PAGE);
    const cell = page.locator('td[data-engine="jit"][data-feature="tail-call"]');
    expect((await coloursIn(cell)).filter(reddish)).toEqual([]);
    expect(await cell.getAttribute('class')).toContain('unclaimed');
    expect(await cell.textContent()).toBe('not claimed');
    await page.close();
  });

  test('with one engine, the disagreements section says there is nothing to compare', async () => {
    const page = await open(MADE_PAGE);
    expect(await page.textContent('#disagreements')).toContain('nothing to compare');
    expect(await page.locator('#disagreements [data-disagreement]').count()).toBe(0);
    await page.close();
  });

  test('the headline leaves the unsupported out of the pass rate and counts them apart', async () => {
    const page = await open(MADE_PAGE);
    const headline = (await page.textContent('.bars'))!;
    expect(headline).toContain(supportedRate(made.totals)); // 59,400 of 61,444: 96.6%, not 92.6%
    expect(headline).toContain('17 failures');
    expect(headline).toContain('2,650 unsupported');
    await page.close();
  });
});

describe('five engines side by side, one not installed (hand-made results)', () => {
  const names = many.map((r) => r.engine.name);

  test('the disagreements: the odd one out named and highlighted, different values, a shared failure; unsupported apart', async () => {
    const page = await open(MANY_PAGE);
    const rows = page.locator('#disagreements tr[data-disagreement]');
    const seen = await rows.evaluateAll((all) => all.map((r) => [r.getAttribute('data-disagreement'), r.getAttribute('data-kind'), r.getAttribute('data-odd')]));
    expect(seen).toEqual([['multi.wast:10:3', 'odd-one-out', 'jit'], ['multi.wast:20:3', 'values', null], ['multi.wast:50:3', 'split', null]]);
    const odd = page.locator('#disagreements tr[data-disagreement="multi.wast:10:3"] td.odd');
    expect(await odd.getAttribute('data-engine')).toBe('jit');
    expect(await odd.textContent()).toBe('i32.const 2');
    expect((await coloursIn(odd)).filter(reddish)).not.toEqual([]); // it stands out
    expect(await page.locator('#disagreements td.odd').count()).toBe(1);
    const values = page.locator('#disagreements tr[data-disagreement="multi.wast:20:3"]');
    expect(await values.locator('td[data-engine="v8"]').textContent()).toBe('i32.const 7');
    expect(await values.locator('td[data-engine="spidermonkey"]').textContent()).toBe('i32.const 9');
    expect(await values.locator('td[data-engine="jit"]').textContent()).toBe('passes');
    expect(await page.textContent('[data-only-fails="jit"]')).toBe('1');
    for (const e of names.filter((n) => n !== 'jit')) expect(await page.textContent(`[data-only-fails="${e}"]`)).toBe('0');
    expect(await page.textContent('[data-set-aside="jit"]')).toBe('1'); // line 30, unsupported on jit only
    await page.close();
  });

  test('a disagreement opens each engine\'s values and the command that reruns it there', async () => {
    const page = await open(MANY_PAGE);
    await page.click('#disagreements tr[data-disagreement="multi.wast:10:3"] td.kind');
    const detail = page.locator('#disagreements tr.dis-detail');
    await detail.waitFor();
    const sides = await detail.locator('[data-side]').evaluateAll((all) => all.map((n) => n.getAttribute('data-side')));
    expect(sides).toEqual(names);
    expect(await detail.locator('[data-side="jit"]').textContent()).toContain('i32.const 2');
    expect(await detail.locator('[data-side="jit"]').textContent()).toContain('the odd one out');
    const commands = await detail.locator('.rerun code').allTextContents();
    expect(commands).toEqual([
      'npx mitey wast "/s/many/multi.wast" --line 10 --engine v8',
      'npx mitey wast "/s/many/multi.wast" --line 10 --engine v8-node',
      'npx mitey wast "/s/many/multi.wast" --line 10 --engine jit',
      'npx mitey wast "/s/many/multi.wast" --line 10 --engine spidermonkey',
      `npx mitey wast "/s/many/multi.wast" --line 10 --engine '${LONG_ENGINE}'`,
    ]);
    await page.click('#disagreements tr[data-disagreement="multi.wast:10:3"] td.kind');
    expect(await detail.isHidden()).toBe(true);
    await page.close();
  });

  test('an engine not installed is listed with its install command, never as failing or run', async () => {
    const page = await open(MANY_PAGE);
    const absent = page.locator('#summary [data-absent-engine="jsc"]');
    expect(await absent.textContent()).toBe(`jsc not installed: ${JSC_INSTALL}`);
    expect((await coloursIn(absent)).filter(reddish)).toEqual([]);
    expect(await page.locator('#failures [data-failure-row^="jsc:"]').count()).toBe(0);
    expect(await page.locator('[data-engine="jsc"]').count()).toBe(0); // no counts, no columns, no cells
    expect(await page.locator('#disagreements th.eng').allTextContents()).toEqual(names);
    await page.close();
  });

  test('each engine\'s summary says which engine it is: version, dialect, features claimed', async () => {
    const page = await open(MANY_PAGE);
    const sm = page.locator('[data-identity="spidermonkey"]');
    expect(await sm.locator('[data-stat="version"]').textContent()).toBe('spidermonkey 1.0');
    expect(await sm.locator('[data-stat="dialect"]').textContent()).toBe('spidermonkey dialect');
    expect(await sm.locator('[data-stat="features"]').textContent()).toBe('3 features claimed');
    expect(await page.locator(`[data-identity="${LONG_ENGINE}"] [data-stat="dialect"]`).count()).toBe(0); // none recorded
    expect(await page.textContent(`[data-identity="${LONG_ENGINE}"] [data-stat="features"]`)).toBe('2 features claimed');
    await page.close();
  });

  test.each(FIRST_LOOKS)('readable at $width px: the page never scrolls sideways, wide tables scroll in their box', async (viewport) => {
    const page = await open(MANY_PAGE, viewport);
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    // Every table fits in the page, or sits in a box that scrolls sideways.
    const spill = await page.locator('table').evaluateAll((tables) => tables.filter((t) => {
      const box = t.parentElement!;
      const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
      return t.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !scrolls;
    }).map((t) => t.className));
    expect(spill).toEqual([]);
    // The long name wraps in the summary instead of pushing the bars out; the disagreements keep a column per engine.
    const name = (await page.locator('.bars .name').filter({ hasText: LONG_ENGINE }).boundingBox())!;
    expect(name.width).toBeLessThanOrEqual(260);
    const widths = await page.locator('#disagreements th.eng').evaluateAll((ths) => ths.map((th) => th.getBoundingClientRect().width));
    expect(widths).toHaveLength(5);
    for (const w of widths) expect(w).toBeGreaterThanOrEqual(100);
    await page.close();
  });
});
