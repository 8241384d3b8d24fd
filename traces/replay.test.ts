import { describe, expect, it } from 'vitest';
import { check, eventually } from '../checker/index.js';
import { checkLiveness } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';
import { clean, kafkaModel, resolveConfig, unclean } from '../model/index.js';
import { failoverHappens, noDataLoss, singleLeader } from '../properties/index.js';
import { loadTrace } from './io.js';
import { describeReplay, meetsExpectation, replayTrace } from './replay.js';
import { builtinRuleResolver } from './ruleRef.js';
import type { Trace } from './Trace.js';
import { buildTrace, regressionsDir } from './Trace.js';
import { renderTrace } from './renderTrace.js';
import { join } from 'node:path';

function load(name: string): Trace {
  const l = loadTrace(join(regressionsDir(), `${name}.trace.json`));
  if (!l.ok) throw new Error(l.error);
  return l.value;
}

describe('replayTrace', () => {
  const acks1 = load('acks1-leader-crash-data-loss');

  it('reproduces a recorded violation, naming the failing record', async () => {
    const r = await replayTrace(acks1, builtinRuleResolver);
    expect(r.kind).toBe('reproduces');
    expect(describeReplay(r)).toContain('record r1');
    expect(describeReplay(r)).toContain('missing from the log of leader b1');
  });

  it('no longer reproduces when the config fixes the bug, and says where the model departs', async () => {
    const t = load('pre-kip-101-hw-truncation-data-loss');
    const r = await replayTrace({ ...t, config: { ...t.config, truncation: 'leader-epoch' } }, builtinRuleResolver);
    expect(r.kind).toBe('no-longer-reproduces');
    if (r.kind !== 'no-longer-reproduces') return;
    // b2 truncated r1 away to its stale high watermark; by leader epoch it keeps it
    expect(r.firstDifference?.field).toBe('brokers[2].replicas[0].log');
    expect(r.firstDifference?.recorded).toBe('[]');
    expect(r.firstDifference?.rebuilt).toBe('[r1@e0]');
    expect(meetsExpectation(r, 'fixed')).toBe(true);
    expect(meetsExpectation(r, 'reproduces')).toBe(false);
  });

  it('diverges when an action index now names another action', async () => {
    const t = load('unclean-election-data-loss');
    const r = await replayTrace({ ...t, config: { ...t.config, uncleanLeaderElection: false } }, builtinRuleResolver);
    expect(r.kind).toBe('diverges');
    if (r.kind !== 'diverges') return;
    expect(r.divergence.step).toBe(8);
    expect(r.divergence.field).toBe('action');
    expect(r.divergence.recorded).toContain('UNCLEAN');
    expect(r.divergence.rebuilt).toContain('finds no eligible leader');
  });

  it('diverges when a recorded state change differs, naming the first differing field', async () => {
    const steps = acks1.steps.map((s) =>
      s.step === 2 ? { ...s, changes: s.changes.map((c) => (c.path === 'budget.crashes' ? { ...c, new: 7 } : c)) } : s,
    );
    const r = await replayTrace({ ...acks1, steps }, builtinRuleResolver);
    expect(r.kind).toBe('diverges');
    if (r.kind !== 'diverges') return;
    expect(r.divergence).toEqual({ step: 2, field: 'budget.crashes', recorded: '7', rebuilt: '0' });
    expect(r.propertyAtEnd).toBe('violated');
  });

  it('diverges when the path no longer replays', async () => {
    const path = [...acks1.path];
    path[3] = 99;
    const steps = acks1.steps.map((s) => (s.step === 3 ? { ...s, actionIndex: 99 } : s));
    const r = await replayTrace({ ...acks1, path, steps }, builtinRuleResolver);
    expect(r.kind).toBe('diverges');
    if (r.kind !== 'diverges') return;
    expect(r.divergence.step).toBe(3);
    expect(r.divergence.field).toBe('path');
    expect(r.divergence.rebuilt).toMatch(/out of range/);
  });

  it('ignores reworded action texts and state fields the trace does not know, with notes', async () => {
    const init = acks1.initialState as unknown as Record<string, unknown>;
    const { budget: _dropped, ...older } = init;
    const steps = acks1.steps.map((s) => ({
      ...s,
      text: s.step === 1 ? 'old wording' : s.text,
      changes: s.changes.filter((c) => !c.path.startsWith('budget')),
    }));
    const r = await replayTrace(
      { ...acks1, initialState: older as unknown as ClusterState, steps },
      builtinRuleResolver,
    );
    expect(r.kind).toBe('reproduces');
    if (r.kind !== 'reproduces') return;
    expect(r.notes.join('\n')).toContain('step 1: the action is now worded');
    expect(r.notes.join('\n')).toContain('budget');
  });

  it('reports errors for an unknown property or rule', async () => {
    const p = await replayTrace(
      { ...acks1, property: { ...acks1.property, id: 'no-such-property' } },
      builtinRuleResolver,
    );
    expect(p.kind).toBe('error');
    expect(describeReplay(p)).toMatch(/property "no-such-property" is not known.*no-data-loss/);
    const r = await replayTrace({ ...acks1, rule: { name: 'nope' } }, builtinRuleResolver);
    expect(describeReplay(r)).toMatch(/cannot load election rule "nope".*known: clean/);
    const f = await replayTrace(
      { ...acks1, rule: { name: 'mine', path: 'rules/mine.ts', sha256: 'a'.repeat(64) } },
      builtinRuleResolver,
    );
    expect(describeReplay(f)).toContain('rules/mine.ts');
  });

  it('passes the resolver the recorded rule reference (async resolvers too)', async () => {
    const seen: string[] = [];
    const r = await replayTrace(acks1, async (ref) => {
      seen.push(ref.name);
      return Promise.resolve(clean);
    });
    expect(seen).toEqual(['clean']);
    expect(r.kind).toBe('reproduces');
  });

  it('judges a single-leader trace with the property looked up among all exported properties', async () => {
    // no single-leader bug in the default model: replaying the acks=1 path against it finds the property holds
    const r = await replayTrace(
      { ...acks1, property: { id: singleLeader.id, title: singleLeader.title, kind: 'always' } },
      builtinRuleResolver,
    );
    expect(r.kind).toBe('no-longer-reproduces');
  });
});

