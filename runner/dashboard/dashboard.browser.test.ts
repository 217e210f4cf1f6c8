// The dashboard in a real browser: Debian's Chromium driven by playwright-core (no browser download).
// It opens a page built from known results and checks the summary numbers and a drill-down against the JSON.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Browser, chromium } from 'playwright-core';
import { runCli } from '../cli-run.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';
import { RunResult } from '../run-result.js';
import { OUTCOMES } from '../../wast/results.js';


const FAILING = join(PACKAGE_ROOT, 'fixtures', 'failing');
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'mitey-dash-'));
const resultOf = (engine: string) => JSON.parse(readFileSync(join(dir, `${engine}.json`), 'utf8')) as RunResult;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  for (const engine of ['v8', 'jit']) runCli(['wast', FAILING, '--engine', engine, '--json', join(dir, `${engine}.json`)]);
  const r = runCli(['dashboard', join(dir, 'v8.json'), join(dir, 'jit.json'), '--out', join(dir, 'dashboard.html'), '--suite', 'fixtures/failing']);
  expect(r.status).toBe(0);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
});

afterAll(async () => {
  await browser?.close();
});

describe('the dashboard page', () => {
  test('shows the summary numbers of the JSON, per engine and outcome', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(dir, 'dashboard.html')).href);
    for (const engine of ['v8', 'jit']) {
      const totals = resultOf(engine).totals;
      for (const o of OUTCOMES) {
        const text = await page.textContent(`td[data-engine="${engine}"][data-outcome="${o}"]`);
        expect({ engine, o, n: Number(text) }).toEqual({ engine, o, n: totals[o] });
      }
    }
    await page.screenshot({ path: join(dir, 'dashboard.png'), fullPage: false });
    expect(existsSync(join(dir, 'dashboard.png'))).toBe(true);
    await page.close();
  });

  test('a drill-down shows a failure with its expected and actual values and the rerun command', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(dir, 'dashboard.html')).href);
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

  test('the page makes no network request', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(pathToFileURL(join(dir, 'dashboard.html')).href);
    await page.waitForLoadState('load');
    expect(requests).toEqual([]);
    await page.close();
  });
});
