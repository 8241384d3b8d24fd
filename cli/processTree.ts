/**
 * Test support for the signal tests: spawns the real `kafka-mc` (through a launcher, a shell, npm…),
 * waits for what it prints, finds every process of its tree and checks that none outlives the test.
 * Linux only (it reads /proc). Test-only (imported by `*.test.ts`; nothing in the CLI imports it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** A spawned process tree and what its top process printed. */
export interface Spawned {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout or stderr has printed a match of `re` (rejects after `timeoutMs`). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves when the top process has exited and every holder of its stdout and stderr closed them. */
  readonly ended: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
}

/** Spawns `command args` in a process group of its own (so a test can send it a terminal's Ctrl-C). */
export function spawnTree(
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv },
): Spawned {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  const poke = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    poke();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    poke();
  });
  const closed = (s: NodeJS.ReadableStream | null): Promise<void> =>
    new Promise((resolve) => (s ? s.on('close', () => resolve()) : resolve()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const ended = Promise.all([exited, closed(child.stdout), closed(child.stderr)]).then(([e]) => e);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    ended,
    waitFor(re, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${re}; stdout:\n${out}\nstderr:\n${err}`)),
          timeoutMs,
        );
        const check = (): void => {
          if (re.test(out) || re.test(err)) {
            clearTimeout(timer);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            reject(new Error(`exited before printing ${re}; stdout:\n${out}\nstderr:\n${err}`));
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

/** The status field of /proc/<pid>/stat, or undefined if there is no such process. */
function procState(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '?', ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a live process (a zombie waiting to be reaped counts as gone). */
export function isRunning(pid: number): boolean {
  const s = procState(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X';
}

/** `root` and its live descendants, parents before children. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = procState(pid);
    if (!s || s.state === 'Z') continue;
    const list = children.get(s.ppid);
    if (list) list.push(pid);
    else children.set(s.ppid, [pid]);
  }
  const out: number[] = [];
  const visit = (p: number): void => {
    out.push(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  if (isRunning(root)) visit(root);
  return out;
}

/** Resolves when none of `pids` runs any more; rejects with the survivors after `timeoutMs`. */
export async function allGone(pids: readonly number[], timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isRunning);
    if (alive.length === 0) return;
    if (Date.now() > until) {
      for (const p of alive) killQuietly(p, 'SIGKILL');
      throw new Error(`processes outlived the test: ${alive.join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends `sig` to `pid`, ignoring a process that is already gone. */
export function killQuietly(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
