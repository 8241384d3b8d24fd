import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { renderHtml } from '../../traces/index.js';
import type { CliContext } from '../runModel.js';
import { UsageError } from '../UsageError.js';
import { readTrace } from '../traceFiles.js';
import { displayPath } from '../traceOutput.js';
import { checkOutputFile, writeFailure } from '../outputPaths.js';

/** `kafka-mc view <trace>`: writes the trace's self-contained HTML page and optionally opens it. */
export function viewCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('view')
    .summary('write a trace as a self-contained HTML page (and open it)')
    .argument('<trace>', 'a .trace.json file')
    .option('--out <file>', 'where to write the page (default: the trace path with .html)')
    .option('--open', 'open the page in the default browser')
    .option('--force', 'replace an existing page')
    .option('--json', 'print where the page went as JSON')
    .action(async (file: string, opts: { out?: string; open?: boolean; force?: boolean; json?: boolean }) => {
      const { io } = ctx;
      const trace = readTrace(file, io.cwd);
      const outArg = opts.out ?? `${file.replace(/\.trace\.json$|\.json$/, '')}.html`;
      const out = checkOutputFile('--out', outArg, io.cwd, {
        replace: opts.force === true,
        replaceHint: ' or pass --force to replace it',
      });
      try {
        writeFileSync(out, renderHtml(trace), { flag: opts.force ? 'w' : 'wx' });
      } catch (e) {
        throw new UsageError(writeFailure('the page', out, e));
      }
      const shown = displayPath(out, io.cwd);
      if (opts.json) io.stdout.write(`${JSON.stringify({ trace: file, page: shown, opened: opts.open === true })}\n`);
      else io.stdout.write(`wrote ${shown}\n`);
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
