import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { CliContext } from '../runModel.js';
import { BOUND_MODES, DEFAULT_KRAFT_CONFIG, type Bounds } from '../../model/index.js';
import { UsageError } from '../UsageError.js';
import { ExitCode } from '../exitCodes.js';
import { interruptedExitCode } from '../lifecycle.js';
import { parsePositive } from '../modelFlags.js';
import { parseTimeLimit } from '../runOptions.js';
import { checkOutputDir } from '../outputPaths.js';
import { formatDuration } from '../format.js';
import { version } from '../version.js';
import { parseJavaProperties } from '../audit/parseJavaProperties.js';
import { isTopicDescription, parseTopicDescription, type TopicDescription } from '../audit/parseTopicDescription.js';
import {
  auditSettings,
  AUDIT_BOUNDS,
  type AuditFlags,
  type AuditSettings,
  type SettingsFile,
} from '../audit/auditSettings.js';
import { FAULT_CLASSES, selectFaultClasses } from '../audit/faultClasses.js';
import { AUDIT_QUESTIONS, runAudit, type AuditRow } from '../audit/runAudit.js';
import { boundsText, renderSettings, renderTable, summaryOf } from '../audit/renderAudit.js';

/** The audit's default time budget, shared by its runs. */
const DEFAULT_TIME_LIMIT_MS = 60_000;

interface AuditOptions {
  topicConfig?: string;
  replicationFactor?: number;
  acks?: 'all' | '1';
  kafkaVersion?: string;
  elr?: boolean;
  faults?: string;
  timeLimit?: number;
  outDir: string;
  json?: boolean;
  verbose?: boolean;
}

/** `kafka-mc audit`: checks a cluster's own settings against every fault class. */
export function auditCommand(ctx: CliContext, done: (code: number) => void): Command {
  const cmd = new Command('audit')
    .summary("check your cluster's settings: is each fault class safe, available and writable?")
    .description(
      "Reads a broker's server.properties and a topic's configs (kafka-configs.sh --describe or kafka-topics.sh --describe output, or a properties file), then model-checks those settings against each fault class (a crash, a power loss, a network split, a session expiry, and each pair of two) and prints a table: are acknowledged writes safe, does the partition get a leader, are writes still accepted? Each 'no' comes with its trace and a reason in Kafka's words; each 'yes' holds within the printed model bounds.",
    )
    .argument('[file]', "a broker's server.properties")
    .option(
      '--topic-config <file>',
      'the topic: kafka-configs.sh / kafka-topics.sh --describe output, or a properties file',
    )
    .option('--replication-factor <n>', "the topic's replication factor (overrides the files)", parsePositive)
    .addOption(
      new Option('--acks <acks>', "the producers' acks (default all, the producer default since Kafka 3.0)").choices([
        'all',
        '1',
      ]),
    )
    .option('--kafka-version <v>', 'Kafka version, e.g. 3.9 (overrides inter.broker.protocol.version) → preset')
    .option('--elr', 'Eligible Leader Replicas (KIP-966) enabled (KRaft)')
    .option('--no-elr', 'Eligible Leader Replicas disabled')
    .option(
      '--faults <classes>',
      `fault classes to check, comma-separated (default all: ${FAULT_CLASSES.map((c) => c.name).join(', ')})`,
    )
    .option('--time-limit <duration>', 'time budget for all runs together, e.g. 60s (default 60s)', parseTimeLimit)
    .option('--out-dir <dir>', "where each 'no' trace is written, under a folder per fault class", './kafka-mc-traces')
    .option('--json', 'print one JSON object')
    .option('--verbose', 'also list the settings the audit ignored')
    .addHelpText(
      'after',
      `\nExamples:\n  kafka-mc audit server.properties --topic-config orders-configs.txt --acks all\n  kafka-mc audit --topic-config orders.properties --replication-factor 3 --kafka-version 3.9 --faults crash,power-loss\n\nExit codes:\n  0  every answer is yes (within the printed bounds)\n  1  some answer is no (its trace is saved)\n  2  usage or configuration error (unreadable file, impossible setting)\n  3  no 'no', but some answer is unknown (the time limit stopped its run)`,
    );
  cmd.action(async (serverProperties: string | undefined, opts: AuditOptions) =>
    done(await audit(serverProperties, opts, cmd, ctx)),
  );
  return cmd;
}

/** Reads a file for the audit; a missing or unreadable one is a usage error naming it. */
function readInput(given: string, cwd: string, what: string): string {
  const abs = resolve(cwd, given);
  if (!existsSync(abs)) throw new UsageError(`${what} ${given} not found (looked for ${abs})`);
  if (statSync(abs).isDirectory()) throw new UsageError(`${what} ${given} is a directory; name the file`);
  return readFileSync(abs, 'utf8');
}

/** A properties file's settings, or a usage error naming the line. */
function propertiesFile(given: string, text: string): SettingsFile {
  const parsed = parseJavaProperties(text);
  if (!parsed.ok) throw new UsageError(`${given}:${parsed.line}: ${parsed.error}; fix the escape`);
  return { name: given, entries: parsed.entries };
}

