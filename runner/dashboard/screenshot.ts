// Takes a screenshot of a dashboard page in Debian's Chromium: `node dist/runner/dashboard/screenshot.js page.html out.png`.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';

async function main(): Promise<void> {
  const [page, out] = process.argv.slice(2);
  if (!page || !out) throw new Error('usage: screenshot <page.html> <out.png>');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const p = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await p.goto(pathToFileURL(resolve(page)).href);
    await p.screenshot({ path: out, fullPage: false });
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
