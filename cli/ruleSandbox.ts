/**
 * A user's election-rule file is untrusted code: `sandboxRule` wraps its `eligibleLeaders` so that
 * whatever the rule does, the run ends with a message naming the rule, the election it was asked about
 * (in Kafka's words) and what went wrong — never an internal error, never a hang:
 *
 * - each call runs under a time budget (`node:vm`'s timeout interrupts an endless loop);
 * - the answer must be a list of distinct broker ids, each a live replica of the partition;
 * - the rule must be deterministic: the first time it is asked about an election it is asked twice, on
 *   two frozen copies of the view, and now and then a remembered answer is asked for again (a rule that
 *   reads a clock drifts); a different answer is a `RuleError` (a usage error).
 *
 * Answers are remembered per view (a rule is a function of its view), so the rule runs a few hundred
 * times in a run of millions of states and the budget's cost (a watchdog per call) is paid rarely.
 */
import { relative } from 'node:path';
import { inspect } from 'node:util';
import vm from 'node:vm';
import { RuleError, type ElectionRule, type ElectionView } from '../model/index.js';
import { locate } from './sourceLocation.js';

/** How long one call of a rule file's `eligibleLeaders` may take. */
export const RULE_CALL_BUDGET_MS = 1000;

/** Every this many answers taken from memory, the rule is asked again (catches rules that read a clock). */
const RECHECK_EVERY = 256;

/** Remembered answers beyond this many are forgotten (a rule sees few distinct views). */
const MAX_REMEMBERED = 100_000;

const REASON_WORDS: Readonly<Record<ElectionView['reason'], string>> = {
  offline: 'offline election',
  'controlled-shutdown': 'controlled-shutdown election',
  preferred: 'preferred-leader election',
  unclean: 'admin unclean election',
};

/** The election a view describes, in Kafka's words (for messages). */
export function describeElection(v: ElectionView): string {
  const leader = v.currentLeader < 0 ? 'no current leader' : `current leader broker ${v.currentLeader}`;
  const logs = v.replicaLogs.map((r) => `b${r.broker}:${r.logEndOffset}`).join(' ') || 'none';
  return `the ${REASON_WORDS[v.reason]} of partition ${v.partition} (replicas [${v.assignment.join(', ')}], ISR [${v.isr.join(', ')}], live [${v.live.join(', ')}], ${leader}, unclean.leader.election.enable=${v.uncleanEnabled}, log end offsets of the replicas that answered ${logs})`;
}

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

const show = (x: unknown): string => inspect(x, { depth: 3, breakLength: Infinity, maxArrayLength: 20 });

/** What is wrong with a rule's answer for `view`, or undefined. */
function answerProblem(answer: unknown, view: ElectionView): string | undefined {
  if (!Array.isArray(answer)) return 'a list of broker ids was expected';
  const bad = answer.find((b) => !Number.isInteger(b));
  if (bad !== undefined) return `${show(bad)} is not a broker id (an integer)`;
  const ids = answer as number[];
  const twice = ids.find((b, i) => ids.indexOf(b) !== i);
  if (twice !== undefined) return `broker ${twice} is listed twice`;
  const stranger = ids.find((b) => !view.assignment.includes(b));
  if (stranger !== undefined)
    return `broker ${stranger} is not a replica of partition ${view.partition} (replicas [${view.assignment.join(', ')}])`;
  const dead = ids.find((b) => !view.live.includes(b));
  if (dead !== undefined)
    return `broker ${dead} is not live (live replicas [${view.live.join(', ')}]); a rule must return a subset of view.live`;
  return undefined;
}

const sameAnswer = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && [...a].sort((x, y) => x - y).join() === [...b].sort((x, y) => x - y).join();

/**
 * `rule` (loaded from `file`) behind the checks above; every misbehaviour throws a `RuleError`.
 * `budgetMs` is the time one call may take.
 */
export function sandboxRule(
  rule: ElectionRule,
  file: string,
  cwd: string,
  budgetMs: number = RULE_CALL_BUDGET_MS,
): ElectionRule {
  const rel = relative(cwd, file);
  const shown = rel && !rel.startsWith('..') ? rel : file;
  const name = `election rule "${rule.name}" (${shown})`;
  const context = vm.createContext({ call: (): unknown => undefined, answer: undefined as unknown });
  const script = new vm.Script('answer = call();');
  const remembered = new Map<string, readonly number[]>();
  let fromMemory = 0;

  /** One call on a frozen copy of `view`, under the time budget. */
  const ask = (view: ElectionView): unknown => {
    const frozen = deepFreeze(structuredClone(view));
    context['call'] = () => rule.eligibleLeaders(frozen);
    try {
      script.runInContext(context, { timeout: budgetMs, breakOnSigint: false });
      return context['answer'];
    } catch (e) {
      if ((e as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
        throw new RuleError(
          `${name} did not return within ${budgetMs / 1000} s when asked about ${describeElection(view)}; a rule must answer at once (an endless loop?)`,
        );
      const err = e instanceof Error ? e : new Error(String(e));
      const where = locate(err, file, shown);
      throw new RuleError(
        `${name} threw when asked about ${describeElection(view)}: ${err.message}${where ? ` (at ${where})` : ''}`,
      );
    } finally {
      context['call'] = () => undefined;
      context['answer'] = undefined;
    }
  };

  const nondeterministic = (view: ElectionView, first: unknown, second: unknown): RuleError =>
    new RuleError(
      `${name} is nondeterministic: asked twice about ${describeElection(view)}, it answered ${show(first)} and then ${show(second)}; a rule must be a pure function of its view (no Math.random, no Date.now, no state kept between calls), or the checker's verdicts and traces mean nothing`,
    );

  return {
    name: rule.name,
    description: rule.description,
    ...(rule.expectedViolations ? { expectedViolations: rule.expectedViolations } : {}),
    ...(rule.reasons ? { reasons: Object.freeze([...rule.reasons]) } : {}),
    eligibleLeaders(view) {
      const key = JSON.stringify(view);
      const known = remembered.get(key);
      if (known) {
        if (++fromMemory % RECHECK_EVERY === 0) {
          const again = ask(view);
          if (answerProblem(again, view) !== undefined || !sameAnswer(known, again as number[]))
            throw nondeterministic(view, known, again);
        }
        return known;
      }
      const first = ask(view);
      const problem = answerProblem(first, view);
      if (problem !== undefined)
        throw new RuleError(`${name} returned ${show(first)} when asked about ${describeElection(view)}: ${problem}`);
      const second = ask(view);
      if (answerProblem(second, view) !== undefined || !sameAnswer(first as number[], second as number[]))
        throw nondeterministic(view, first, second);
      const answer = Object.freeze([...(first as number[])]);
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(key, answer);
      return answer;
    },
  };
}
