import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Property } from '../../checker/index.js';
import { check, sometimes } from '../../checker/index.js';
import { defaultResolver } from '../../lab/index.js';
import type { Action, ClusterState, ConfigInput, ModelConfig } from '../../model/index.js';
import {
  VOTER_FOLLOWER,
  builtinRule,
  catalogEntry,
  clean,
  kafkaModel,
  popcount,
  resolveConfig,
} from '../../model/index.js';
import { loadTrace } from '../io.js';
import type { Trace } from '../Trace.js';
import { buildTrace, regressionsDir, traceStates } from '../Trace.js';
import { LANE_W, LEFT } from './diagram.js';
import { renderHtml } from './renderHtml.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `traces/viewer: chromium not found at ${CHROMIUM}: the browser tests are SKIPPED. Install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH.`,
  );

const launchChromium = (): Promise<Browser> =>
  chromium.launch({
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
    expect(loopRows).toEqual(Array.from({ length: trace.steps.length - 8 }, (_, i) => 9 + i));
  });

  it('marks a restart with its own symbol', () => {
    const divergence = load('pre-kip-101-replica-divergence');
    const restart = divergence.steps.findIndex((st) => st.action.kind === 'restart') + 1;
    expect(restart).toBeGreaterThan(0);
    expect(renderHtml(divergence)).toMatch(
      new RegExp(`data-step="${restart}"(?:(?!data-step=)[^])*class="mark recover"[^>]*>↻<`),
    );
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
    browser = await launchChromium();
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
    expect(await heading()).toBe(`Step 14: ${trace.steps[13]?.text}`);
    expect(await page.locator('g.row.selected').getAttribute('data-step')).toBe('14');
    expect(await page.locator('g.row.violation').getAttribute('data-step')).toBe('14');
    expect(await page.locator('#details .violation-note').innerText()).toBe(
      '✗ no-data-loss fails here: record r1 (p0, offset 0, acknowledged by b0 in leader epoch 0) is missing from the log of leader b2 (leader epoch 2) (r1 was acknowledged at step 5)',
    );
    // b0 (down) still has r1 below its HW; b1 (down) has it above its HW, which lagged by a fetch;
    // b2 truncated it to its own lagging HW when it followed b1, and now leads epoch 2 with an empty log
    expect(await logOf(0)).toBe('[r1@e0 |]');
    expect(await logOf(1)).toBe('[| r1@e0]');
    expect(await logOf(2)).toBe('[|]');
    expect(await page.locator('#details table.brokers tbody tr:nth-child(3) td:nth-child(5)').innerText()).toBe(
      'leader',
    );
    expect(await page.locator('#details table.partitions tbody td:nth-child(4)').innerText()).toBe('{2}');
  });

  it('steps with the arrow keys and j/k', async () => {
    await page.keyboard.press('ArrowLeft');
    expect(await heading()).toBe(`Step 13: ${trace.steps[12]?.text}`);
    for (let i = 0; i < 3; i++) await page.keyboard.press('k');
    expect(await heading()).toMatch(/^Step 10: deliver LeaderAndIsr\(p0: leader b1, leader epoch 1/);
    expect(await logOf(2)).toBe('[|]'); // b2 truncated r1 to its high watermark (pre-KIP-101)
    await page.keyboard.press('k');
    expect(await heading()).toBe(`Step 9: ${trace.steps[8]?.text}`);
    expect(await logOf(2)).toBe('[| r1@e0]'); // b2 still had r1 above its (lagging) HW
    expect(await page.locator('#details .violation-note').count()).toBe(0);
    await page.keyboard.press('j');
    await page.keyboard.press('End');
    expect(await heading()).toMatch(/^Step 14:/);
    await page.keyboard.press('ArrowRight'); // stays on the last step
    expect(await heading()).toMatch(/^Step 14:/);
    await page.keyboard.press('Home');
    expect(await heading()).toBe('Step 0: initial state');
    await page.keyboard.press('ArrowLeft'); // stays on the first step
    expect(await heading()).toBe('Step 0: initial state');
    await page.keyboard.press('End');
    expect(await heading()).toMatch(/^Step 14:/);
  });

  it('shows a step when its row is clicked, with what changed and the ZooKeeper view', async () => {
    await page.locator('g.row[data-step="6"] text.action').click({ timeout: 5000 });
    expect(await heading()).toBe('Step 6: b0 crashes (process dies; its log survives)');
    expect(await page.locator('g.row.selected').getAttribute('data-step')).toBe('6');
    expect(await page.locator('#details table.brokers tbody tr:nth-child(1) td:nth-child(2)').innerText()).toBe('DOWN');
    expect(await page.locator('#details ul.changes').innerText()).toContain('brokers[0].alive: true → false');
    expect(await page.locator('#details p.zk').innerText()).toMatch(/^\/controller: none, controller epoch 1/);
    expect(page.url()).toMatch(/#step=6$/);
    await page.locator('g.row[data-step="8"] text.step-no').click({ timeout: 5000 });
    expect(await page.locator('#details p.zk').innerText()).toMatch(/^\/controller: b2, controller epoch 2/);
  });

  it('draws the space-time diagram: lanes, crashes and LeaderAndIsr arrows', async () => {
    expect(await page.locator('text.lane-head').allTextContents()).toEqual(
      expect.arrayContaining(['ZooKeeper', 'broker 0', 'broker 1', 'broker 2']),
    );
    expect(await page.locator('g.row[data-step="6"] text.mark.fault').textContent()).toBe('✕');
    expect(await page.locator('g.row[data-step="11"] text.mark.fault').textContent()).toBe('✕');
    expect(await page.locator('g.row[data-step="14"] .arrow.msg').count()).toBe(1);
    expect(await page.locator('g.row[data-step="6"] line.lane.down').count()).toBe(1);
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

// ---------------------------------------------------------------------------------------------------
// KRaft mode

/** A trace of what `model` does on the shortest path to the outcome of `property` a BFS finds. */
function searchTrace(config: ModelConfig, property: Property<ClusterState>, commandLine: readonly string[]): Trace {
  const model = kafkaModel(config, builtinRule(config.electionRule) ?? clean);
  const result = check(model, [property], {});
  const outcome = result.outcomes.find(
    (o) => o.id === property.id && (o.status === 'violated' || o.status === 'found'),
  );
  if (!outcome) throw new Error(`${property.id}: the search found nothing (${result.kind})`);
  const built = buildTrace({
    model,
    config,
    rule: { name: config.electionRule },
    outcome,
    property,
    strategy: 'bfs',
    commandLine,
  });
  if (!built.ok) throw new Error(built.error);
  return built.value;
}

/** A KRaft catalog entry's counterexample, found as `kafka-mc catalog run <id>` finds it (a BFS, about a second). */
function catalogTrace(id: string): Trace {
  const entry = catalogEntry(id);
  if (!entry) throw new Error(`no catalog entry ${id}`);
  const config = resolveConfig(entry.config);
  const property = defaultResolver(entry.property, config);
  if (!property) throw new Error(`${id}: unknown property ${entry.property}`);
  return searchTrace(config, property, ['kafka-mc', 'catalog', 'run', id]);
}

/**
 * The KRaft screenshot's story, an example the BFS finds on kraft-split-brain's configuration (without
 * check quorum): a split cuts the quorum leader c0 off with b0; c1 wins Raft epoch 2 and fences b0, whose
 * partition moves to b1 while b0 still leads it under c0; the split heals, c0 steps down, and b0 is
 * unfenced, follows b1 and rejoins the ISR.
 */
function splitHealsTrace(): Trace {
  const entry = catalogEntry('kraft-split-brain');
  if (!entry) throw new Error('no catalog entry kraft-split-brain');
  const input: ConfigInput = { ...entry.config, bounds: { ...entry.config.bounds, metadataRecords: 4 } };
  const config = resolveConfig(input);
  const all = (1 << config.brokers) - 1;
  const healed = sometimes<ClusterState>(
    'kraft-split-heals',
    'A quorum leader cut off by a network split is replaced, and once the split heals every node follows the new leaders',
    (s) => {
      const c0 = s.kraft?.voters[0];
      const p = s.zk.partitions[0];
      return (
        !!c0 &&
        !!p &&
        s.split === 0 &&
        s.budget.networkPartitions === 0 &&
        c0.role === VOTER_FOLLOWER &&
        c0.leader > 0 &&
        p.leader > 0 &&
        p.isr === all &&
        s.brokers[p.leader]?.replicas[0]?.isr === all &&
        s.brokers.every((b) => b.replicas[0]?.leader === p.leader && b.replicas[0]?.leaderEpoch === p.leaderEpoch)
      );
    },
  );
  return searchTrace(config, healed, ['kafka-mc (viewer test)', 'kraft-split-heals']);
}

const statesOf = (t: Trace): readonly ClusterState[] => {
  const r = traceStates(t);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

/** The SVG of each diagram row, by step. */
function rowsOf(page: string): string[] {
  return [...page.matchAll(/<g class="[^"]*" data-step="(\d+)">([\s\S]*?)<\/g>/g)].map((m) => m[2] ?? '');
}

/** The details template of step k. */
function templateOf(page: string, k: number): string {
  const m = new RegExp(`<template id="step-${k}">([\\s\\S]*?)</template>`).exec(page);
  if (!m?.[1]) throw new Error(`no template for step ${k}`);
  return m[1];
}

/** The cells' text of each row of a details table. */
function tableRows(template: string, cls: string): string[][] {
  const table = new RegExp(`<table class="${cls}">([\\s\\S]*?)</table>`).exec(template)?.[1] ?? '';
  const body = /<tbody>([\s\S]*)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...(r[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) =>
      (c[1] ?? '').replace(/<sub>[^<]*<\/sub>/g, '').replace(/<[^>]+>/g, ''),
    ),
  );
}

/** The centre of lane l (voters are lanes 0..V-1, broker b is lane V+b). */
const laneX = (l: number): number => LEFT + l * LANE_W + LANE_W / 2;

/** Arrows of a row as [from lane, to lane, class], read back from their end points. */
function arrowsOf(row: string): { from: number; to: number; cls: string }[] {
  return [...row.matchAll(/<line class="arrow ([^"]*)" x1="([\d.-]+)" y1="[\d.-]+" x2="([\d.-]+)"/g)].map((m) => {
    const x1 = Number(m[2]);
    const x2 = Number(m[3]);
    const lane = (x: number): number => Math.round((x - LEFT - LANE_W / 2) / LANE_W);
    return { from: lane(x1), to: lane(x2), cls: m[1] ?? '' };
  });
}

const splitBrain = load('kraft-split-brain');
const splitBrainHtml = renderHtml(splitBrain);
const voteTrace = catalogTrace('kraft-vote-without-log-check');
const lastReplica = catalogTrace('last-replica-standing-kraft');
const story = splitHealsTrace();
const kraftTraces = [splitBrain, voteTrace, lastReplica, story];

describe('renderHtml in KRaft mode', () => {
  it('draws a lane per controller voter and per broker under their group headings, and no ZooKeeper lane', () => {
    for (const t of kraftTraces) {
      const page = renderHtml(t);
      const { voters, brokers } = t.config;
      const heads = [...page.matchAll(/<text class="lane-head" x="([\d.]+)"[^>]*>([^<]*)<\/text>/g)];
      expect(heads.map((m) => m[2])).toEqual([
        ...Array.from({ length: voters }, (_, v) => `c${v}`),
        ...Array.from({ length: brokers }, (_, b) => `b${b}`),
      ]);
      expect(heads.map((m) => Number(m[1]))).toEqual(heads.map((_, l) => laneX(l)));
      expect([...page.matchAll(/<text class="group-head"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])).toEqual([
        voters > 1 ? 'controller quorum' : 'controller',
        'brokers',
      ]);
      expect(page).not.toContain('ZooKeeper</text>');
      expect(page).toContain('<p class="legend" id="legend">');
      expect(rowsOf(page)).toHaveLength(t.steps.length + 1);
    }
    // the ZooKeeper view keeps its lanes and carries none of KRaft's
    expect(html).toContain('>ZooKeeper</text>');
    expect(html).not.toMatch(/controller quorum|class="legend"|voter-badge/);
  });

  it("draws each voter's role and Raft epoch where they change, and its metadata log's high watermark", () => {
    const ROLE = ['unattached', 'follower', 'candidate', 'leader', 'resigned'];
    for (const t of kraftTraces) {
      const states = statesOf(t);
      const rows = rowsOf(renderHtml(t));
      states.forEach((s, k) => {
        const row = rows[k] ?? '';
        const lanes = [...row.matchAll(/<line class="lane voter ([a-z]+)" x1="([\d.]+)"/g)];
        expect(lanes.map((m) => m[1])).toEqual(s.kraft?.voters.map((x) => (x.alive ? ROLE[x.role] : 'down')));
        s.kraft?.voters.forEach((x, v) => {
          const was = states[k - 1]?.kraft?.voters[v];
          const badge = new RegExp(
            `<text class="voter-badge [a-z]+" x="${laneX(v) - 5}"[^>]*><title>[^<]*</title>([^<]*)<`,
          );
          const note = new RegExp(`<text class="log-note" x="${laneX(v) + 5}"[^>]*><title>[^<]*</title>([^<]*)<`);
          const fresh = !was || !was.alive;
          if (x.alive && (fresh || was.role !== x.role || was.epoch !== x.epoch))
            expect(badge.exec(row)?.[1], `step ${k} c${v}`).toBe(`${'UFCLR'[x.role]}·e${x.epoch}`);
          else expect(badge.test(row), `step ${k} c${v}`).toBe(false);
          if (x.alive && (fresh || was.hw !== x.hw || JSON.stringify(was.log) !== JSON.stringify(x.log)))
            expect(note.exec(row)?.[1], `step ${k} c${v}`).toBe(`${x.hw}/${x.log.length}`);
          else expect(note.test(row), `step ${k} c${v}`).toBe(false);
        });
      });
    }
    // the split brain of KAFKA-15489: c0 still leads Raft epoch 1 while c1 wins epoch 2
    const last = rowsOf(splitBrainHtml)[2] ?? '';
    expect(last).toMatch(/<line class="lane voter leader" x1="90"/);
    expect(last).toMatch(/<title>c1: leader in Raft epoch 2<\/title>L·e2</);
  });

  it('draws metadata records as arrows from the quorum leader to the voters that replicate them and the brokers that fetch them', () => {
    let fetches = 0;
    let replications = 0;
    for (const t of kraftTraces) {
      const V = t.config.voters;
      const rows = rowsOf(renderHtml(t));
      t.steps.forEach((st, i) => {
        const meta = arrowsOf(rows[i + 1] ?? '').filter((a) => a.cls === 'meta');
        if (st.action.kind === 'fetch-metadata') {
          // the model's words name the quorum leader the broker applies metadata from
          const from = Number(/from quorum leader c(\d)/.exec(st.text)?.[1]);
          expect(meta, st.text).toEqual([{ from, to: V + st.action.broker, cls: 'meta' }]);
          fetches++;
        }
        // otherwise one quorum leader sends: every other voter whose metadata log or high watermark changed
        // in the step gets an arrow from it
        const leader = meta[0]?.from;
        if (st.action.kind !== 'fetch-metadata' && leader !== undefined) {
          const took = new Set(
            st.changes.flatMap((c) => /^kraft\.voters\[(\d)\]\.(log|hw)\b/.exec(c.path)?.[1] ?? []).map(Number),
          );
          took.delete(leader);
          expect(new Set(meta.map((a) => a.from)), st.text).toEqual(new Set([leader]));
          expect(meta.map((a) => a.to).sort(), st.text).toEqual([...took].sort());
          replications++;
        }
      });
    }
    expect(fetches).toBeGreaterThan(5);
    expect(replications).toBeGreaterThanOrEqual(5);
    // kraft-vote-without-log-check: c1 is down, so the fencing record goes from c0 to c2 only
    const fence = voteTrace.steps.findIndex((st) => st.action.kind === 'fence-broker');
    expect(arrowsOf(rowsOf(renderHtml(voteTrace))[fence + 1] ?? '')).toEqual([{ from: 0, to: 2, cls: 'meta' }]);
  });

  it('draws votes, and requests from brokers to the active controller', () => {
    const rows = rowsOf(renderHtml(story));
    const win = story.steps.findIndex((st) => st.action.kind === 'raft-timeout');
    // c1 wins Raft epoch 2 with c2's vote and replicates its LeaderChange to c2
    expect(arrowsOf(rows[win + 1] ?? '')).toEqual([
      { from: 2, to: 1, cls: 'vote' },
      { from: 1, to: 2, cls: 'meta' },
    ]);
    // the fetch that lets b1 take b0 back into the ISR sends b1's AlterPartition to c1 in the same step
    const rejoin = story.steps.findIndex((st) => st.action.kind === 'fetch');
    expect(arrowsOf(rows[rejoin + 1] ?? '')).toEqual([
      { from: 4, to: 3, cls: 'data' },
      { from: 4, to: 1, cls: 'ctl' },
      { from: 1, to: 0, cls: 'meta' },
      { from: 1, to: 2, cls: 'meta' },
    ]);
    expect(rows[rejoin + 1]).toContain('>AlterPartition p0 ISR {0,1,2}</text>');
    const register = lastReplica.steps.findIndex((st) => st.action.kind === 'register-broker');
    expect(arrowsOf(rowsOf(renderHtml(lastReplica))[register + 1] ?? '')).toEqual([{ from: 1, to: 0, cls: 'ctl' }]);
  });

  it('shades the two sides of a network split, and names the two sets of nodes', () => {
    const states = statesOf(splitBrain);
    const rows = rowsOf(splitBrainHtml);
    states.forEach((s, k) => {
      const a = (rows[k] ?? '').match(/<rect class="side side-a"/g) ?? [];
      const b = (rows[k] ?? '').match(/<rect class="side side-b"/g) ?? [];
      expect(a.length, `step ${k}`).toBe(popcount(s.split));
      expect(b.length, `step ${k}`).toBe(s.split ? 6 - popcount(s.split) : 0);
    });
    // {b0, c0} | {b1, b2, c1, c2}: c0 (lane 0) and b0 (lane 3) on the first side
    const sides = [...(rows[1] ?? '').matchAll(/<rect class="side (side-[ab])" x="([\d.]+)"/g)].map((m) => m[1]);
    expect(sides).toEqual(['side-a', 'side-b', 'side-b', 'side-a', 'side-b', 'side-b']);
    expect(rows[1]).toContain(
      'network split <tspan class="side-a-text">{c0, b0}</tspan> | <tspan class="side-b-text">{c1, c2, b1, b2}</tspan>',
    );
    expect(templateOf(splitBrainHtml, 2)).toContain(
      '<p class="net">split into two sets of nodes: <span class="side-a-text">{c0, b0}</span> | <span class="side-b-text">{c1, c2, b1, b2}</span></p>',
    );
    expect(templateOf(splitBrainHtml, 1)).toContain('<li>split: connected → {c0, b0} | {c1, c2, b1, b2}</li>');
    expect(templateOf(splitBrainHtml, 0)).toContain('<p class="net">connected</p>');
  });

  it("shows Kafka's metrics per step: the split brain's two ActiveControllerCount 1s", () => {
    const election = templateOf(splitBrainHtml, 2);
    expect(election).toContain('<li>ActiveControllerCount 0→1 on c1</li>');
    expect(tableRows(election, 'metrics')).toEqual([
      ['b0', '–', '–', '0', '0', '0'],
      ['b1', '–', '–', '0', '0', '0'],
      ['b2', '–', '–', '0', '0', '0'],
      ['c0', '1', '0', '–', '–', '–'],
      ['c1', '1', '0', '–', '–', '–'],
      ['c2', '0', '0', '–', '–', '–'],
    ]);
    expect(election).toContain(
      '<tr class="cluster"><th>cluster</th><th>2</th><th>0</th><th>0</th><th>0</th><th>0</th></tr>',
    );
    expect(templateOf(splitBrainHtml, 1)).toContain('no metric moved in this step');
  });

  it("shows each voter's state, each broker's registration and fencing, and the committed metadata image", () => {
    const states = statesOf(voteTrace);
    const page = renderHtml(voteTrace);
    const n = voteTrace.steps.length;
    states.forEach((s, k) => {
      const voters = tableRows(templateOf(page, k), 'voters');
      expect(
        voters.map((r) => r.slice(0, 4)),
        `step ${k}`,
      ).toEqual(
        s.kraft?.voters.map((x, v) => [
          `c${v}`,
          x.alive ? 'up' : 'DOWN',
          ['unattached', 'follower', 'candidate', 'leader', 'resigned'][x.role],
          String(x.epoch),
        ]),
      );
      expect(
        voters.map((r) => r[7]),
        `step ${k}`,
      ).toEqual(s.kraft?.voters.map((x) => String(x.hw)));
    });
    // the violation: the new leader's log replaces the committed fencing record, shown in red
    const last = templateOf(page, n);
    expect(last).toMatch(
      /class="rec meta-rec committed lost" title="offset 1: LeaderChange\(epoch 2\), Raft epoch 2 — replaces the committed FenceBroker\(b0\)/,
    );
    expect(last).toContain('<span class="bad">a committed record has been replaced</span>');
    const c2 = /data-log="([^"]*)"/.exec(/<tr[^>]*><td[^>]*>c2<\/td>[\s\S]*?<\/tr>/.exec(last)?.[0] ?? '')?.[1];
    expect(c2).toBe('[LeaderChange@e1 LeaderChange@e2 |]');
    // b0 is fenced in the committed image from the fencing step on; every broker row says so
    const fenced = voteTrace.steps.findIndex((st) => st.action.kind === 'fence-broker') + 1;
    for (let k = 0; k <= n; k++) {
      const b0 = tableRows(templateOf(page, k), 'brokers kraft')[0] ?? [];
      expect(b0.slice(0, 5), `step ${k}`).toEqual([
        'b0',
        'up',
        'registered, broker epoch 1',
        `broker epoch 1, ${k >= fenced ? 'fenced' : 'unfenced'}`,
        'caught up',
      ]);
    }
    expect(last).toContain('The model keeps no applied metadata offset per broker');
  });

  it('follows a broker through power loss, fencing, a new registration and unfencing (last-replica-standing-kraft)', () => {
    const page = renderHtml(lastReplica);
    const states = statesOf(lastReplica);
    const b0 = (k: number): string[] => tableRows(templateOf(page, k), 'brokers kraft')[0] ?? [];
    const at = (kind: Action['kind']): number => lastReplica.steps.findIndex((st) => st.action.kind === kind) + 1;
    const epoch = states[at('register-broker')]?.kraft?.brokers[0]?.epoch;
    expect(b0(at('unclean-shutdown')).slice(1, 6)).toEqual(['DOWN', '—', 'broker epoch 1, unfenced', '—', '—']);
    expect(b0(at('fence-broker')).slice(1, 5)).toEqual(['DOWN', '—', 'broker epoch 1, fenced', '—']);
    expect(b0(at('restart')).slice(1, 5)).toEqual(['up', 'not registered', 'broker epoch 1, fenced', 'not caught up']);
    expect(b0(at('register-broker')).slice(1, 5)).toEqual([
      'up',
      `registered, broker epoch ${epoch}`,
      `broker epoch ${epoch}, fenced`,
      'not caught up',
    ]);
    expect(b0(at('unfence-broker')).slice(3, 5)).toEqual([`broker epoch ${epoch}, unfenced`, 'caught up']);
    // on the diagram: b0's lane is orange while fenced and dotted while unregistered
    const rows = rowsOf(page);
    const lane = (k: number): string => /<line class="(lane [^"]*)" x1="182"/.exec(rows[k] ?? '')?.[1] ?? '';
    expect(lane(at('fence-broker'))).toBe('lane down fenced');
    expect(lane(at('restart'))).toBe('lane up fenced unregistered');
    expect(lane(at('register-broker'))).toBe('lane up fenced');
    expect(lane(at('unfence-broker'))).toBe('lane up');
    expect(rows[at('register-broker')]).toMatch(/<text class="reg-note fenced"[^>]*><title>[^<]*<\/title>fenced e\d+</);
    expect(rows[at('unfence-broker')]).toMatch(/<text class="reg-note unfenced"[^>]*><title>[^<]*<\/title>unfenced</);
  });

  it('renders random KRaft behaviours with every kind of step, each drawing something', () => {
    const config = resolveConfig({
      mode: 'kraft',
      preVote: false,
      networkSplits: 'any',
      minInsyncReplicas: 1,
      bounds: { records: 1, leaderEpochs: 2, raftEpochs: 3, metadataRecords: 4 },
      faults: { crashes: 2, uncleanShutdowns: 1, networkPartitions: 1, controlledShutdowns: 1, preferredElections: 1 },
    });
    const model = kafkaModel(config, clean);
    const property = sometimes<ClusterState>('walk', 'a random walk', () => true);
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 5, maxLength: 30 }), (choices) => {
        const path = [0];
        let s = model.initStates()[0] as ClusterState;
        for (const c of choices) {
          const acts = model.actions(s);
          const a = acts[c % Math.max(1, acts.length)];
          const next = a && model.next(s, a);
          if (!a || !next) break;
          path.push(c % acts.length);
          seen.add(a.kind);
          s = next;
        }
        const built = buildTrace({
          model,
          config,
          rule: { name: 'clean' },
          outcome: { id: property.id, title: property.title, kind: 'sometimes', status: 'found', path },
          property,
          strategy: 'simulation',
          seed: 1,
          commandLine: ['kafka-mc', 'simulate'],
        });
        if (!built.ok) throw new Error(built.error);
        const page = renderHtml(built.value);
        const rows = rowsOf(page);
        expect(rows).toHaveLength(path.length);
        rows.slice(1).forEach((r, i) => expect(r, built.value.steps[i]?.text).toMatch(/class="(arrow|mark|band) /));
        expect(page.match(/<template id="step-\d+">/g)).toHaveLength(path.length);
      }),
      { seed: 18, numRuns: 40 },
    );
    for (const k of [
      'raft-timeout',
      'raft-vote',
      'raft-replicate',
      'register-broker',
      'fence-broker',
      'unfence-broker',
      'fetch-metadata',
      'crash-voter',
      'restart-voter',
      'partition-network',
      'heal',
      'controlled-shutdown',
      'shrink-isr',
    ])
      expect(seen, k).toContain(k);
  });
});

