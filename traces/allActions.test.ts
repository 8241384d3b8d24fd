import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PropertyOutcome } from '../checker/index.js';
import type { Action, ClusterState } from '../model/index.js';
import { kafkaModel, resolveConfig, unclean } from '../model/index.js';
import { noDataLoss } from '../properties/index.js';
import { parseTrace, serializeTrace } from './io.js';
import { toItf } from './itf.js';
import { renderTrace } from './renderTrace.js';
import { replayTrace } from './replay.js';
import { buildTrace } from './Trace.js';
import { renderHtml } from './viewer/renderHtml.js';
import { EVERY_FAULT_ONCE } from '../model/testing/engines.js';

// Every fault enabled, two partitions, unclean elections: random walks reach every action kind, and
// every rendering, the export and replay must handle each of them.
const config = resolveConfig({
  partitions: 2,
  uncleanLeaderElection: true,
  faults: EVERY_FAULT_ONCE,
  bounds: { records: 2, leaderEpochs: 3 },
});
const model = kafkaModel(config, unclean);

function walk(choices: readonly number[]): { path: number[]; kinds: Action['kind'][] } {
  const path = [0];
  const kinds: Action['kind'][] = [];
  let s = model.initStates()[0] as ClusterState;
  for (const c of choices) {
    const acts = model.actions(s);
    if (acts.length === 0) break;
    const i = c % acts.length;
    const a = acts[i] as Action;
    const n = model.next(s, a);
    if (n === undefined) break;
    path.push(i);
    kinds.push(a.kind);
    s = n;
  }
  return { path, kinds };
}

describe('traces of random behaviours with every action kind', () => {
  it('build, render (text, table, HTML, ITF), round-trip and replay as recorded', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 5, maxLength: 30 }), async (choices) => {
        const { path, kinds } = walk(choices);
        kinds.forEach((k) => seen.add(k));
        const outcome: PropertyOutcome = {
          id: noDataLoss.id,
          title: noDataLoss.title,
          kind: 'always',
          status: 'violated',
          path,
        };
        const built = buildTrace({
          model,
          config,
          rule: { name: 'unclean' },
          outcome,
          property: noDataLoss,
          strategy: 'simulation',
          seed: 1,
          commandLine: ['kafka-mc', 'simulate'],
        });
        if (!built.ok) throw new Error(built.error);
        const trace = built.value;
        for (const verbosity of [0, 1, 2] as const) expect(renderTrace(trace, { verbosity })).toContain('path ');
        expect(renderTrace(trace, { table: true })).toContain('log (| = HW)');
        expect(renderHtml(trace)).toContain(`<template id="step-${trace.steps.length}">`);
        expect(toItf(trace).states).toHaveLength(trace.steps.length + 1);
        const again = parseTrace(serializeTrace(trace));
        expect(again.ok && again.value).toEqual(JSON.parse(JSON.stringify(trace)));
        const report = await replayTrace(trace, () => unclean);
        // the walk need not violate no-data-loss: it replays as recorded either way
        expect(['reproduces', 'no-longer-reproduces']).toContain(report.kind);
        if (report.kind === 'no-longer-reproduces') expect(report.firstDifference).toBeUndefined();
      }),
      { seed: 8, numRuns: 40 },
    );
    // the walks covered the fault and control-plane actions the renderers special-case
    for (const k of [
      'crash',
      'unclean-shutdown',
      'restart',
      'partition-network',
      'heal',
      'drop',
      'deliver',
      'elect-leader',
      'expire-session',
    ])
      expect(seen, k).toContain(k);
  });
});
