/**
 * The scale curve of issue 20: distinct states, wall time and peak memory of `kafka-mc check` on the
 * ZooKeeper and KRaft defaults and on each with one dimension grown (brokers, partitions, crashes,
 * records), unreduced and, with ≥ 2 partitions, one partition at a time; then one
 * `--bitstate` run of the unfinished config with the most work left. Rows, parsing and table:
 * `bench/scaleRows.ts`; bench/README.md says how to read it.
 *
 * Run: `npm run build && node dist/bench/scale.js [--limit 120s] [--only name,…] [--out FILE]
 * [--bitstate 512MiB | --no-bitstate]`. Each row is the real CLI (`bin/kafka-mc.js check … --json`)
 * in its own child process, with `--time-limit`; a row that does not finish says how far it got.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDuration } from '../cli/format.js';
import {
  TABLE_HEAD,
  bitstateCandidate,
  parseCheckJson,
  parsePeakRss,
  rowArgs,
  scaleConfigs,
  scaleRows,
  selectRows,
  tableLine,
  type RowRun,
  type ScaleRow,
} from './scaleRows.js';

interface Options {
  readonly limitMs: number;
  readonly rows: readonly ScaleRow[];
  /** Whether `--only` chose the rows (then no bitstate row unless one was named). */
  readonly only: boolean;
  readonly out: string | undefined;
  readonly bitstate: string | undefined;
  readonly argv: readonly string[];
}

const USAGE =
  'usage: node dist/bench/scale.js [--limit 120s] [--only name[:none|:compose|:bitstate],…] [--out FILE] [--bitstate 512MiB | --no-bitstate]';

function fail(message: string): never {
  process.stderr.write(`scale: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) fail(`${flag} needs a value`);
    return v;
  };
  const known = ['--limit', '--only', '--out', '--bitstate', '--no-bitstate'];
  const unknown = argv.find((a, i) => a.startsWith('--') && !known.includes(a) && !known.includes(argv[i - 1] ?? ''));
  if (unknown !== undefined) fail(`unknown option ${unknown}`);
  const limitText = value('--limit') ?? '120s';
  const limitMs = parseDuration(limitText);
  if (limitMs === undefined || limitMs < 1000)
    fail(`--limit ${limitText}: give a duration of at least 1 s, e.g. 120s or 5m`);
  const onlyText = value('--only');
  const configs = scaleConfigs();
  const rows = onlyText === undefined ? scaleRows(configs) : selectRows(configs, onlyText.split(','));
  if (typeof rows === 'string') fail(`--only: ${rows}`);
  const out = value('--out');
  if (out !== undefined && !(existsSync(dirname(resolve(out))) && statSync(dirname(resolve(out))).isDirectory()))
    fail(`--out ${out}: the directory ${dirname(resolve(out))} does not exist; create it or choose another file`);
  const bitstate = argv.includes('--no-bitstate') ? undefined : (value('--bitstate') ?? '512MiB');
  return { limitMs, rows, only: onlyText !== undefined, out, bitstate, argv };
}

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(REPO, 'bin/kafka-mc.js');
const PRELOAD = new URL('./peakRss.js', import.meta.url).href;
/** The heap limit bin/kafka-mc.js gives its child: 3/4 of physical memory, at least 4 GiB. */
const HEAP_MIB = Math.max(4096, Math.floor((totalmem() / 2 ** 20) * 0.75));

/**
 * Runs one row's CLI in a child process (the launcher's heap limit given directly, so the checking
 * process is the child itself and its peak RSS is what `peakRss.js` reports). A child still running
 * long after its time limit is stopped by SIGTERM (it then prints its partial result), then SIGKILL.
 */
function runRow(row: ScaleRow, o: Options, cwd: string): Promise<RowRun> {
  const args = rowArgs(row, o.limitMs, o.bitstate ?? '512MiB');
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MIB}`, '--import', PRELOAD, BIN, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-65_536)));
  let killed: string | undefined;
  const grace = Math.max(60_000, o.limitMs);
  const term = setTimeout(() => {
    killed = `still running ${(o.limitMs + grace) / 1000} s after its start: stopped by SIGTERM`;
    child.kill('SIGTERM');
  }, o.limitMs + grace);
  const kill = setTimeout(
    () => {
      killed = `did not stop on SIGTERM: killed`;
      child.kill('SIGKILL');
    },
    o.limitMs + grace + 30_000,
  );
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      clearTimeout(term);
      clearTimeout(kill);
      const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const parsed = parseCheckJson(stdout);
      const lastLine = stderr
        .trim()
        .split('\n')
        .filter((l) => l.trim() !== '' && !l.startsWith('kafka-mc-bench'))
        .pop();
      const failure =
        typeof parsed === 'string'
          ? `${killed ?? `exit ${code ?? signal ?? '?'}`}; ${parsed}${lastLine ? `; stderr: ${lastLine.slice(0, 160)}` : ''}`
          : killed;
      done({
        row,
        args,
        wallSeconds,
        peakRssMiB: parsePeakRss(stderr),
        measured: typeof parsed === 'string' ? undefined : parsed,
        failure,
      });
    });
  });
}

function machineLine(): string {
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  return `Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load average at start ${load}`;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const lines: string[] = [];
  const say = (s: string): void => {
    lines.push(s);
    console.log(s);
    if (o.out) writeFileSync(o.out, `${lines.join('\n')}\n`);
  };
  say('# Scale curve of the Kafka model (issue 20)');
  say('');
  say(machineLine());
  say(`Command: \`node dist/bench/scale.js${o.argv.length ? ` ${o.argv.join(' ')}` : ''}\``);
  say(
    `Each row: \`node bin/kafka-mc.js <args below>\` in its own process, run as \`node --max-old-space-size=${HEAP_MIB} --import dist/bench/peakRss.js bin/kafka-mc.js …\` (the heap limit the launcher would choose, given directly so that the checking process is the child itself; the preload only reports its peak RSS at exit). Wall seconds include node's start-up.`,
  );
  say('');
  say(TABLE_HEAD.join('\n'));
  const cwd = mkdtempSync(join(tmpdir(), 'kafka-mc-scale-'));
  const runs: RowRun[] = [];
  const record = (run: RowRun): void => {
    runs.push(run);
    const unreduced = runs.find((r) => r.row.config === run.row.config && r.row.reduction === 'none')?.measured;
    say(tableLine(run, unreduced, o.limitMs, o.bitstate ?? '512MiB'));
  };
  for (const row of o.rows) record(await runRow(row, o, cwd));
  const extra = o.only || !o.bitstate ? undefined : bitstateCandidate(runs);
  if (extra) record(await runRow(extra, o, cwd));
  rmSync(cwd, { recursive: true, force: true });
  say('');
  if (!o.only && o.bitstate && !extra) say('Every unreduced row finished: no bitstate row.');
  if (extra)
    say(
      `The bitstate row repeats ${extra.config.name}, of the unreduced rows stopped by the time limit the one with the most states queued when it stopped.`,
    );
  say('Arguments of each row:');
  say('');
  for (const r of runs) say(`- ${r.row.id}: \`node bin/kafka-mc.js ${r.args.join(' ')}\``);
  say('');
  const git = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  say(
    `Load average at end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}. git: ${git}`,
  );
}

await main();
