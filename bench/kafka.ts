/**
 * Benchmarks of the Kafka model (issue 11, items 2 and 3):
 *  - exhaustive throughput and memory on the embedded default config(s) and one larger config;
 *  - the ZooKeeper default on the parallel engine with 1 and 2 workers (speed-up, CPU time);
 *  - time to the first counterexample of every catalog entry, by BFS and by seeded random walks.
 *
 * Run: `npm run build && node dist/bench/kafka.js [--out bench/results/kafka.md] [--skip-large]`.
 * Each exhaustive run happens in its own child process, so peak RSS is per run.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { check, checkParallel, simulate, type CheckResult } from '../checker/index.js';
import {
  CATALOG,
  DEFAULT_CONFIG,
  kafkaModel,
  resolveConfig,
  builtinRule,
  clean,
  type ConfigInput,
} from '../model/index.js';
import { defaultResolver } from '../lab/index.js';
import { SAFETY, GUARDS, committedMetadataDurable, majorityCommit } from '../properties/index.js';

interface Row {
  readonly name: string;
  readonly distinct: number;
  readonly generated: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
  readonly bytesPerState: number;
  readonly peakRssMiB: number;
  readonly verdict: string;
  /** User + system CPU seconds of the whole process (all threads). */
  readonly cpuSeconds?: number;
}

/** The properties of every exhaustive row, as ids (the parallel engine's workers build them from ids). */
const PROPERTY_IDS = [
  'single-leader',
  'no-data-loss',
  'single-controller',
  'failover-happens',
  'isr-shrinks',
  'record-acked',
];

const CONFIGS: Record<string, ConfigInput> = {
  'zk-default': {},
  'kraft-default (3 voters)': { mode: 'kraft' },
  'zk-2-crashes (1 record, leader epochs ≤ 2)': {
    bounds: { records: 1, leaderEpochs: 2 },
    faults: { networkPartitions: 0, crashes: 2 },
  },
};

function child(name: string): void {
  const cfg = resolveConfig(CONFIGS[name] ?? {});
  const t0 = process.hrtime.bigint();
  const props =
    cfg.mode === 'kraft' ? [...SAFETY, committedMetadataDurable, majorityCommit, ...GUARDS] : [...SAFETY, ...GUARDS];
  const r = check(kafkaModel(cfg, clean), props, {});
  process.stdout.write(JSON.stringify(rowOf(name, r, Number(process.hrtime.bigint() - t0) / 1e9)));
}

/** A table row for a finished run of this process (peak RSS is the process's). */
function rowOf(name: string, r: CheckResult, seconds: number, cpu?: NodeJS.CpuUsage): Row {
  return {
    name,
    distinct: r.stats.distinct,
    generated: r.stats.generated,
    seconds,
    statesPerSecond: Math.round(r.stats.distinct / seconds),
    bytesPerState: Math.round(r.stats.bytesPerState * 10) / 10,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    verdict: r.kind,
    ...(cpu ? { cpuSeconds: (cpu.user + cpu.system) / 1e6 } : {}),
  };
}

