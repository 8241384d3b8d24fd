/**
 * The `kafka-mc` executable (bin/kafka-mc.js imports the compiled file). Ctrl-C stops the search and
 * prints what it found so far (exit 3); a second Ctrl-C quits at once.
 */
import { main } from './program.js';

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts++;
  if (interrupts > 1) process.exit(130);
  process.stderr.write('\nstopping the search (Ctrl-C again to quit at once)…\n');
  controller.abort();
});

process.exitCode = await main(process.argv.slice(2), {
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
  signal: controller.signal,
  searchInWorker: true,
});
