import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrace } from '../io.js';
import type { Trace } from '../Trace.js';
import { regressionsDir } from '../Trace.js';
import { renderHtml } from './renderHtml.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `traces/viewer: chromium not found at ${CHROMIUM}: the browser tests are SKIPPED. Install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH.`,
  );

function load(name: string): Trace {
  const l = loadTrace(join(regressionsDir(), `${name}.trace.json`));
  if (!l.ok) throw new Error(l.error);
  return l.value;
}

// The committed pre-KIP-101 regression: a crash, a restart, a controller failover, deliveries, and a
// follower that truncates an acknowledged record to its high watermark.
const trace = load('pre-kip-101-hw-truncation-data-loss');
const html = renderHtml(trace);

describe('renderHtml', () => {
  it('is self-contained: no scripts, styles, images or fonts from anywhere else', () => {
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]*\s(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    const urls = html.match(/https?:\/\/[^\s"'<)]+/g) ?? [];
    expect(urls.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
  });

  it('is deterministic', () => {
    expect(renderHtml(trace)).toBe(html);
  });

  it('has one diagram row and one detail template per state, the last one marked as the violation', () => {
    const rows = [...html.matchAll(/<g class="([^"]*)" data-step="(\d+)"/g)];
    expect(rows.map((m) => Number(m[2]))).toEqual(Array.from({ length: trace.steps.length + 1 }, (_, i) => i));
    expect(rows.filter((m) => m[1]?.includes('violation')).map((m) => Number(m[2]))).toEqual([trace.steps.length]);
    expect(html.match(/<template id="step-\d+">/g)).toHaveLength(trace.steps.length + 1);
  });

  it('marks a lasso: the loop start, and the rows of the cycle', () => {
    const lasso = load('never-rule-leaves-partition-offline');
    expect(lasso.loopStart).toBe(lasso.steps.length); // the behaviour stays in its last state
    expect(renderHtml(lasso)).toContain('⟲ stays here forever');
    const cycle = renderHtml({ ...trace, property: { ...trace.property, kind: 'eventually' }, loopStart: 8 });
    expect(cycle).toContain('⟲ loop starts here');
    expect(cycle).toContain('class="loop-back"');
    const loopRows = [...cycle.matchAll(/<g class="[^"]*\bloop\b[^"]*" data-step="(\d+)"/g)].map((m) => Number(m[1]));
    expect(loopRows).toEqual([9, 10, 11]);
  });

  it('escapes text from the trace', () => {
    const evil = renderHtml({ ...trace, detail: '<script>alert(1)</script>', commandLine: ['"><img src=x>'] });
    expect(evil).not.toContain('<script>alert(1)');
    expect(evil).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe.skipIf(!hasChromium)('renderHtml in a real browser (chromium)', () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'kafka-mc-viewer-'));
  const file = join(dir, 'trace.html');

  beforeAll(async () => {
    writeFileSync(file, html);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const heading = (): Promise<string> => page.locator('#details h2').innerText();
  const logOf = (broker: number): Promise<string | null> =>
    page.locator(`#details table.brokers tbody tr:nth-child(${broker + 1}) .log`).getAttribute('data-log');

  it('opens on the violating step, highlighted, with the failing fact', async () => {
    expect(errors).toEqual([]);
    expect(await heading()).toBe(`Step 11: ${trace.steps[10]?.text}`);
    expect(await page.locator('g.row.selected').getAttribute('data-step')).toBe('11');
    expect(await page.locator('g.row.violation').getAttribute('data-step')).toBe('11');
    expect(await page.locator('#details .violation-note').innerText()).toBe(
      '✗ no-data-loss fails here: record r1 (p0, offset 0, acknowledged by b0 in leader epoch 0) is missing from the log of leader b1 (leader epoch 1) (r1 was acknowledged at step 4)',
    );
    // b0 (down) still has r1 below its HW; b1 is leader in epoch 1 with an empty log
    expect(await logOf(0)).toBe('[r1@e0 |]');
    expect(await logOf(1)).toBe('[|]');
    expect(await page.locator('#details table.brokers tbody tr:nth-child(2) td:nth-child(5)').innerText()).toBe(
      'leader',
    );
    expect(await page.locator('#details table.partitions tbody td:nth-child(4)').innerText()).toBe('{1}');
  });

  it('steps with the arrow keys and j/k', async () => {
    await page.keyboard.press('ArrowLeft');
    expect(await heading()).toMatch(/^Step 10: deliver LeaderAndIsr\(p0: leader b0, leader epoch 0/);
    expect(await logOf(1)).toBe('[|]'); // b1 truncated r1 to its high watermark (pre-KIP-101)
    await page.keyboard.press('k');
    expect(await heading()).toBe(`Step 9: ${trace.steps[8]?.text}`);
    expect(await logOf(1)).toBe('[| r1@e0]'); // the restarted b1 still had r1 above its HW
    expect(await page.locator('#details .violation-note').count()).toBe(0);
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowRight');
    expect(await heading()).toMatch(/^Step 11:/);
    await page.keyboard.press('ArrowRight'); // stays on the last step
    expect(await heading()).toMatch(/^Step 11:/);
    await page.keyboard.press('Home');
    expect(await heading()).toBe('Step 0: initial state');
    await page.keyboard.press('ArrowLeft'); // stays on the first step
    expect(await heading()).toBe('Step 0: initial state');
    await page.keyboard.press('End');
    expect(await heading()).toMatch(/^Step 11:/);
  });

  it('shows a step when its row is clicked, with what changed and the ZooKeeper view', async () => {
    await page.locator('g.row[data-step="5"] text.action').click({ timeout: 5000 });
    expect(await heading()).toBe('Step 5: b0 crashes (process dies; its log survives)');
    expect(await page.locator('g.row.selected').getAttribute('data-step')).toBe('5');
    expect(await page.locator('#details table.brokers tbody tr:nth-child(1) td:nth-child(2)').innerText()).toBe('DOWN');
    expect(await page.locator('#details ul.changes').innerText()).toContain('brokers[0].alive: true → false');
    expect(await page.locator('#details p.zk').innerText()).toMatch(/^\/controller: none, controller epoch 1/);
    expect(page.url()).toMatch(/#step=5$/);
    await page.locator('g.row[data-step="8"] text.step-no').click({ timeout: 5000 });
    expect(await page.locator('#details p.zk').innerText()).toMatch(/^\/controller: b1, controller epoch 2/);
  });

  it('draws the space-time diagram: lanes, a crash, a restart and LeaderAndIsr arrows', async () => {
    expect(await page.locator('text.lane-head').allTextContents()).toEqual(
      expect.arrayContaining(['ZooKeeper', 'broker 0', 'broker 1', 'broker 2']),
    );
    expect(await page.locator('g.row[data-step="5"] text.mark.fault').textContent()).toBe('✕');
    expect(await page.locator('g.row[data-step="7"] text.mark.recover').textContent()).toBe('↻');
    expect(await page.locator('g.row[data-step="11"] .arrow.msg').count()).toBe(1);
    expect(await page.locator('g.row[data-step="5"] line.lane.down').count()).toBe(1);
  });

  it('makes no network requests', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
  });

  it('takes a screenshot (UPDATE_SCREENSHOT=1 refreshes traces/viewer/screenshot.png)', async () => {
    await page.keyboard.press('End');
    const png = await page.screenshot({ fullPage: true });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(30_000);
    expect(png.readUInt32BE(16)).toBe(1600); // IHDR width
    expect(png.readUInt32BE(20)).toBeGreaterThan(900); // IHDR height: the full page
    const committed = new URL('./screenshot.png', import.meta.url);
    if (process.env['UPDATE_SCREENSHOT'] === '1') writeFileSync(committed, png);
    expect(readFileSync(committed).subarray(0, 4)).toEqual(png.subarray(0, 4));
  });
});