/** The ZooKeeper default on the parallel engine with `workers` threads (kafka-mc check --workers). */
async function parallelChild(workers: number): Promise<void> {
  const module = pathToFileURL(fileURLToPath(new URL('../cli/kafkaBundle.js', import.meta.url))).href;
  const spec = {
    module,
    export: 'kafkaBundle',
    arg: { config: resolveConfig({}), rule: 'clean', properties: PROPERTY_IDS, cwd: process.cwd() },
  };
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = await checkParallel(spec, { workers });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const row = rowOf(`parallel, ${workers} worker${workers === 1 ? '' : 's'}`, r, seconds, process.cpuUsage(cpu0));
  process.stdout.write(JSON.stringify(row));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1] ?? '');
  if (args[0] === '--parallel-child') return parallelChild(Number(args[1]));
  const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
  const skipLarge = args.includes('--skip-large');
  const self = fileURLToPath(import.meta.url);
  const lines: string[] = [];
  const say = (s: string): void => {
    lines.push(s);
    console.log(s);
  };
  say(`# Kafka model benchmark`);
  say('');
  say(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, load average at start ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  say(`Command: \`node dist/bench/kafka.js${skipLarge ? ' --skip-large' : ''}\` (single-threaded BFS, clone engine)`);
  say('');
  say('## Exhaustive throughput');
  say('');
  say('| config | distinct | generated | seconds | distinct/s | bytes/state | peak RSS MiB | verdict |');
  say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  const runChild = (childArgs: readonly string[], name: string): Row | undefined => {
    const res = spawnSync(process.execPath, ['--max-old-space-size=16000', self, ...childArgs], { encoding: 'utf8' });
    if (res.status === 0) return JSON.parse(res.stdout) as Row;
    say(`| ${name} | failed: ${res.stderr.split('\n')[0] ?? ''} |`);
    return undefined;
  };
  let zkDefault: Row | undefined;
  for (const name of Object.keys(CONFIGS)) {
    if (skipLarge && name !== 'zk-default') continue;
    const r = runChild(['--child', name], name);
    if (!r) continue;
    if (name === 'zk-default') zkDefault = r;
    say(
      `| ${r.name} | ${r.distinct.toLocaleString('en')} | ${r.generated.toLocaleString('en')} | ${r.seconds.toFixed(1)} | ${r.statesPerSecond.toLocaleString('en')} | ${r.bytesPerState} | ${r.peakRssMiB} | ${r.verdict} |`,
    );
  }
  say('');
  say('## Parallel engine on the ZooKeeper default (`kafka-mc check --workers N`)');
  say('');
  say('| engine | distinct | seconds | distinct/s | CPU s | bytes/state | peak RSS MiB | verdict |');
  say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  const par: Row[] = [];
  for (const w of [1, 2]) {
    const r = runChild(['--parallel-child', String(w)], `parallel ${w}`);
    if (!r) continue;
    par.push(r);
    say(
      `| ${r.name} | ${r.distinct.toLocaleString('en')} | ${r.seconds.toFixed(1)} | ${r.statesPerSecond.toLocaleString('en')} | ${(r.cpuSeconds ?? 0).toFixed(1)} | ${r.bytesPerState} | ${r.peakRssMiB} | ${r.verdict} |`,
    );
  }
  const [p1, p2] = par;
  if (p1 && p2)
    say(
      `\nSpeed-up 1 → 2 workers: ${(p1.seconds / p2.seconds).toFixed(2)}×; 2 workers over single-threaded check() (the zk-default row above, same run): ${zkDefault ? (zkDefault.seconds / p2.seconds).toFixed(2) : '?'}×; CPU time 2 / 1 workers: ${((p2.cpuSeconds ?? 0) / (p1.cpuSeconds ?? 1)).toFixed(2)}.`,
    );
  // The machine's own ceiling for this workload: two independent 1-worker runs at once share nothing
  // but the cores, caches and memory bus.
  const wall0 = process.hrtime.bigint();
  const pair = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<Row | undefined>((resolve) => {
          const c = spawn(process.execPath, ['--max-old-space-size=16000', self, '--parallel-child', '1']);
          let out = '';
          c.stdout.on('data', (d: Buffer) => (out += d.toString()));
          c.on('close', (code) => resolve(code === 0 ? (JSON.parse(out) as Row) : undefined));
        }),
    ),
  );
  const pairWall = Number(process.hrtime.bigint() - wall0) / 1e9;
  if (p1 && pair.every((r) => r))
    say(
      `Two independent 1-worker runs side by side (nothing shared but the machine) take ${pair.map((r) => (r as Row).seconds.toFixed(1)).join(' s and ')} s, ${pairWall.toFixed(1)} s for both: twice the work in ${(pairWall / p1.seconds).toFixed(2)}× the time of one, a ceiling of ${((2 * p1.seconds) / pairWall).toFixed(2)}× for any 2-way speed-up of this workload on this machine.`,
    );
  say('');
  say('## Time to first counterexample (catalog)');
  say('');
  say(
    '| entry | property | BFS steps | BFS states | BFS seconds | walks to find (seed 1) | walk seconds | walk steps |',
  );
  say('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const e of CATALOG) {
    const cfg = resolveConfig(e.config);
    const prop = defaultResolver(e.property, cfg);
    if (!prop) continue;
    const model = kafkaModel(cfg, builtinRule(cfg.electionRule) ?? clean);
    let t0 = process.hrtime.bigint();
    const bfs = check(model, [prop], {});
    const bfsSec = Number(process.hrtime.bigint() - t0) / 1e9;
    const bfsSteps = bfs.kind === 'violation' ? (bfs.violation.path?.length ?? 1) - 1 : NaN;
    let walks = 0;
    t0 = process.hrtime.bigint();
    const sim = simulate(model, [prop], { seed: 1, runs: 200_000, depth: 40, onWalk: () => void walks++ });
    const simSec = Number(process.hrtime.bigint() - t0) / 1e9;
    const simSteps = sim.kind === 'violation' ? String((sim.violation.path?.length ?? 1) - 1) : 'not found';
    say(
      `| ${e.id} | ${e.property} | ${bfsSteps} | ${bfs.stats.distinct.toLocaleString('en')} | ${bfsSec.toFixed(2)} | ${sim.kind === 'violation' ? walks.toLocaleString('en') : `> ${walks.toLocaleString('en')}`} | ${simSec.toFixed(2)} | ${simSteps} |`,
    );
  }
  say('');
  say(
    `Load average at end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}. Default config: ${JSON.stringify(DEFAULT_CONFIG.faults)}.`,
  );
  say(`git: ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()}`);
  if (out) writeFileSync(out, `${lines.join('\n')}\n`);
}

await main();