describe('replayTrace on an example of a sometimes property', () => {
  it('builds, renders and replays a reachability example', async () => {
    const config = resolveConfig({ bounds: { records: 0, leaderEpochs: 1 }, faults: { networkPartitions: 0 } });
    const model = kafkaModel(config, clean);
    const result = check(model, [failoverHappens], { stopOnViolation: false });
    const outcome = result.outcomes.find((o) => o.id === failoverHappens.id);
    expect(outcome?.status).toBe('found');
    if (!outcome) return;
    const built = buildTrace({
      model,
      config,
      rule: { name: 'clean' },
      outcome,
      property: failoverHappens,
      strategy: 'bfs',
      commandLine: [],
    });
    if (!built.ok) throw new Error(built.error);
    expect(built.value.status).toBe('found');
    const text = renderTrace(built.value, { verbosity: 0 });
    expect(text.split('\n')[0]).toBe('✓ failover-happens example found: A partition fails over to another leader');
    expect(text).toContain(`✓ failover-happens is reached at step ${built.value.steps.length}:`);
    const r = await replayTrace(built.value, builtinRuleResolver);
    expect(r.kind).toBe('reproduces');
    // cut the last step: the example is no longer reached
    const shorter = { ...built.value, path: built.value.path.slice(0, -1), steps: built.value.steps.slice(0, -1) };
    expect((await replayTrace(shorter, builtinRuleResolver)).kind).toBe('no-longer-reproduces');
  });
});

describe('replayTrace on a lasso', () => {
  // A liveness property that fails without fairness: "eventually two records are acknowledged".
  const twoAcked = eventually<ClusterState>(
    'eventually-two-acked',
    'Eventually two records are acknowledged',
    (s) => s.ghost.acked.length >= 2,
    {
      explain: (s) => `only ${s.ghost.acked.length} record(s) acknowledged`,
    },
  );
  const config = resolveConfig({
    bounds: { records: 1, leaderEpochs: 1 },
    faults: { networkPartitions: 0, crashes: 0 },
  });
  const model = kafkaModel(config, unclean);

  it('builds, renders and replays a lasso', async () => {
    const result = checkLiveness(model, [twoAcked]);
    expect(result.kind).toBe('violation');
    if (result.kind !== 'violation') return;
    expect(result.violation.loopStart).toBeDefined();
    const built = buildTrace({
      model,
      config,
      rule: { name: 'unclean' },
      outcome: result.violation,
      property: twoAcked,
      strategy: 'liveness',
      commandLine: ['kafka-mc', 'check', '--liveness'],
    });
    if (!built.ok) throw new Error(built.error);
    const text = renderTrace(built.value, { verbosity: 0 });
    expect(text).toMatch(/── (loop starts here|the behaviour stays in this state forever)/);
    const r = await replayTrace(built.value, builtinRuleResolver, { properties: [twoAcked] });
    expect(r.kind).toBe('reproduces');
    // a cycle that no longer closes is not a counterexample
    const n = built.value.steps.length;
    const broken = { ...built.value, loopStart: n === 0 ? 0 : Math.max(0, (built.value.loopStart ?? 0) - 1) };
    if (broken.loopStart !== built.value.loopStart) {
      const b = await replayTrace(broken, builtinRuleResolver, { properties: [twoAcked] });
      expect(b.kind).toBe('no-longer-reproduces');
    }
  });

  it('rejects an outcome without a path', () => {
    const r = buildTrace({
      model,
      config,
      rule: { name: 'unclean' },
      outcome: { id: 'no-data-loss', title: noDataLoss.title, kind: 'always', status: 'holds' },
      property: noDataLoss,
      strategy: 'bfs',
      commandLine: [],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('holds');
  });
});
