/**
 * Renders an SVG figure to PNG with the headless chromium the viewer's browser tests use
 * (playwright-core, a dev dependency; `CHROMIUM_PATH`, default /usr/bin/chromium):
 *   npx tsx docs/svgToPng.ts docs/latency.svg docs/latency.png
 * kafka-mc itself writes SVG only (no browser at run time).
 */
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [input, output] = process.argv.slice(2);
if (!input || !output?.endsWith('.png')) {
  process.stderr.write('usage: npx tsx docs/svgToPng.ts FIGURE.svg FIGURE.png\n');
  process.exit(2);
}
const svg = readFileSync(input, 'utf8');
const size = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
const width = Number(size?.[1] ?? 800);
const height = Number(size?.[2] ?? 600);
const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 2 });
  await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
  await page.locator('svg').first().screenshot({ path: output });
} finally {
  await browser.close();
}
