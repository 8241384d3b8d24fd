import { Command, Option } from 'commander';
import {
  builtinRule,
  builtinRuleNames,
  resolveConfig,
  validateConfig,
  type ConfigInput,
  type ElectionRule,
} from '../../model/index.js';
import { presetConfig } from '../effectiveConfig.js';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  compareRules,
  formatMatrix,
  measureAvailability,
  percentile,
  sweepAvailability,
  sweepHtml,
  sweepMarkdown,
} from '../../lab/index.js';
import { loadRule, isRuleFile } from '../loadRule.js';
import { UsageError } from '../UsageError.js';
import type { CliContext } from '../runModel.js';

const SMALL = { bounds: { records: 1, leaderEpochs: 2 }, faults: { networkPartitions: 0, crashes: 2 } } as const;

/**
 * `kafka-mc rules compare --rules clean,unclean,./myRule.ts`: every safety property for every rule on
 * the same config (property × rule matrix, exhaustive), then availability and failover latency
 * measured by seeded random walks under the config's fault mix.
 */
export function rulesCompareCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('compare')
    .summary('compare election rules side by side: safety matrix, availability, failover latency')
    .option('--rules <list>', 'comma-separated built-in names or rule files', 'clean,unclean,preferred,any-isr')
    .option('--brokers <n>', 'brokers', '3')
    .option('--max-crashes <n>', 'crash budget', String(SMALL.faults.crashes))
    .option('--max-records <n>', 'records per partition', String(SMALL.bounds.records))
    .option('--preset <name>', 'start from a Kafka version preset, e.g. kafka-4.x-kraft-elr (see `kafka-mc list`)')
    .addOption(
      new Option('--mode <mode>', 'controller mode (default: the preset’s, else ZooKeeper)').choices(['zk', 'kraft']),
    )
    .option('--voters <n>', 'KRaft controller quorum size')
    .option('--liveness', 'also decide the liveness properties (one more exhaustive run per rule)')
    .option('--max-states <n>', 'distinct-state cap per rule (beyond it a cell is incomplete)', '1000000')
    .option('--runs <n>', 'random walks for availability', '2000')
    .option('--seed <n>', 'seed of the availability walks', '1')
    .option(
      '--sweep',
      'also measure availability over cluster sizes 3-5 brokers and 1-2 partitions, ZooKeeper and KRaft side by side',
    )
    .option('--report <file>', 'write an HTML (.html) or Markdown (.md) report of the sweep (never overwrites)')
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const names = String(opts.rules)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const rules: ElectionRule[] = [];
      for (const n of names) {
        if (isRuleFile(n)) rules.push((await loadRule(n, ctx.io.cwd)).rule);
        else {
          const r = builtinRule(n);
          if (!r) throw new UsageError(`unknown rule "${n}" in --rules; see \`kafka-mc rules\``);
          rules.push(r);
        }
      }
      const brokers = Number(opts.brokers);
      const base: ConfigInput = typeof opts.preset === 'string' ? presetConfig(opts.preset) : {};
      const mode = typeof opts.mode === 'string' ? (opts.mode as 'zk' | 'kraft') : base.mode;
      const input = {
        ...base,
        ...(mode !== undefined ? { mode } : {}),
        ...(typeof opts.voters === 'string' ? { voters: Number(opts.voters) } : {}),
        brokers,
        replicationFactor: Math.min(3, brokers),
        bounds: { ...base.bounds, records: Number(opts.maxRecords), leaderEpochs: 2 },
        faults: { ...base.faults, networkPartitions: 0, crashes: Number(opts.maxCrashes) },
      };
      const checked = validateConfig(resolveConfig(input), builtinRuleNames());
      if (!checked.ok) throw new UsageError('the configuration has problems', checked.errors);
      const rows = compareRules(rules, input, { maxStates: Number(opts.maxStates), liveness: opts.liveness === true });
      const seed = Number(opts.seed);
      const runs = Number(opts.runs);
      const avail = rules.map((r) =>
        measureAvailability(r, { ...input, bounds: { ...input.bounds, leaderEpochs: 3 } }, { seed, runs, depth: 60 }),
      );
      const sweep = opts.sweep
        ? sweepAvailability(
            rules,
            { brokers: [3, 4, 5], partitions: [1, 2] },
            { seed, runs: Math.min(runs, 500), depth: 60, modes: ['zk', 'kraft'] },
          )
        : undefined;
      if (typeof opts.report === 'string') {
        if (!sweep) throw new UsageError('--report needs --sweep (the report plots the sweep)');
        const file = resolve(ctx.io.cwd, opts.report);
        if (existsSync(file)) throw new UsageError(`${opts.report} already exists; choose another --report file`);
        writeFileSync(
          file,
          file.endsWith('.md') ? `${sweepMarkdown(sweep)}\n` : sweepHtml(sweep, 'kafka-mc: election rules compared'),
        );
      }
      if (opts.json) {
        ctx.io.stdout.write(
          `${JSON.stringify({ config: input, matrix: rows, availability: avail, sweep: sweep ?? null }, null, 2)}\n`,
        );
        return done(0);
      }
      const lines = [
        `${opts.liveness ? 'Safety and liveness' : 'Safety'} (exhaustive, ${input.mode === 'kraft' ? 'KRaft' : 'ZooKeeper'} mode${typeof opts.preset === 'string' ? `, preset ${opts.preset}` : ''}, ${brokers} brokers, ${input.faults.crashes} crashes, ${input.bounds.records} record):`,
        formatMatrix(rows),
        '',
        `Availability (${runs} seeded random walks of 60 steps, seed ${seed}):`,
        `${'rule'.padEnd(14)}${'offline'.padStart(9)}${'failover p50'.padStart(14)}${'p90'.padStart(6)}${'p99'.padStart(6)}${'msgs p50'.padStart(10)}${'loss/10k'.padStart(10)}`,
        ...avail.map(
          (a) =>
            `${a.rule.padEnd(14)}${(a.offlineFraction * 100).toFixed(1).padStart(8)}%${String(percentile(a.recoverySteps, 50)).padStart(14)}${String(percentile(a.recoverySteps, 90)).padStart(6)}${String(percentile(a.recoverySteps, 99)).padStart(6)}${String(percentile(a.recoveryMessages, 50)).padStart(10)}${a.dataLossPer10k.toFixed(0).padStart(10)}`,
        ),
      ];
      if (sweep)
        lines.push(
          '',
          `Sweep over cluster size (${Math.min(runs, 500)} walks per point, seed ${seed}):`,
          sweepMarkdown(sweep),
        );
      if (typeof opts.report === 'string') lines.push('', `Report written to ${opts.report}`);
      ctx.io.stdout.write(`${lines.join('\n')}\n`);
      done(0);
    });
}
