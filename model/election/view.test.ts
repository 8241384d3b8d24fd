import { describe, expect, it } from 'vitest';
import type { ClusterState, ElectionRule, ElectionView } from '../index.js';
import { clean, kafkaModel, resolveConfig } from '../index.js';
import { contextFor, edit, records, runPath } from '../conformance/fixtures.js';
import { electionView } from '../transitions/controller.js';

/**
 * Issue 22: an election rule sees only what the controller knows. Kafka's controller has no replica's
 * log end offset; the view carries the answers of a live log query (KIP-966's `GetReplicaLogInfo`)
 * and nothing about a broker that cannot answer.
 */

/** The documented fields of `ElectionView`, and nothing else. */
const VIEW_KEYS = [
  'assignment',
  'currentLeader',
  'isr',
  'live',
  'partition',
  'reason',
  'replicaLogs',
  'uncleanEnabled',
];

/** A rule that tries to read what the controller cannot know: every broker's true log length. */
const cheat: ElectionRule = {
  name: 'cheat',
  description: 'elects the broker with the longest true log, dead or alive',
  eligibleLeaders(v) {
    // @ts-expect-error -- ElectionView has no `logEndOffsets`: a rule cannot even name every broker's log length
    const hidden: readonly number[] | undefined = v.logEndOffsets;
    if (!hidden) return [];
    return [hidden.indexOf(Math.max(...hidden))];
  },
};

describe('ElectionView holds only what the controller knows', () => {
  const cfg = resolveConfig({ faults: { crashes: 1, networkPartitions: 1 } });
  const ctx = contextFor(cfg);
  // Controller b0's view while b2 has died unobserved (still live for the controller) holding the
  // longest log, and b1 has two records.
  const s = edit(kafkaModel(cfg, clean).initStates()[0] as ClusterState, (d) => {
    (d.brokers[2] as { alive: boolean }).alive = false;
    (d.brokers[2]?.replicas[0] as { log: unknown }).log = records(0, 0, 0, 0, 0);
    (d.brokers[1]?.replicas[0] as { log: unknown }).log = records(0, 0);
  });
  const view = electionView(s, ctx, 0, 0, 'offline');

  it('has exactly the documented fields, all frozen', () => {
    expect(Object.keys(view).sort()).toEqual(VIEW_KEYS);
    expect(Object.isFrozen(view)).toBe(true);
    for (const k of ['assignment', 'isr', 'live', 'replicaLogs'] as const) expect(Object.isFrozen(view[k])).toBe(true);
    expect(view.replicaLogs.every((r) => Object.isFrozen(r))).toBe(true);
    expect(() => {
      (view.replicaLogs as unknown as unknown[]).push({ broker: 2, logEndOffset: 5, lastEpoch: 0 });
    }).toThrow(TypeError);
  });

  it('a dead broker the controller still believes live is in `live` but has no log answer', () => {
    expect(view.live).toEqual([0, 1, 2]);
    expect(view.replicaLogs).toEqual([
      { broker: 0, logEndOffset: 0, lastEpoch: -1 },
      { broker: 1, logEndOffset: 2, lastEpoch: 0 },
    ]);
  });

  it('a broker cut off from the controller by a network split does not answer either', () => {
    const split = edit(s, (d) => {
      d.split = 0b010; // {1} | {0, 2}
    });
    expect(electionView(split, ctx, 0, 0, 'offline').replicaLogs.map((r) => r.broker)).toEqual([0]);
  });

  it('a rule reaching for hidden knowledge gets nothing', () => {
    expect(cheat.eligibleLeaders(view)).toEqual([]);
  });

  it('KRaft: the fence election of a leader asks the rule with the live answers only', () => {
    const seen: ElectionView[] = [];
    const spy: ElectionRule = {
      name: 'spy',
      description: 'clean, recording its views',
      eligibleLeaders(v) {
        seen.push(v);
        return clean.eligibleLeaders(v);
      },
    };
    const m = kafkaModel(
      resolveConfig({
        mode: 'kraft',
        voters: 1,
        preVote: false,
        faults: { crashes: 2, networkPartitions: 0 },
        bounds: { records: 0 },
      }),
      spy,
    );
    // b2 dies but is not fenced yet (still acceptable to the controller); b0, the leader, dies and is fenced.
    const s0 = m.initStates()[0] as ClusterState;
    const crashed = runPath(m, s0, [
      { kind: 'crash', broker: 2 },
      { kind: 'crash', broker: 0 },
    ]);
    seen.length = 0;
    runPath(m, crashed, [{ kind: 'fence-broker', broker: 0 }]);
    const v = seen.find((x) => x.reason === 'offline');
    expect(v && { live: v.live, isr: v.isr, logs: v.replicaLogs.map((r) => r.broker) }).toEqual({
      live: [1, 2],
      isr: [1, 2],
      logs: [1],
    });
  });
});
