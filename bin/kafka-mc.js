#!/usr/bin/env node
// Exhaustive runs keep millions of states; Node's default heap limit (~4 GiB) is far below what this
// machine class has. Unless the user chose a limit, re-run node once with 3/4 of physical memory.
//
// This launcher and that child end together (see cli/lifecycle.ts for the rule the user sees):
// - the child runs in its own process group, so a terminal's Ctrl-C reaches only this launcher, which
//   forwards every SIGINT, SIGTERM and SIGHUP to it exactly once (the child stops its search, prints
//   what it has and ends by the signal; a second Ctrl-C ends it at once);
// - when the child ends, the launcher ends the same way (by the same signal, or with the same code);
// - the child watches this launcher (KAFKA_MC_LAUNCHER_PID) and stops if it dies, even by kill -9;
// - started by npm (`npx kafka-mc`, an npm script), the launcher also watches npm's `sh -c` wrapper and
//   npm itself, which do not pass every signal on: if either dies, the child is told by SIGHUP.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const chosen =
  process.execArgv.some((a) => a.startsWith('--max-old-space-size')) ||
  (process.env.NODE_OPTIONS ?? '').includes('--max-old-space-size') ||
  process.env.KAFKA_MC_NO_RESPAWN === '1';

if (chosen) {
  await import('../dist/cli/main.js');
} else {
  launch();
}

function launch() {
  const posix = process.platform !== 'win32';
  const mb = Math.max(4096, Math.floor((os.totalmem() / 2 ** 20) * 0.75));
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${mb}`, ...process.execArgv, new URL(import.meta.url).pathname, ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      detached: posix,
      env: { ...process.env, KAFKA_MC_NO_RESPAWN: '1', KAFKA_MC_LAUNCHER_PID: String(process.pid) },
    },
  );
  const tell = (sig) => {
    try {
      child.kill(sig);
    } catch {
      // the child is gone already; its exit ends this process
    }
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => tell(sig));
  if (posix) {
    // Ctrl-Z stops the child too (it is not in the terminal's foreground group); `fg` resumes both.
    process.on('SIGTSTP', () => {
      tell('SIGSTOP');
      process.kill(process.pid, 'SIGSTOP');
    });
    process.on('SIGCONT', () => tell('SIGCONT'));
  }
  const unwatch = watchNpm(() => tell('SIGHUP'));
  child.on('error', (e) => {
    process.stderr.write(`kafka-mc: cannot start ${process.execPath}: ${e.message}\n`);
    process.exit(2);
  });
  child.on('exit', (code, signal) => {
    unwatch();
    if (signal === null) process.exit(code ?? 1);
    if (['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'].includes(signal)) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(128 + (os.constants.signals[signal] ?? 0));
  });
}

/**
 * Under npm (npm_lifecycle_event is set for `npx` and npm scripts) the parent is npm's `sh -c`
 * wrapper and the grandparent npm. Polls both; calls `gone` once when either has died. Returns the
 * function that stops watching.
 */
function watchNpm(gone) {
  if (process.env.npm_lifecycle_event === undefined || process.platform === 'win32') return () => {};
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  const proc = process.platform === 'linux';
  const timer = setInterval(() => {
    const parentGone = process.ppid !== parent;
    const grandparentGone =
      grandparent !== undefined && (proc ? parentOf(parent) !== grandparent : !isAlive(grandparent));
    if (parentGone || grandparentGone) {
      clearInterval(timer);
      gone();
    }
  }, 250);
  timer.unref();
  return () => clearInterval(timer);
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** The parent pid of `pid` (from /proc on Linux, else `ps`), or undefined if it cannot be read. */
function parentOf(pid) {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    try {
      const out = execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }).trim();
      return out ? Number(out) : undefined;
    } catch {
      return undefined;
    }
  }
}
