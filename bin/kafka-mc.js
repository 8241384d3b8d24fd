#!/usr/bin/env node
// Exhaustive runs keep millions of states; Node's default heap limit (~4 GiB) is far below what this
// machine class has. Unless the user chose a limit, re-run node once with 3/4 of physical memory.
import { spawn } from 'node:child_process';
import os from 'node:os';

const chosen =
  process.execArgv.some((a) => a.startsWith('--max-old-space-size')) ||
  (process.env.NODE_OPTIONS ?? '').includes('--max-old-space-size') ||
  process.env.KAFKA_MC_NO_RESPAWN === '1';

if (chosen) {
  await import('../dist/cli/main.js');
} else {
  const mb = Math.max(4096, Math.floor((os.totalmem() / 2 ** 20) * 0.75));
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${mb}`, ...process.execArgv, new URL(import.meta.url).pathname, ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, KAFKA_MC_NO_RESPAWN: '1' } },
  );
  // The child receives Ctrl-C from the terminal itself (same process group): the parent only waits.
  process.on('SIGINT', () => {});
  for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
