import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { replayPath, type PropertyOutcome } from '../checker/index.js';
import type { KafkaModel } from '../model/index.js';
import { indent } from './kafkaBundle.js';
import type { RuleRef } from './loadRule.js';
import { plural } from './format.js';

/** What the CLI writes about one counterexample. */
export interface CounterexampleInput {
  readonly model: KafkaModel;
  readonly rule: RuleRef;
  readonly outcome: PropertyOutcome;
  readonly strategy: 'bfs' | 'dfs' | 'simulation' | 'liveness';
  readonly seed?: number;
  readonly commandLine: readonly string[];
}

/**
 * Writes `content` to `dir/<base>.json`, or `<base>-2.json`, `<base>-3.json`, … — never over an existing
 * file (the exclusive-create flag makes this safe against a concurrent run too). Returns the path.
 */
export function writeNew(dir: string, base: string, content: string, ext = '.json'): string {
  mkdirSync(dir, { recursive: true });
  for (let n = 1; ; n++) {
    const file = join(dir, `${base}${n === 1 ? '' : `-${n}`}${ext}`);
    try {
      writeFileSync(file, content, { flag: 'wx' });
      return file;
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * Saves a counterexample under `outDir` and returns its path relative to `cwd` (absolute when outside).
 * Interim format until the traces/ module lands: the replay handle (config, rule, path) and the
 * property; `kafka-mc replay` reads it.
 */
export function saveCounterexample(input: CounterexampleInput, outDir: string, cwd: string): string {
  const o = input.outcome;
  const data = {
    format: 'kafka-mc-trace',
    formatVersion: 0,
    commandLine: input.commandLine,
    model: input.model.name,
    property: { id: o.id, title: o.title, kind: o.kind },
    status: o.status,
    rule: input.rule,
    strategy: input.strategy,
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
    path: o.path ?? [],
    ...(o.loopStart !== undefined ? { loopStart: o.loopStart } : {}),
    detail: o.detail ?? '',
    config: input.model.config,
  };
  const file = writeNew(resolve(cwd, outDir), o.id, `${JSON.stringify(data, null, 2)}\n`);
  return displayPath(file, cwd);
}

/** `file` relative to `cwd` when it is inside it. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !rel.startsWith('/') ? rel : file;
}

/**
 * A counterexample as numbered steps in Kafka's words, then the last state. Replays the path (and says
 * so when it does not replay).
 */
export function renderCounterexample(model: KafkaModel, o: PropertyOutcome): string {
  const path = o.path ?? [];
  const replayed = replayPath(model, path);
  if (!replayed.ok) return `  (the path ${path.join('/')} does not replay: ${replayed.error})`;
  const { states, actions } = replayed.value;
  const lines: string[] = [];
  const what = o.status === 'found' ? 'Example' : 'Counterexample';
  lines.push(`${what} for ${o.id} (${plural(actions.length, 'step')}): ${o.title}`);
  const width = String(actions.length).length;
  lines.push(`  ${'0'.padStart(width)}. initial state`);
  actions.forEach((a, i) => {
    const s = states[i];
    const text = s !== undefined && model.formatAction ? model.formatAction(a, s) : a.kind;
    const loop = o.loopStart === i ? '   ← the cycle starts here' : '';
    lines.push(`  ${String(i + 1).padStart(width)}. ${text}${loop}`);
  });
  if (o.detail) lines.push(`  ✗ ${o.detail}`);
  const last = states[states.length - 1];
  if (last !== undefined && model.formatState) {
    lines.push('', `State after step ${actions.length}:`, indent(model.formatState(last), '  '));
  }
  return lines.join('\n');
}
