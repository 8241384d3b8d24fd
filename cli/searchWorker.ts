/**
 * Worker-thread entry of single-threaded searches (see `runInWorker`). The main thread sets `stop[0]`
 * on Ctrl-C; the search notices it at its next progress report and stops with what it has.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RuleError } from '../model/index.js';
import { loadRuleSync } from './loadRule.js';
import { runInline, type FromSearchWorker, type SearchJob } from './runSearch.js';
import { UsageError } from './UsageError.js';

const { job, stop } = workerData as { job: SearchJob; stop: Int32Array };
const port = parentPort;
const post = (m: FromSearchWorker): void => port?.postMessage(m);
const controller = new AbortController();

try {
  const loaded = loadRuleSync(job.spec.rule, job.spec.cwd);
  const outcome = runInline(job, loaded, {
    signal: controller.signal,
    onProgress: (progress) => {
      if (Atomics.load(stop, 0) === 1) controller.abort();
      post({ type: 'progress', progress });
    },
  });
  post({ type: 'done', outcome });
} catch (e) {
  const err = e instanceof Error ? e : new Error(String(e));
  post({
    type: 'failed',
    ruleError: err instanceof UsageError || err instanceof RuleError,
    message: err.message,
    ...(err.stack !== undefined ? { stack: err.stack } : {}),
  });
}
