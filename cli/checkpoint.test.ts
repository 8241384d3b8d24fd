import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL, tempDirs } from './testSupport.js';

/**
 * `kafka-mc check --checkpoint DIR` / `--resume DIR`, end to end: the CLI runs as a process from
 * dist/ (`npm run build` first), so that it can be killed like a real run.
 */
const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const BIN = join(ROOT, 'bin/kafka-mc.js');
const built = existsSync(join(ROOT, 'dist/cli/main.js'));

/** 3 brokers: 24,544 states in 22 levels, a few seconds — long enough to be killed mid-run. */
const MEDIUM = ['--max-records', '1', '--max-leader-epochs', '2', '--max-partitions', '0'];

const temp = tempDirs('ckpt-cli');
const tempDir = (): string => temp.make();
afterAll(() => temp.cleanup());

interface Proc {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI. With `killWhen`, polls it every 20 ms and sends `signal` once it holds (if the run
 * has not finished by then).
 */
function cli(
  argv: readonly string[],
  cwd: string,
  kill?: {
    readonly when: () => boolean;
    readonly signal: NodeJS.Signals;
    /** Runs once the condition holds, before the signal is sent. */
    readonly before?: () => Promise<void>;
  },
): Promise<Proc> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...argv], {
      cwd,
      env: { ...process.env, KAFKA_MC_NO_RESPAWN: '1', NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let timer: NodeJS.Timeout | undefined;
    if (kill) {
      timer = setInterval(() => {
        if (child.exitCode === null && kill.when()) {
          clearInterval(timer);
          void (kill.before ?? (() => Promise.resolve()))().then(() => child.kill(kill.signal));
        }
      }, 20);
    }
    child.on('close', (code, signal) => {
      clearInterval(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

interface Doc {
  verdict: string;
  exitCode: number;
  stats: { distinct: number; generated: number; maxDepth: number };
  outcomes: { id: string; status: string; path?: number[] }[];
  config: { brokers: number };
  engine: { kind: string; workers: number; resume?: { level: number; states: number } };
  checkpoint?: { dir: string; level: number | null; states: number | null; resume: string | null };
}

const parse = (p: Proc): Doc => JSON.parse(p.stdout) as Doc;

/** The level of the checkpoint in `dir` (-1: none yet, or being replaced). */
function levelOf(dir: string): number {
  try {
    return (JSON.parse(readFileSync(join(dir, 'checkpoint', 'meta.json'), 'utf8')) as { level: number }).level;
  } catch {
    return -1;
  }
}

/** Every file under `dir` with its size, modification time and content hash (to show nothing changed). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p, r);
      else {
        const st = statSync(p);
        out[r] = `${st.size} ${st.mtimeMs} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
      }
    }
  };
  if (!existsSync(dir)) return out;
  if (statSync(dir).isDirectory()) walk(dir, '');
  else out['.'] = createHash('sha256').update(readFileSync(dir)).digest('hex');
  return out;
}

/** The verdict-relevant part of a result. */
const verdictOf = (d: Doc): unknown => ({
  verdict: d.verdict,
  distinct: d.stats.distinct,
  generated: d.stats.generated,
  maxDepth: d.stats.maxDepth,
  outcomes: d.outcomes.map((o) => [o.id, o.status, o.path?.length]),
});

describe.skipIf(!built)('check --checkpoint / --resume', () => {
  let small: Doc;
  let medium: Doc;
  beforeAll(async () => {
    const cwd = tempDir();
    small = parse(await cli(['check', ...SMALL, '--json'], cwd));
    medium = parse(await cli(['check', ...MEDIUM, '--json'], cwd));
    expect(small.stats.distinct).toBe(911);
    expect(medium.stats.distinct).toBe(39_817);
  });

  it('an uninterrupted run with --checkpoint (1 worker: the parallel engine) has the plain run’s verdict and counts', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'ckpt')); // the directory is created if missing, its parent must exist
    const r = await cli(['check', ...SMALL, '--checkpoint', 'ckpt/run1', '--json'], cwd);
    expect(r.code).toBe(0);
    const d = parse(r);
    expect(verdictOf(d)).toEqual(verdictOf(small));
    expect(d.engine.workers).toBe(1);
    const dir = join(cwd, 'ckpt/run1');
    expect(d.checkpoint).toEqual({ dir, level: 17, states: 911, resume: null });
    const meta = JSON.parse(readFileSync(join(dir, 'checkpoint/meta.json'), 'utf8')) as {
      label: { tool: string; properties: string[]; rule: { name: string } };
      spec: { arg: { config: { brokers: number; replicationFactor: number }; rule: string } };
    };
    expect(meta.label.tool).toBe('kafka-mc check');
    expect(meta.label.properties).toEqual(small.outcomes.map((o) => o.id));
    expect(meta.label.rule).toEqual({ name: 'clean' });
    expect(meta.spec.arg.config).toMatchObject({ brokers: 2, replicationFactor: 2 });

    const text = await cli(['check', ...SMALL, '--checkpoint', 'ckpt/run2'], cwd);
    expect(text.stdout).toMatch(/engine: exhaustive breadth-first on 1 worker \(parallel engine\), checkpoints in /);
    expect(text.stdout).toContain('Checkpoint: level 17, 911 states, in ckpt/run2 (the run is finished');
  });

  it('a run stopped by --max-states resumes with --resume to the uninterrupted verdict and counts', async () => {
    const cwd = tempDir();
    const first = await cli(['check', ...SMALL, '--checkpoint', 'ck', '--max-states', '300', '--json'], cwd);
    expect(first.code).toBe(3);
    const d1 = parse(first);
    expect(d1.verdict).toBe('incomplete');
    expect(d1.checkpoint?.resume).toBe('kafka-mc check --resume ck');
    const level = d1.checkpoint?.level ?? -1;
    expect(level).toBeGreaterThan(0);
    expect(d1.checkpoint?.states).toBeLessThan(300);

    // no model flags: the config comes from the checkpoint; --max-states of the stopped run is not carried over
    const second = await cli(['check', '--resume', 'ck', '--json'], cwd);
    expect(second.code).toBe(0);
    const d2 = parse(second);
    expect(verdictOf(d2)).toEqual(verdictOf(small));
    expect(d2.config.brokers).toBe(2);
    expect(d2.engine.resume).toMatchObject({ level, states: d1.checkpoint?.states });
    // it kept checkpointing into the same directory
    expect(d2.checkpoint).toMatchObject({ level: 17, states: 911, resume: null });

    const text = await cli(['check', '--resume', 'ck'], cwd);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/resuming from ck: level 17, 911 states/);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^OK within bounds: 9 properties hold, 6 guards reached; 911 distinct/,
    );
  });

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`a run killed with ${signal} after a few checkpoints (2 workers) resumes to the uninterrupted counts`, async () => {
      const cwd = tempDir();
      const dir = join(cwd, 'ck');
      const first = await cli(['check', ...MEDIUM, '--workers', '2', '--checkpoint', dir, '--quiet'], cwd, {
        when: () => levelOf(dir) >= 4,
        signal,
      });
      // almost always killed mid-run; a run that was faster than the poll finished (and resumes all the same)
      if (first.signal === null) expect(first.code).toBe(0);
      else expect(first.signal).toBe(signal);
      expect(levelOf(dir)).toBeGreaterThanOrEqual(4);
      const r = await cli(['check', '--resume', dir, '--json'], cwd);
      // with --json stderr has only the header (what runs), no error or warning
      expect(r.stderr).toMatch(/^kafka-mc check: .*\nengine: .*\nresuming from /);
      expect(r.stderr).not.toMatch(/error|warning/i);
      expect(r.code).toBe(0);
      const d = parse(r);
      expect(d.engine.workers).toBe(2);
      expect(verdictOf(d)).toEqual(verdictOf(medium));
    });
  }

  it('Ctrl-C (SIGINT) stops at the last checkpoint, says how to continue, and the resumed run completes', async () => {
    const cwd = tempDir();
    const dir = join(cwd, 'ck');
    const first = await cli(['check', ...MEDIUM, '--checkpoint', 'ck'], cwd, {
      when: () => levelOf(dir) >= 4,
      signal: 'SIGINT',
    });
    if (first.signal === 'SIGINT') {
      expect(first.stdout).toMatch(/INCOMPLETE: stopped by Ctrl-C/);
      expect(first.stdout).toMatch(
        /Checkpoint: level \d+, [\d,]+ states, in ck\nContinue the run with: kafka-mc check --resume ck/,
      );
    } else expect(first.code).toBe(0);
    const r = await cli(['check', '--resume', 'ck', '--json'], cwd);
    expect(r.code).toBe(0);
    expect(verdictOf(parse(r))).toEqual(verdictOf(medium));
  });

  describe('--resume with a directory it cannot use: exit 2, the reason and the fix, nothing touched', () => {
    let good: string;
    beforeAll(async () => {
      good = join(tempDir(), 'good');
      const r = await cli(['check', ...SMALL, '--checkpoint', good, '--max-states', '300', '--quiet'], tempDir());
      expect(r.code).toBe(3);
    });

    /** A copy of the good checkpoint, damaged by `damage`. */
    const copy = (damage: (ckpt: string) => void): string => {
      const d = join(tempDir(), 'ck');
      cpSync(good, d, { recursive: true });
      damage(join(d, 'checkpoint'));
      return d;
    };
    /**
     * Edits meta.json as another build would have written it: its own checksum is recomputed (the
     * engine's `SHA-256 of the meta without its checksums`), so that the CLI's checks are what refuse it.
     */
    const editMeta = (ckpt: string, edit: (m: Record<string, unknown>) => void): void => {
      const file = join(ckpt, 'meta.json');
      const m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      edit(m);
      const { checksums, ...rest } = m as { checksums?: Record<string, string> };
      const sum = createHash('sha256').update(JSON.stringify(rest)).digest('hex');
      writeFileSync(
        file,
        JSON.stringify({ ...rest, ...(checksums ? { checksums: { ...checksums, 'meta.json': sum } } : {}) }),
      );
    };
    /** Flips every bit of one byte of `file` (same size, same framing). */
    const flipByte = (file: string, at: number): void => {
      const bytes = readFileSync(file);
      bytes[at] = (bytes[at] ?? 0) ^ 0xff;
      writeFileSync(file, bytes);
    };
    const label = (m: Record<string, unknown>): Record<string, unknown> => m['label'] as Record<string, unknown>;

    const cases: { name: string; dir: () => string; args?: string[]; error: RegExp; fix: RegExp }[] = [
      {
        name: 'missing',
        dir: () => join(tempDir(), 'nope'),
        error: /cannot resume from .*nope: no checkpoint in .*nope: no such directory/,
        fix: /--resume takes the directory a run wrote with `kafka-mc check --checkpoint DIR`/,
      },
      {
        name: 'empty',
        dir: () => tempDir(),
        error: /no checkpoint in .*: the directory is empty/,
        fix: /--resume takes the directory/,
      },
      {
        name: 'a file',
        dir: () => {
          const f = join(tempDir(), 'file');
          writeFileSync(f, 'x');
          return f;
        },
        error: /no checkpoint in .*file: it is a file, not a directory/,
        fix: /--resume takes the directory/,
      },
      {
        name: 'only a partial first checkpoint',
        dir: () => {
          const d = tempDir();
          mkdirSync(join(d, 'checkpoint.tmp'));
          return d;
        },
        error: /only a partial one \(checkpoint\.tmp\)/,
        fix: /--resume takes the directory/,
      },
      {
        name: 'meta.json not JSON',
        dir: () => copy((c) => writeFileSync(join(c, 'meta.json'), '{"version": 1, "spec":')),
        error: /checkpoint\/meta\.json is damaged: /,
        fix: /start over with `kafka-mc check --checkpoint <new dir> …` \(.* is left as it is\)/,
      },
      {
        name: 'meta.json of the wrong shape',
        dir: () => copy((c) => editMeta(c, (m) => (m['sizes'] = [1, 2, 3]))),
        error: /meta\.json is damaged: "sizes" must list 1 non-negative integers/,
        fix: /start over/,
      },
      {
        name: 'a truncated frontier file',
        dir: () => copy((c) => truncateSync(join(c, 'frontier-0.bin'), 10)),
        error: /is damaged: frontier-0\.bin is truncated/,
        fix: /start over/,
      },
      {
        name: 'a flipped byte of the same size in a frontier file',
        dir: () => copy((c) => flipByte(join(c, 'frontier-0.bin'), 20)),
        error:
          /is damaged: frontier-0\.bin does not match its checksum \(sha256 [0-9a-f]{16}…, the file has [0-9a-f]{16}…\): it changed after the checkpoint was written/,
        fix: /start over/,
      },
      {
        name: 'a flipped byte in the fingerprint table',
        dir: () => copy((c) => flipByte(join(c, 'table.bin'), 64)),
        error: /is damaged: table\.bin does not match its checksum/,
        fix: /start over/,
      },
      {
        name: 'a count edited in meta.json',
        dir: () =>
          copy((c) => {
            const file = join(c, 'meta.json');
            const m = JSON.parse(readFileSync(file, 'utf8')) as { count: number };
            writeFileSync(file, JSON.stringify({ ...m, count: m.count - 1 }, null, 2));
          }),
        error:
          /is damaged: meta\.json does not match its checksum: its content changed after the checkpoint was written/,
        fix: /start over/,
      },
      {
        name: 'a missing table',
        dir: () => copy((c) => rmSync(join(c, 'table.bin'))),
        error: /is damaged: table\.bin is missing/,
        fix: /start over/,
      },
      {
        name: 'not written by kafka-mc check',
        dir: () => copy((c) => editMeta(c, (m) => delete m['label'])),
        error: /the checkpoint there was not written by `kafka-mc check --checkpoint`/,
        fix: /resumeParallel/,
      },
      {
        name: 'another kafka-mc version',
        dir: () => copy((c) => editMeta(c, (m) => (label(m)['version'] = '0.0.1-old'))),
        error: /written by kafka-mc 0\.0\.1-old, this is kafka-mc /,
        fix: /resume it with kafka-mc 0\.0\.1-old, or start over/,
      },
      {
        name: 'a model that changed since',
        dir: () => copy((c) => editMeta(c, (m) => (label(m)['modelDigest'] = '0000000000000000'))),
        error: /this kafka-mc's model differs from the one that wrote the checkpoint/,
        fix: /start over/,
      },
      {
        name: 'properties that changed since',
        dir: () => copy((c) => editMeta(c, (m) => (label(m)['properties'] = ['single-leader']))),
        error: /the checkpointed run checked single-leader, but this kafka-mc's default properties for it are/,
        fix: /start over/,
      },
      {
        name: 'model flags of another config',
        dir: () => good,
        args: ['--brokers', '3'],
        error: /--resume .*good: the flags given with it disagree with the checkpointed run/,
        fix: /brokers: 2 in the checkpoint, 3 with these flags[\s\S]*--print-config/,
      },
      {
        name: 'other properties',
        dir: () => good,
        args: ['--property', 'no-data-loss'],
        error: /disagree with the checkpointed run/,
        fix: /properties: .* in the checkpoint, no-data-loss from --property/,
      },
      {
        name: 'another worker count and depth bound',
        dir: () => good,
        args: ['--workers', '3', '--max-depth', '4'],
        error: /disagree with the checkpointed run/,
        fix: /workers: 1 in the checkpoint, 3 from --workers[\s\S]*depth bound: none in the checkpoint, 4 from --max-depth/,
      },
      {
        name: 'partial-order reduction turned off',
        dir: () => good,
        args: ['--no-por'],
        error: /disagree with the checkpointed run/,
        fix: /partial-order reduction: on in the checkpoint, off from --no-por/,
      },
    ];
    for (const c of cases)
      it(c.name, async () => {
        const dir = c.dir();
        const before = snapshot(dir);
        const r = await cli(['check', '--resume', dir, ...(c.args ?? [])], tempDir());
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/^error: /);
        expect(r.stderr).toMatch(c.error);
        expect(r.stderr).toMatch(c.fix);
        expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
        expect(snapshot(dir)).toEqual(before);
      });

    it('the model flags of the checkpointed run itself are accepted', async () => {
      const d = copy(() => undefined);
      const r = await cli(['check', '--resume', d, ...SMALL, '--workers', '1', '--quiet'], tempDir());
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^OK within bounds: 9 properties hold, 6 guards reached; 911 distinct states/);
    });

    it('--resume DIR --print-config prints the checkpointed run’s config', async () => {
      const r = await cli(['check', '--resume', good, '--print-config'], tempDir());
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^brokers: 2$/m);
      expect(r.stdout).toMatch(/^replicationFactor: 2$/m);
    });
  });

  describe('usage errors', () => {
    it('--checkpoint with --dfs, --swarm or liveness properties, --resume with --checkpoint, a lone --checkpoint-every', async () => {
      const cwd = tempDir();
      const cases: [string[], RegExp][] = [
        [['--checkpoint', 'ck', '--dfs'], /checkpoints are written by the breadth-first parallel engine: drop --dfs/],
        [['--checkpoint', 'ck', '--swarm', '0/2'], /a swarm shard is a single-threaded DFS without checkpoints/],
        [
          ['--checkpoint', 'ck', '--property', 'eventually-leader'],
          /liveness properties are decided over the whole state graph, which checkpoints do not keep/,
        ],
        [
          ['--resume', 'ck', '--checkpoint', 'ck2'],
          /--resume DIR keeps writing checkpoints into DIR: drop --checkpoint/,
        ],
        [['--checkpoint-every', '1m'], /--checkpoint-every needs --checkpoint DIR/],
      ];
      for (const [args, error] of cases) {
        const r = await cli(['check', ...SMALL, ...args], cwd);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr, args.join(' ')).toMatch(error);
      }
      expect(readdirSync(cwd)).toEqual([]);
    });

    it('--checkpoint refuses a directory that already holds a checkpoint, and leaves it as it is', async () => {
      const cwd = tempDir();
      expect((await cli(['check', ...SMALL, '--checkpoint', 'ck', '--quiet'], cwd)).code).toBe(0);
      const before = snapshot(join(cwd, 'ck'));
      const r = await cli(['check', ...SMALL, '--checkpoint', 'ck'], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--checkpoint ck: .*ck already holds a checkpoint \(level 17, 911 states\)/);
      expect(r.stderr).toContain('continue that run with `kafka-mc check --resume ck`');
      expect(snapshot(join(cwd, 'ck'))).toEqual(before);
      const file = await cli(['check', ...SMALL, '--checkpoint', 'ck/checkpoint/meta.json'], cwd);
      expect(file.code).toBe(2);
      expect(file.stderr).toMatch(/is a file, not a directory; name a directory/);
    });

    it('a second run checkpointing into the directory of a running one is refused cleanly; its lock outlives a kill -9 only until the next run', async () => {
      const cwd = tempDir();
      const dir = join(cwd, 'ck');
      let second: Proc | undefined;
      let resumed: Proc | undefined;
      const first = await cli(
        ['check', '--max-partitions', '2', '--checkpoint', 'ck', '--quiet', '--time-limit', '120s'],
        cwd,
        {
          when: () => levelOf(dir) >= 1,
          signal: 'SIGKILL',
          before: async () => {
            second = await cli(['check', ...SMALL, '--checkpoint', 'ck'], cwd);
            resumed = await cli(['check', '--resume', 'ck'], cwd);
          },
        },
      );
      expect(first.signal).toBe('SIGKILL');
      for (const r of [second, resumed]) {
        expect(r?.code).toBe(2);
        expect(r?.stderr).toMatch(
          /^error: --(checkpoint|resume) ck: .*ck is in use by another kafka-mc run \(pid \d+, started /,
        );
        expect(r?.stderr).toMatch(/wait for that run to end \(or stop it\), or use another directory/);
        expect(r?.stderr).not.toMatch(/ENOENT|\n\s+at /);
      }
      // the killed run's lock is stale: the next run takes it over and resumes
      expect(existsSync(join(dir, 'lock'))).toBe(true);
      const again = await cli(['check', '--resume', 'ck', '--time-limit', '3s', '--quiet'], cwd);
      expect(again.stderr).not.toMatch(/in use/);
      expect(again.stdout).toMatch(/^INCOMPLETE: stopped by the time limit|^OK: /m);
      expect(existsSync(join(dir, 'lock'))).toBe(false);
    });
  });
});
