/**
 * Benchmarks of the Kafka model (issue 11, items 2 and 3):
 *  - exhaustive throughput and memory on the embedded default config(s) and one larger config;
 *  - time to the first counterexample of every catalog entry, by BFS and by seeded random walks.
 *
 * Run: `npm run build && node dist/bench/kafka.js [--out bench/results/kafka.md] [--skip-large]`.
 * Each exhaustive run happens in its own child process, so peak RSS is per run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { check, simulate } from '../checker/index.js';
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
}

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
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const row: Row = {
    name,
    distinct: r.stats.distinct,
    generated: r.stats.generated,
    seconds,
    statesPerSecond: Math.round(r.stats.distinct / seconds),
    bytesPerState: Math.round(r.stats.bytesPerState * 10) / 10,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    verdict: r.kind,
  };
  process.stdout.write(JSON.stringify(row));
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1] ?? '');
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
  for (const name of Object.keys(CONFIGS)) {
    if (skipLarge && name !== 'zk-default') continue;
    const res = spawnSync(process.execPath, ['--max-old-space-size=16000', self, '--child', name], {
      encoding: 'utf8',
    });
    if (res.status !== 0) {
      say(`| ${name} | failed: ${res.stderr.split('\n')[0] ?? ''} |`);
      continue;
    }
    const r = JSON.parse(res.stdout) as Row;
    say(
      `| ${r.name} | ${r.distinct.toLocaleString('en')} | ${r.generated.toLocaleString('en')} | ${r.seconds.toFixed(1)} | ${r.statesPerSecond.toLocaleString('en')} | ${r.bytesPerState} | ${r.peakRssMiB} | ${r.verdict} |`,
    );
  }
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

main();
