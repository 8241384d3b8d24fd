/**
 * Benchmark: two-phase commit with N resource managers, explored exhaustively by kafka-mc's engines
 * (single-threaded `check()` breadth- and depth-first, and the parallel engine with 1 and 2 workers), when
 * `TLC_JAR` names tla2tools.jar by TLC on bench/tla/TwoPhase.tla, and when `STATERIGHT_BIN` names
 * Stateright's patched `2pc` example by Stateright (BFS and DFS, one thread), with the same N, in the
 * same run.
 *
 * Every run's distinct-state count is asserted against TLC's published counts; a mismatch fails the
 * benchmark (exit code 1). Each measurement runs in its own child process so that peak RSS is per run.
 *
 * Usage: node dist/bench/run.js [--sizes 7,8,9] [--workers 1,2] [--no-baseline] [--no-dfs] [--tlc-max N]
 *        [--repeat N] [--out FILE]
 *
 * `--repeat N` runs the single-threaded rows (`check()` BFS and DFS, and Stateright's BFS and DFS when
 * `STATERIGHT_BIN` is set) N times each, alternating kafka-mc and Stateright, shows the run of median CPU
 * time in the table, and judges the Stateright goal on the median of the pair-by-pair ratios.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../checker/search.js';
import { checkParallel } from '../checker/parallel.js';
import { twoPhaseAllCommit, twoPhaseConsistent, twoPhaseModel } from '../checker/testing/twoPhase.js';
import {
  comparisonText,
  medianRun,
  pairedRatio,
  pairedText,
  pairedVerdict,
  parseStateright,
  staterightArgs,
  staterightHeader,
  staterightVerdict,
  STATERIGHT_PAIRS,
  type PairedRatio,
  staterightComparisons,
  type Comparison,
  type StaterightOrder,
} from './stateright.js';

/** Distinct states TLC reports for TwoPhase with N RMs. */
const PINNED: Readonly<Record<number, number>> = {
  3: 288,
  5: 8_832,
  7: 296_448,
  8: 1_745_408,
  9: 10_340_352,
};

interface Measurement {
  readonly tool: string;
  readonly n: number;
  readonly workers: number;
  readonly distinct: number;
  /** Wall time of the whole child process (node or JVM start-up included). */
  readonly wallMs: number;
  /** Time of the search itself as the tool reports it (`undefined` when it does not). */
  readonly searchMs: number | undefined;
  readonly bytesPerState: number | undefined;
  /** Peak resident set size of the child process, in KiB. */
  readonly maxRssKiB: number;
  /** CPU time (user + system, all threads) of the child process; NaN when unknown. */
  readonly cpuMs: number;
  /** 1-minute load average when the measurement ended (other processes compete for the CPUs). */
  readonly load: number;
}

interface ChildReport {
  readonly distinct: number;
  readonly searchMs: number;
  readonly bytesPerState: number;
  readonly maxRssKiB: number;
  readonly cpuMs: number;
}

const here = fileURLToPath(import.meta.url);
const specsModule = fileURLToPath(new URL('../checker/testing/specs.js', import.meta.url));
const tlaDir = fileURLToPath(new URL('../../bench/tla/', import.meta.url));

type Engine = 'check' | 'check-dfs' | 'parallel';

const TOOL: Readonly<Record<Engine, string>> = {
  check: 'kafka-mc check()',
  'check-dfs': 'kafka-mc check() DFS',
  parallel: 'kafka-mc parallel',
};