/** The topic input: tool output (kafka-configs / kafka-topics --describe) or a properties file. */
function topicInput(given: string, cwd: string): { file: SettingsFile; description: TopicDescription | undefined } {
  const text = readInput(given, cwd, '--topic-config');
  if (!isTopicDescription(text)) return { file: propertiesFile(given, text), description: undefined };
  const parsed = parseTopicDescription(text);
  if (!parsed.ok) throw new UsageError(`--topic-config ${given}: ${parsed.error}`);
  return { file: { name: given, entries: parsed.value.entries }, description: parsed.value };
}

/** Reads the inputs into settings (usage errors for every problem) and the fault classes. */
function resolveAudit(serverProperties: string | undefined, opts: AuditOptions, cmd: Command, cwd: string) {
  if (serverProperties === undefined && opts.topicConfig === undefined)
    throw new UsageError("nothing to audit: give a broker's server.properties and/or --topic-config FILE");
  const broker =
    serverProperties !== undefined
      ? propertiesFile(serverProperties, readInput(serverProperties, cwd, 'server.properties file'))
      : undefined;
  const topic = opts.topicConfig !== undefined ? topicInput(opts.topicConfig, cwd) : undefined;
  const flags: AuditFlags = {
    ...(opts.replicationFactor !== undefined ? { replicationFactor: opts.replicationFactor } : {}),
    ...(opts.acks !== undefined ? { acks: opts.acks } : {}),
    ...(opts.kafkaVersion !== undefined ? { kafkaVersion: opts.kafkaVersion } : {}),
    ...(cmd.getOptionValueSource('elr') === 'cli' && opts.elr !== undefined ? { elr: opts.elr } : {}),
  };
  const settings = auditSettings(broker, topic, flags);
  if (!settings.ok) {
    if (settings.problems.length === 1) throw new UsageError(settings.problems[0] as string);
    throw new UsageError(`the settings have ${settings.problems.length} problems`, settings.problems);
  }
  const names = (opts.faults ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const selected = selectFaultClasses(names);
  if ('problem' in selected) throw new UsageError(selected.problem);
  return { settings: settings.value, classes: selected.classes };
}

/** The audit: settings, runs, report; returns the exit code. */
async function audit(
  serverProperties: string | undefined,
  opts: AuditOptions,
  cmd: Command,
  ctx: CliContext,
): Promise<number> {
  const { io } = ctx;
  const { settings, classes } = resolveAudit(serverProperties, opts, cmd, io.cwd);
  checkOutputDir('--out-dir', opts.outDir, io.cwd);
  const timeLimitMs = opts.timeLimit ?? DEFAULT_TIME_LIMIT_MS;
  const head = (t: string): void => (opts.json ? io.stderr : io.stdout).write(`${t}\n`);
  head(`kafka-mc audit${settings.topic !== undefined ? ` of topic ${settings.topic}` : ''}:`);
  head(renderSettings(settings));
  if (opts.verbose && settings.ignored.length)
    head(`Ignored (not modelled):\n${settings.ignored.map((k) => `  ${k}`).join('\n')}`);
  head(
    `Model: ${Math.max(2, settings.replicationFactor.value)} brokers${settings.mode.value === 'kraft' ? ` and ${DEFAULT_KRAFT_CONFIG.voters} controller voters` : ''}, 1 partition, exhaustive per fault class; bounds ${boundsText(settings.mode.value)}; time limit ${formatDuration(timeLimitMs)} for all ${classes.length} runs`,
  );
  io.catchSignals?.();
  const rows = await runAudit(settings, { classes, timeLimitMs, outDir: opts.outDir, argv: ctx.argv, io });
  // a stop signal: the rows so far are printed, then kafka-mc ends by that signal (as `check` does)
  const code = interruptedExitCode(io.signal) ?? exitCode(rows);
  if (opts.json) io.stdout.write(`${JSON.stringify(auditJson(settings, rows, code, timeLimitMs), null, 2)}\n`);
  else io.stdout.write(`\n${renderTable(rows)}\n\n${summaryOf(rows)}\n`);
  return code;
}

function exitCode(rows: readonly AuditRow[]): number {
  const cells = rows.flatMap((r) => r.cells);
  if (cells.some((c) => c.answer === 'no')) return ExitCode.violation;
  return cells.some((c) => c.answer === 'unknown') ? ExitCode.incomplete : ExitCode.ok;
}

/** `--json`: settings, bounds and one entry per fault class. */
function auditJson(settings: AuditSettings, rows: readonly AuditRow[], code: number, timeLimitMs: number) {
  return {
    command: 'audit',
    version: version(),
    exitCode: code,
    summary: summaryOf(rows),
    settings,
    bounds: Object.fromEntries(
      Object.entries(AUDIT_BOUNDS).filter(([k]) => BOUND_MODES[k as keyof Bounds].includes(settings.mode.value)),
    ),
    timeLimitMs,
    rows: rows.map((r) => ({
      faultClass: r.faultClass.name,
      faults: r.faultClass.faults,
      states: r.states,
      withinBounds: r.cuts.length > 0,
      cuts: r.cuts,
      answers: Object.fromEntries(AUDIT_QUESTIONS.map((q, i) => [q.id, r.cells[i]])),
    })),
  };
}
