/**
 * The `kafka-mc` executable (bin/kafka-mc.js imports the compiled file). SIGINT (Ctrl-C), SIGTERM and
 * SIGHUP stop a search, which prints what it found so far; the process then ends by that signal (exit
 * status 128 + its number); a second one quits at once (see lifecycle.ts).
 */
import { main } from './program.js';
import { startLifecycle } from './lifecycle.js';

const life = startLifecycle((s) => void process.stderr.write(s));

const code = await main(process.argv.slice(2), {
  stdout: {
    write: (s) => void process.stdout.write(s),
    isTTY: process.stdout.isTTY === true,
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
  },
  stderr: {
    write: (s) => void process.stderr.write(s),
    isTTY: process.stderr.isTTY === true,
    ...(process.stderr.columns ? { columns: process.stderr.columns } : {}),
  },
  cwd: process.cwd(),
  env: process.env,
  signal: life.signal,
  catchSignals: life.catchSignals,
  searchInWorker: true,
});
await life.finish(code);
