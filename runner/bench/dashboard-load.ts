// npm run bench:dashboard: how long the dashboard of a whole suite on two engines, with ten earlier
// runs each in its history, takes to load in headless Chromium. Measured, printed, never asserted.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { buildDashboard } from '../dashboard/build-dashboard.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../dashboard/chromium.js';
import { RunResult } from '../run-result.js';

async function main(): Promise<void> {
  const results = process.argv.slice(2);
  if (results.length === 0) throw new Error('usage: dashboard-load <results.json…> (e.g. results/testsuite/v8.json results/testsuite/jit.json)');
  const dir = mkdtempSync(join(tmpdir(), 'mitey-dash-load-'));
  const history = join(dir, 'history');
  // Ten earlier runs per engine: the same results an hour apart each, older than the current ones.
  for (const path of results) {
    const run = JSON.parse(readFileSync(path, 'utf8')) as RunResult;
    for (let i = 10; i >= 1; i--) {
      const startedAt = new Date(Date.parse(run.startedAt) - i * 3600_000).toISOString();
      writeFileSync(join(dir, `h-${run.engine.name}-${i}.json`), JSON.stringify({ ...run, startedAt }));
      buildDashboard({ results: [join(dir, `h-${run.engine.name}-${i}.json`)], out: join(dir, 'scratch.html'), suite: '', historyDir: history });
    }
  }
  const out = buildDashboard({ results: results.map((r) => resolve(r)), out: join(dir, 'dashboard.html'), suite: results.join(' '), historyDir: history });
  const size = readFileSync(out).length;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const t = performance.now();
      await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
      await page.waitForSelector('tr.row[data-file]');
      times.push(performance.now() - t);
      await page.close();
    }
    console.log(`dashboard: ${(size / 1e6).toFixed(1)} MB, ${results.length} engines, 10 earlier runs each`);
    console.log(`load until the file table is there: ${times.map((x) => x.toFixed(0)).join(', ')} ms (best ${Math.min(...times).toFixed(0)} ms)`);
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