/** Child mode: one measurement, printed as one JSON line. */
async function child(engine: string, n: number, workers: number): Promise<void> {
  let r;
  const properties = [twoPhaseConsistent, twoPhaseAllCommit];
  if (engine === 'check') r = check(twoPhaseModel(n), properties);
  else if (engine === 'check-dfs') r = check(twoPhaseModel(n), properties, { strategy: 'dfs' });
  else r = await checkParallel({ module: specsModule, export: 'twoPhaseSpec', arg: n }, { workers });
  if (r.kind !== 'ok') throw new Error(`run ended with ${r.kind}: ${JSON.stringify(r)}`);
  const out: ChildReport = {
    distinct: r.stats.distinct,
    searchMs: r.stats.durationMs,
    bytesPerState: r.stats.bytesPerState,
    maxRssKiB: process.resourceUsage().maxRSS,
    cpuMs: (() => {
      const c = process.cpuUsage();
      return (c.user + c.system) / 1000;
    })(),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function fail(message: string): never {
  process.stderr.write(`\n*** BENCHMARK FAILED: ${message}\n`);
  process.exit(1);
}

function assertCount(m: Measurement): void {
  const want = PINNED[m.n];
  if (want === undefined) return;
  if (m.distinct !== want)
    fail(
      `${m.tool} with ${m.workers} worker(s) found ${m.distinct} distinct states for ${m.n} RMs; TLC's count is ${want}`,
    );
}

function runOurs(engine: Engine, n: number, workers: number): Measurement {
  const t0 = performance.now();
  const res = spawnSync(process.execPath, [here, '--child', engine, String(n), String(workers)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const wallMs = performance.now() - t0;
  if (res.status !== 0) fail(`${engine} ${n} RMs, ${workers} worker(s) exited with ${res.status}:\n${res.stderr}`);
  const line = res.stdout.trim().split('\n').at(-1) ?? '';
  const r = JSON.parse(line) as ChildReport;
  return {
    tool: TOOL[engine],
    n,
    workers,
    distinct: r.distinct,
    wallMs,
    searchMs: r.searchMs,
    bytesPerState: r.bytesPerState,
    maxRssKiB: r.maxRssKiB,
    cpuMs: r.cpuMs,
    load: loadavg()[0] ?? NaN,
  };
}

/**
 * The machine's own ceiling for a 2-way speed-up of this workload: two independent single-worker runs
 * started together share nothing but cores, caches and memory. Returns their search times and the wall
 * time for both.
 */
async function sideBySide(n: number): Promise<{ searchMs: number[]; wallMs: number }> {
  const t0 = performance.now();
  const one = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const p = spawn(process.execPath, [here, '--child', 'parallel', String(n), '1']);
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.on('error', reject);
      p.on('close', (code) =>
        code === 0
          ? resolve((JSON.parse(out.trim().split('\n').at(-1) ?? '') as ChildReport).searchMs)
          : reject(new Error(`side-by-side run exited with ${code}`)),
      );
    });
  const searchMs = await Promise.all([one(), one()]);
  return { searchMs, wallMs: performance.now() - t0 };
}

/** The TLC command line for N RMs (cwd = a scratch directory holding TwoPhase.tla and the cfg). */
function tlcArgs(jar: string, workers: number, cfg: string): string[] {
  return ['-XX:+UseParallelGC', '-cp', jar, 'tlc2.TLC', '-workers', String(workers), '-deadlock', '-config', cfg];
}

/**
 * User + system time of this process's terminated, waited-for children (fields 16 and 17 of
 * /proc/self/stat, in clock ticks of 10 ms); NaN without /proc.
 */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * Runs a command; samples its peak RSS (VmHWM) from Linux /proc until it exits. Its CPU time is the
 * growth of this process's children's CPU time once it has been waited for (exact to 10 ms; nothing
 * else runs beside it), else the last /proc sample.
 */
function spawnMeasured(
  cmd: string,
  args: readonly string[],
  cwd: string,
): Promise<{ status: number | null; text: string; wallMs: number; peakKiB: number | undefined; cpuMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const cpuBefore = childrenCpuMs();
    const p = spawn(cmd, args, { cwd });
    let text = '';
    let peak: number | undefined;
    let cpuMs = NaN;
    p.stdout.on('data', (d: Buffer) => (text += d.toString()));
    p.stderr.on('data', (d: Buffer) => (text += d.toString()));
    const sample = (): void => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak ?? 0, Number(m[1]));
        // fields 14 and 15 of /proc/pid/stat: utime and stime in clock ticks (100 per second on Linux)
        const stat = readFileSync(`/proc/${p.pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        cpuMs = (Number(f[11]) + Number(f[12])) * 10;
      } catch {
        // exited, or no /proc
      }
    };
    const timer = setInterval(sample, 100);
    p.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    p.on('exit', (status) => {
      clearInterval(timer);
      const waited = childrenCpuMs() - cpuBefore;
      const sampled = Number.isNaN(cpuMs) ? 0 : cpuMs;
      const cpu = Number.isFinite(waited) ? Math.max(waited, sampled) : cpuMs;
      resolve({ status, text, wallMs: performance.now() - t0, peakKiB: peak, cpuMs: cpu });
    });
  });
}

async function runTlc(jar: string, n: number, workers: number): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-mc-tlc-'));
  try {
    copyFileSync(join(tlaDir, 'TwoPhase.tla'), join(dir, 'TwoPhase.tla'));
    const rms = Array.from({ length: n }, (_, i) => `r${i + 1}`).join(', ');
    const cfg = `TwoPhase_${n}.cfg`;
    writeFileSync(join(dir, cfg), `CONSTANT RM = {${rms}}\nINIT Init\nNEXT Next\nINVARIANT Consistent\n`);
    const args = [...tlcArgs(jar, workers, cfg), '-metadir', join(dir, 'states'), 'TwoPhase.tla'];
    const res = await spawnMeasured('java', args, dir).catch((e: unknown) =>
      fail(`could not run java: ${e instanceof Error ? e.message : String(e)}`),
    );
    const m = /([\d,]+) states generated, ([\d,]+) distinct states? found, ([\d,]+) states? left on queue/.exec(
      res.text,
    );
    if (res.status !== 0 || !m) fail(`TLC (${n} RMs, ${workers} workers) failed (exit ${res.status}):\n${res.text}`);
    const distinct = Number((m[2] ?? '').replaceAll(',', ''));
    const fin = /Finished in (?:(\d+)h )?(?:(\d+)min )?(\d+)s/.exec(res.text);
    const searchMs = fin
      ? (Number(fin[1] ?? 0) * 3600 + Number(fin[2] ?? 0) * 60 + Number(fin[3] ?? 0)) * 1000
      : undefined;
    return {
      tool: 'TLC',
      n,
      workers,
      distinct,
      wallMs: res.wallMs,
      searchMs,
      bytesPerState: undefined,
      maxRssKiB: res.peakKiB ?? NaN,
      cpuMs: res.cpuMs,
      load: loadavg()[0] ?? NaN,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One Stateright run of the patched `2pc` example (one thread); its counts and timings. */
async function runStateright(bin: string, n: number, order: StaterightOrder): Promise<Measurement> {
  const args = staterightArgs(order, n, 1);
  const res = await spawnMeasured(bin, args, tmpdir()).catch((e: unknown) =>
    fail(
      `could not run STATERIGHT_BIN=${bin}: ${e instanceof Error ? e.message : String(e)} (build it as bench/README.md says, or unset STATERIGHT_BIN)`,
    ),
  );
  const r = parseStateright(res.text);
  if (res.status !== 0 || !r)
    fail(
      `Stateright (${args.join(' ')}) failed (exit ${res.status}) or printed no "Done. states=…" line (is STATERIGHT_BIN the patched 2pc example?):\n${res.text}`,
    );
  if (!r.propertiesOk) fail(`Stateright (${args.join(' ')}) reports a property that did not hold:\n${res.text}`);
  return {
    tool: `Stateright ${order.toUpperCase()}`,
    n,
    workers: 1,
    distinct: r.distinct,
    wallMs: res.wallMs,
    searchMs: r.searchMs,
    bytesPerState: undefined,
    maxRssKiB: res.peakKiB ?? NaN,
    cpuMs: res.cpuMs,
    load: loadavg()[0] ?? NaN,
  };
}

const fmt = (x: number, digits = 0): string =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const secs = (ms: number | undefined): string => (ms === undefined ? '–' : fmt(ms / 1000, 2));

function row(m: Measurement): string {
  const ms = m.searchMs ?? m.wallMs;
  return `| ${m.n} | ${m.tool} | ${m.workers} | ${fmt(m.distinct)} | ${secs(m.searchMs)} | ${secs(m.wallMs)} | ${
    Number.isNaN(m.cpuMs) ? '–' : secs(m.cpuMs)
  } | ${fmt(
    (m.distinct * 1000) / Math.max(1, ms),
  )} | ${m.bytesPerState === undefined ? '–' : fmt(m.bytesPerState, 1)} | ${fmt(m.load, 2)} | ${Number.isNaN(m.maxRssKiB) ? '–' : fmt(m.maxRssKiB / 1024)} |`;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv[0] === '--child') {
    await child(argv[1] ?? 'parallel', Number(argv[2]), Number(argv[3]));
    return;
  }
  const sizes = (option(argv, '--sizes') ?? '7,8,9').split(',').map(Number);
  const workerCounts = (option(argv, '--workers') ?? '1,2').split(',').map(Number);
  const baseline = !argv.includes('--no-baseline');
  const tlcMax = Number(option(argv, '--tlc-max') ?? Infinity);
  const dfs = !argv.includes('--no-dfs');
  const out = option(argv, '--out');
  const repeatText = option(argv, '--repeat') ?? '1';
  const repeat = Number(repeatText);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100)
    fail(`--repeat takes a whole number of runs from 1 to 100, got "${repeatText}" (e.g. --repeat 5)`);
  const jar = process.env['TLC_JAR'];
  const srBin = process.env['STATERIGHT_BIN'] || undefined;
  for (const n of sizes) if (PINNED[n] === undefined) fail(`no pinned TLC count for ${n} RMs (known: 3, 5, 7, 8, 9)`);

  const lines: string[] = [];
  const say = (s: string): void => {
    lines.push(s);
    process.stdout.write(`${s}\n`);
  };
  const started = new Date();
  say(`# Benchmark: two-phase commit`);
  say('');
  say(`- date: ${started.toISOString()}`);
  say(`- machine: ${availableParallelism()} CPUs (nproc), ${cpuModel()}, node ${process.version}`);
  say(
    `- load average at start (1/5/15 min): ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ')}`,
  );
  const env = [jar ? `TLC_JAR=${jar}` : '', srBin ? `STATERIGHT_BIN=${srBin}` : ''].filter(Boolean);
  say(
    `- command: \`${['node', 'dist/bench/run.js', ...argv].join(' ')}\`${env.length ? ` with ${env.join(' and ')}` : ''}`,
  );
  if (jar) {
    const v = spawnSync('java', ['-cp', jar, 'tlc2.TLC', '-h'], { encoding: 'utf8' });
    const version = /Version [^\n]*/.exec(`${v.stdout}${v.stderr}`)?.[0] ?? 'unknown version';
    const jv = spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr.split('\n')[0] ?? '';
    say(`- TLC: ${version}; ${jv}`);
    say(
      `- TLC command per size: \`java ${tlcArgs('$TLC_JAR', 0, 'TwoPhase_N.cfg').join(' ').replace('-workers 0', '-workers W')} -metadir <tmp> TwoPhase.tla\``,
    );
  } else say('- TLC: skipped (set TLC_JAR to the path of tla2tools.jar to add the TLC column)');
  say(staterightHeader(srBin));
  say('');
  say('Times in seconds. "search" is the time the tool reports for the search itself; "wall" is the whole');
  say('process (node or JVM start-up, parsing included). States/s = distinct states / search time (wall');
  say('time when the tool reports none). Bytes/state: fingerprint table + trace records per distinct state.');
  say("CPU s is user + system time of all the process's threads, start-up included (for TLC and Stateright");
  say('read from /proc once the process has been waited for); on a loaded machine it shows the work done');
  say('better than wall time does. Stateright per CPU-second: distinct states / CPU s of each tool.');
  say('Load is the 1-minute load average when the row finished: above the CPU count, other processes were');
  say('competing for the cores and wall times (and speed-ups) understate what the tools can do.');
  say('Peak RSS is the peak resident set of the process that ran the search.');
  if (repeat > 1)
    say(
      `Single-threaded rows (check(), check() DFS${srBin ? ', Stateright BFS and DFS' : ''}): each ran ${repeat} times${srBin ? ', alternating kafka-mc and Stateright' : ''}; the row is the run of median CPU time.`,
    );
  say('');
  say(
    '| RMs | tool | workers | distinct states | search s | wall s | CPU s | states/s | bytes/state | load | peak RSS MiB |',
  );
  say('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');

  const results: Measurement[] = [];
  const record = (m: Measurement): void => {
    assertCount(m);
    results.push(m);
    say(row(m));
  };
  /** Every run of a repeated row, in the order run (`--repeat N`), by `${tool}|${n}`. */
  const repeats = new Map<string, Measurement[]>();
  const keep = (m: Measurement): void => {
    assertCount(m);
    const k = `${m.tool}|${m.n}`;
    repeats.set(k, [...(repeats.get(k) ?? []), m]);
  };
  for (const n of sizes) {
    if (repeat === 1) {
      if (baseline) record(runOurs('check', n, 1));
      if (dfs) record(runOurs('check-dfs', n, 1));
    } else {
      // Alternating kafka-mc and Stateright, so that a drift in the machine's speed moves both alike.
      for (let r = 0; r < repeat; r++) {
        if (baseline) keep(runOurs('check', n, 1));
        if (baseline && srBin) keep(await runStateright(srBin, n, 'bfs'));
        if (dfs) keep(runOurs('check-dfs', n, 1));
        if (dfs && srBin) keep(await runStateright(srBin, n, 'dfs'));
      }
      for (const tool of [TOOL.check, TOOL['check-dfs'], 'Stateright BFS', 'Stateright DFS']) {
        const runs = repeats.get(`${tool}|${n}`);
        if (runs) record(medianRun(runs));
      }
    }
    for (const w of workerCounts) record(runOurs('parallel', n, w));
    if (jar && n <= tlcMax) for (const w of workerCounts) record(await runTlc(jar, n, w));
    if (srBin && repeat === 1)
      for (const order of ['bfs', 'dfs'] as const) record(await runStateright(srBin, n, order));
  }

  const biggest = sizes.at(-1);
  const pair = biggest !== undefined && workerCounts.length > 1 ? await sideBySide(biggest) : undefined;

  say('');
  say('## Ratios (same run)');
  say('');
  const find = (tool: string, n: number, w: number): Measurement | undefined =>
    results.find((m) => m.tool === tool && m.n === n && m.workers === w);
  const comparisons: Comparison[] = [];
  const paired: { n: number; label: string; ratio: PairedRatio }[] = [];
  const lo = workerCounts[0] ?? 1;
  const hi = workerCounts.at(-1) ?? 2;
  for (const n of sizes) {
    const a = find('kafka-mc parallel', n, lo);
    const b = find('kafka-mc parallel', n, hi);
    const parts: string[] = [];
    if (a?.searchMs && b?.searchMs)
      parts.push(`kafka-mc speed-up ${lo}→${hi} workers: ${fmt(a.searchMs / b.searchMs, 2)}×`);
    if (a && b) parts.push(`kafka-mc CPU time ${hi} / ${lo} workers: ${fmt(b.cpuMs / a.cpuMs, 2)}`);
    const c = find('kafka-mc check()', n, 1);
    if (c?.searchMs && a?.searchMs) parts.push(`parallel(${lo}) / check() time: ${fmt(a.searchMs / c.searchMs, 2)}`);
    for (const w of workerCounts) {
      const t = find('TLC', n, w);
      const o = find('kafka-mc parallel', n, w);
      if (t && o)
        parts.push(
          `TLC / kafka-mc at ${w} worker(s): wall ${fmt(t.wallMs / o.wallMs, 2)}×, CPU ${fmt(t.cpuMs / o.cpuMs, 2)}×`,
        );
    }
    const t1 = find('TLC', n, lo);
    const t2 = find('TLC', n, hi);
    if (t1 && t2) parts.push(`TLC speed-up ${lo}→${hi}: ${fmt(t1.wallMs / t2.wallMs, 2)}×`);
    const vs = staterightComparisons(n, find);
    comparisons.push(...vs);
    parts.push(...vs.map(comparisonText));
    for (const { ours, theirs, label } of STATERIGHT_PAIRS) {
      // Only the single-threaded rows repeat, so only they have pairs.
      const o = repeats.get(`${ours}|${n}`);
      const t = repeats.get(`${theirs}|${n}`);
      if (!o || !t) continue;
      const ratio = pairedRatio(o, t);
      paired.push({ n, label: `paired ${label}`, ratio });
      parts.push(pairedText(`paired ${label}`, ratio));
    }
    say(`- ${n} RMs: ${parts.join('; ') || 'n/a'}`);
  }
  const verdict = repeat > 1 && paired.length > 0 ? pairedVerdict(paired) : staterightVerdict(comparisons);
  if (verdict) say(verdict);
  const single = biggest !== undefined ? find('kafka-mc parallel', biggest, 1) : undefined;
  if (pair && single?.searchMs)
    say(
      `- machine ceiling at ${biggest} RMs: two independent 1-worker runs side by side (sharing only the machine) searched for ${pair.searchMs.map((x) => fmt(x / 1000, 1)).join(' s and ')} s, ${fmt(pair.wallMs / 1000, 1)} s wall for both: twice the work in ${fmt(pair.wallMs / single.wallMs, 2)}× the time of one run, so no 2-way speed-up of this workload on this machine can exceed ${fmt((2 * single.wallMs) / pair.wallMs, 2)}×`,
    );
  say('');
  say(
    `- load average at end (1/5/15 min): ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ')}`,
  );
  say(
    `- all distinct-state counts equal TLC's pinned counts (${sizes.map((n) => `${n}: ${fmt(PINNED[n] ?? 0)}`).join(', ')})`,
  );
  if (out) writeFileSync(out, `${lines.join('\n')}\n`);
}

main(process.argv.slice(2)).catch((e: unknown) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)));
