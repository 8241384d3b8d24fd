import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { renderHtml } from '../../traces/index.js';
import type { CliContext } from '../runModel.js';
import { UsageError } from '../UsageError.js';
import { readTrace } from '../traceFiles.js';
import { displayPath } from '../traceOutput.js';

/** `kafka-mc view <trace>`: writes the trace's self-contained HTML page and optionally opens it. */
export function viewCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('view')
    .summary('write a trace as a self-contained HTML page (and open it)')
    .argument('<trace>', 'a .trace.json file')
    .option('--out <file>', 'where to write the page (default: the trace path with .html)')
    .option('--open', 'open the page in the default browser')
    .option('--force', 'replace an existing page')
    .action(async (file: string, opts: { out?: string; open?: boolean; force?: boolean }) => {
      const { io } = ctx;
      const trace = readTrace(file, io.cwd);
      const outArg = opts.out ?? `${file.replace(/\.trace\.json$|\.json$/, '')}.html`;
      const out = resolve(io.cwd, outArg);
      if (existsSync(out) && !opts.force)
        throw new UsageError(`${outArg} already exists; choose another --out or pass --force to replace it`);
      writeFileSync(out, renderHtml(trace));
      io.stdout.write(`wrote ${displayPath(out, io.cwd)}\n`);
      if (opts.open) await (io.openFile ?? openInBrowser)(out);
      done(0);
    });
}

/** Opens a file with the platform's opener, without waiting for the browser. */
export function openInBrowser(path: string): Promise<void> {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', path] : [path];
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {
      process.stderr.write(`could not start ${cmd}; open ${path} yourself\n`);
      resolvePromise();
    });
    child.on('spawn', () => {
      child.unref();
      resolvePromise();
    });
  });
}