describe.skipIf(!hasChromium)('renderHtml in KRaft mode in a real browser (chromium)', () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'kafka-mc-viewer-kraft-'));

  beforeAll(async () => {
    writeFileSync(join(dir, 'split-brain.html'), splitBrainHtml);
    writeFileSync(join(dir, 'story.html'), renderHtml(story));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(dir, 'split-brain.html')).href);
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const heading = (): Promise<string> => page.locator('#details h2').innerText();
  const voter = (v: number): Promise<string[]> =>
    page.locator(`#details table.voters tbody tr:nth-child(${v + 1}) td`).allInnerTexts();
  const broker = (b: number): Promise<string[]> =>
    page.locator(`#details table.brokers tbody tr:nth-child(${b + 1}) td`).allInnerTexts();

  it('opens on the split brain: two quorum leaders, and b0 served by the deposed one after the new one fenced it', async () => {
    expect(errors).toEqual([]);
    expect(await heading()).toBe(`Step 3: ${splitBrain.steps[2]?.text}`);
    expect(await page.locator('g.row.selected').getAttribute('data-step')).toBe('3');
    expect((await voter(0)).slice(0, 4)).toEqual(['c0', 'up', 'leader', '1']);
    expect((await voter(1)).slice(0, 4)).toEqual(['c1', 'up', 'leader', '2']);
    expect(await page.locator('#details table.voters tbody tr:nth-child(2) .log').getAttribute('data-log')).toBe(
      '[LeaderChange@e1 LeaderChange@e2 Fence(b0)@e2 |]', // the fence is committed by c1 and c2
    );
    expect(await page.locator('#details p.quorum').innerText()).toContain(
      'c0 leads Raft epoch 1 (its LeaderChange is committed; it reaches only 1 of 3 voters)',
    );
    expect((await broker(0))[5]).toBe('c0 (deposed)');
  });

  it('steps back with the arrow keys to the election, the split, and the connected initial state', async () => {
    await page.keyboard.press('ArrowLeft');
    expect(await heading()).toBe(`Step 2: ${splitBrain.steps[1]?.text}`);
    expect(await page.locator('#details table.voters tbody tr:nth-child(2) .log').getAttribute('data-log')).toBe(
      '[LeaderChange@e1 LeaderChange@e2 |]',
    );
    await page.keyboard.press('ArrowLeft');
    expect(await heading()).toBe(`Step 1: ${splitBrain.steps[0]?.text}`);
    expect(await page.locator('#details p.net').innerText()).toBe(
      'split into two sets of nodes: {c0, b0} | {c1, c2, b1, b2}',
    );
    expect((await voter(1)).slice(0, 4)).toEqual(['c1', 'up', 'follower', '1']);
    await page.keyboard.press('ArrowLeft');
    expect(await heading()).toBe('Step 0: initial state');
    expect(await page.locator('#details p.net').innerText()).toBe('connected');
    await page.keyboard.press('End');
    expect(await heading()).toMatch(/^Step 3:/);
  });

  it('shows a step when its row is clicked: the story of a split that heals', async () => {
    await page.goto(pathToFileURL(join(dir, 'story.html')).href);
    expect(await heading()).toBe('Step 0: initial state'); // an example: no violation to open on
    const fence = story.steps.findIndex((st) => st.action.kind === 'fence-broker') + 1;
    await page.locator(`g.row[data-step="${fence}"] text.action`).click({ timeout: 5000 });
    expect(await heading()).toBe(`Step ${fence}: ${story.steps[fence - 1]?.text}`);
    expect((await voter(0)).slice(0, 4)).toEqual(['c0', 'up', 'leader', '1']);
    expect((await voter(1)).slice(0, 4)).toEqual(['c1', 'up', 'leader', '2']);
    expect((await broker(0)).slice(0, 5)).toEqual([
      'b0',
      'up',
      'registered, broker epoch 1',
      'broker epoch 1, fenced',
      'caught up',
    ]);
    expect(await page.locator('#details table.partitions tbody td:nth-child(2)').innerText()).toBe('b1');
    await page.keyboard.press('End');
    expect((await voter(0)).slice(0, 4)).toEqual(['c0', 'up', 'follower', '2']);
    expect((await broker(0))[3]).toBe('broker epoch 1, unfenced');
    expect(await page.locator('#details p.net').innerText()).toBe('connected');
  });

  it('makes no network requests', () => {
    expect(errors).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
  });

  it('takes a screenshot (UPDATE_SCREENSHOT=1 refreshes traces/viewer/screenshot-kraft.png)', async () => {
    // the split brain at its height: b1 has taken over p0 from c1's metadata while b0 still leads it under c0
    const takeover = story.steps.findIndex((st) => st.action.kind === 'fetch-metadata') + 1;
    await page.locator(`g.row[data-step="${takeover}"] text.action`).click({ timeout: 5000 });
    expect(await heading()).toBe(`Step ${takeover}: ${story.steps[takeover - 1]?.text}`);
    const png = await page.screenshot({ fullPage: true });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(30_000);
    expect(png.readUInt32BE(16)).toBe(1600); // IHDR width
    expect(png.readUInt32BE(20)).toBeGreaterThan(1000); // IHDR height: the full page
    const committed = new URL('./screenshot-kraft.png', import.meta.url);
    if (process.env['UPDATE_SCREENSHOT'] === '1') writeFileSync(committed, png);
    expect(readFileSync(committed).subarray(0, 4)).toEqual(png.subarray(0, 4));
  });
});
