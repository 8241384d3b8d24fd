import { KRAFT_LAST_KNOWN_LEADER } from './catalog/catalog.js';
import { describe, expect, it } from 'vitest';
import { readmeFigure } from '../checker/testing/readme.js';
import fc from 'fast-check';
import { check, checkLiveness, sometimes, type Property } from '../checker/index.js';
import {
  DEFAULT_KRAFT_CONFIG,
  META_LEADER_CHANGE,
  VOTER_LEADER,
  builtinRuleNames,
  clean,
  kafkaModel,
  partitionChangeOutcomes,
  resolveConfig,
  validateConfig,
  type ClusterState,
  type ConfigInput,
  type PartitionPolicy,
} from './index.js';
import { replayCounterexample, walkBothEngines } from './testing/engines.js';
import {
  GUARDS,
  KAFKA_LIVENESS_OPTIONS,
  SAFETY,
  eventuallyController,
  eventuallyLeader,
  committedMetadataDurable,
  leaderActive,
  leaderInIsr,
  majorityCommit,
  noDataLoss,
  safetyProperties,
} from '../properties/index.js';

/** KRaft-mode configs start from `DEFAULT_KRAFT_CONFIG` (resolveConfig picks it for mode "kraft"). */
const kraft = (input: ConfigInput): ConfigInput => ({ mode: 'kraft', ...input });

function run(input: ConfigInput, props: readonly Property<ClusterState>[], engine: 'clone' | 'immer' = 'clone') {
  const cfg = resolveConfig(kraft(input));
  const v = validateConfig(cfg, builtinRuleNames());
  if (!v.ok) throw new Error(v.errors.join('; '));
  const model = kafkaModel(cfg, clean, { engine, freeze: engine === 'immer' });
  return { model, result: check(model, props, {}) };
}

const KRAFT_SAFETY = [...SAFETY, committedMetadataDurable, majorityCommit];

/** Runs a BFS for `prop` and returns the shortest counterexample, replayed and formatted. */
function shortest(input: ConfigInput, prop: Property<ClusterState>) {
  const { model, result } = run(input, [prop]);
  expect(result.kind).toBe('violation');
  return replayCounterexample(model, result);
}

describe('KRaft-mode model: pinned distinct-state counts (any semantic change shows here)', () => {
  it('1 voter, 3 brokers, 1 record, 1 crash, no network partition', () => {
    const { result } = run({ voters: 1, faults: { networkPartitions: 0 } }, [...KRAFT_SAFETY, ...GUARDS]);
    expect(result.kind).toBe('ok');
    expect(result.stats.distinct).toBe(11_695); // 8,598 before issue 17 (HW lag, HW checkpoint, exposed records)
  });
  it('3 voters, 3 brokers, 1 record, 1 crash (broker or voter), no network partition; both engines agree', () => {
    const a = run({ faults: { networkPartitions: 0 } }, [...KRAFT_SAFETY, ...GUARDS]).result;
    const b = run({ faults: { networkPartitions: 0 } }, [...KRAFT_SAFETY, ...GUARDS], 'immer').result;
    expect(a.kind).toBe('ok');
    expect(a.stats.distinct).toBe(20_666); // 16,504 before issue 17 (HW lag, HW checkpoint, exposed records)
    expect(b.stats.distinct).toBe(20_666);
  });
});

describe('the KRaft default config (what `kafka-mc check --mode kraft` runs)', () => {
  it('3 brokers, 3 voters, RF 3, min ISR 2, acks=all, 1 crash + 1 partition: every safety property holds exhaustively', () => {
    expect(validateConfig(DEFAULT_KRAFT_CONFIG, builtinRuleNames()).ok).toBe(true);
    const props = [...safetyProperties(DEFAULT_KRAFT_CONFIG), committedMetadataDurable, majorityCommit, ...GUARDS];
    const r = check(kafkaModel(DEFAULT_KRAFT_CONFIG, clean), props, {});
    expect(r.kind).toBe('ok');
    // 613,997 before issue 17; the growth is check quorum's real window (a quorum leader cut off by the
    // split keeps acting, appending records that cannot commit, until it resigns), the HW that lags a
    // fetch and the HW checkpoint. A cut-off leader fences no broker by timeout (it resigns first).
    expect(r.stats.distinct).toBe(1_076_204);
    // the README's quick start quotes this figure for `kafka-mc check --mode kraft`
    expect(readmeFigure('checks the KRaft default instead')).toBe(r.stats.distinct.toLocaleString('en-US'));
    expect(r.outcomes.filter((o) => o.kind === 'sometimes').every((o) => o.status === 'found')).toBe(true);
  }, 300_000); // about a minute alone; more beside the other test files on a 2-core CI machine
});

describe('last replica standing (KIP-966)', () => {
  // One voter keeps the quorum out of the way; the only fault is one unclean shutdown. The bounds leave
  // room for two ISR shrinks, the fencing, the re-registration and the unfencing.
  const scenario: ConfigInput = {
    voters: 1,
    bounds: { records: 1, partitionEpochs: 4, metadataRecords: 5 },
    faults: { crashes: 0, networkPartitions: 0, uncleanShutdowns: 1 },
  };
  it('ELR off: the last ISR member loses an acknowledged record in an unclean shutdown and is re-elected (13 steps)', () => {
    const f = shortest({ ...scenario, elr: false }, noDataLoss);
    expect(f.steps).toBe(13);
    expect(f.text).toContain('b0 loses power (unclean shutdown: unflushed records are lost)');
    expect(f.text).toContain(
      'controller c0 (Raft epoch 1) unfences b0 (caught up with the metadata log): UnfenceBroker(b0); p0: leader b0 (leader epoch 2), ISR {0}',
    );
    expect(f.detail).toBe(
      'record r1 (p0, offset 0, acknowledged by b0 in leader epoch 0) is missing from the log of leader b0 (leader epoch 2)',
    );
  });
  it('ELR on: the same scenario is safe (exhaustive)', () => {
    const { result } = run({ ...scenario, elr: true }, [noDataLoss, ...KRAFT_SAFETY]);
    expect(result.kind).toBe('ok');
  });
});

/** Voter v leads, but its side of the split holds no majority of the voters. */
function cutOffLeader(s: ClusterState, v: number): boolean {
  const k = s.kraft;
  const x = k?.voters[v];
  if (!k || !x || !x.alive || x.role !== VOTER_LEADER || s.split === 0) return false;
  const B = s.brokers.length;
  const side = (n: number): number => (s.split >> n) & 1;
  const with_ = k.voters.filter((_, w) => side(B + w) === side(B + v)).length;
  return with_ * 2 < k.voters.length;
}

describe('quorum split by a network partition', () => {
  it('the minority side never commits metadata, while its deposed leader keeps appending (exhaustive)', () => {
    const appendsCutOff = sometimes<ClusterState>(
      'cut-off-leader-appends',
      'A quorum leader cut off from the majority appends a controller record',
      (s) =>
        (s.kraft?.voters ?? []).some(
          (x, v) => cutOffLeader(s, v) && x.log.slice(x.hw).some((r) => r.kind !== META_LEADER_CHANGE),
        ),
    );
    const { result } = run(
      {
        networkSplits: 'any',
        mechanisms: { checkQuorum: false },
        bounds: { records: 0 },
        faults: { crashes: 0, networkPartitions: 1 },
      },
      [majorityCommit, committedMetadataDurable, appendsCutOff],
    );
    expect(result.kind).toBe('ok');
    expect(result.outcomes.find((o) => o.id === 'cut-off-leader-appends')?.status).toBe('found');
  });
});

describe('each KRaft safety mechanism protects something', () => {
  const votes: ConfigInput = {
    bounds: { records: 0 },
    faults: { sessionExpiries: 1, crashes: 2, networkPartitions: 0 },
  };
  it('without the up-to-date vote check a voter missing a committed record is elected and overwrites it (5 steps)', () => {
    const f = shortest({ ...votes, mechanisms: { upToDateVoteCheck: false } }, committedMetadataDurable);
    expect(f.steps).toBe(5);
    expect(f.text.at(-1)).toBe(
      'c1 times out and stands for election in Raft epoch 2: wins with the votes of {c1,c2} and leads the quorum',
    );
    expect(run(votes, [committedMetadataDurable]).result.kind).toBe('ok');
  });
  it('without the Raft epoch check a deposed quorum leader regains its followers and overwrites committed metadata (4 steps)', () => {
    const f = shortest({ bounds: { records: 0 }, mechanisms: { raftEpochFencing: false } }, committedMetadataDurable);
    expect(f.steps).toBe(4);
    expect(f.text.at(-1)).toBe(
      'controller c0 (Raft epoch 1) fences b0 (heartbeat session expired): FenceBroker(b0); p0: leader b1 (leader epoch 1), ISR {1,2}',
    );
    expect(f.detail).toBe(
      'a quorum leader committed a metadata record at an offset where a different record had been committed',
    );
  });
  it('without broker epochs in AlterPartition (KIP-903) a delayed fetch of a wiped replica puts it back in the ISR', () => {
    const wiped: ConfigInput = {
      voters: 1,
      elr: true,
      bounds: { records: 1, partitionEpochs: 4, metadataRecords: 5 },
      faults: { crashes: 1, networkPartitions: 0, uncleanShutdowns: 1 },
    };
    const f = shortest({ ...wiped, mechanisms: { brokerEpochCheck: false } }, noDataLoss);
    expect(f.steps).toBe(16);
    expect(f.text).toContain('leader b0 adds caught-up b1 to the ISR of p0 (AlterPartition)');
  });
});

describe('KAFKA-19522: the last known leader must be an acceptable leader (Kafka 4.1)', () => {
  // p0 on b0 alone: b0 was fenced (ISR {}, ELR {0}, last known leader b0) and now registers again after
  // an unclean shutdown, so handleBrokerUncleanShutdown takes it out of the ELR while it is not acceptable.
  const policy = (lastKnownLeaderCheck: boolean): PartitionPolicy => ({
    elr: true,
    assignment: [0],
    minIsr: 1,
    uncleanEnabled: false,
    ruleDecidesPreferred: false,
    lastKnownLeaderCheck,
    allowed: (f) => [0].filter((b) => (f.isr >> b) & 1),
  });
  const cur = { leader: -1, leaderEpoch: 1, partitionEpoch: 1, isr: 0, elr: 0b1, lastKnownLeader: 0 };
  const req = {
    partition: 0,
    targetIsr: 0,
    acceptable: 0b10,
    election: 'online',
    reason: 'offline',
    controllerNode: 2,
    uncleanShutdown: 0b1,
  } as const;
  it('PartitionChangeBuilder: Kafka 4.1 leaves p0 leaderless, Kafka ≤ 4.0 elects the fenced last known leader', () => {
    expect(partitionChangeOutcomes(policy(true), cur, req)).toEqual([
      {
        change: { partition: 0, leader: -1, leaderEpoch: 1, partitionEpoch: 2, isr: 0, elr: 0, lastKnownLeader: 0 },
        unclean: false,
        lastKnownLeader: false,
      },
    ]);
    expect(partitionChangeOutcomes(policy(false), cur, req)).toEqual([
      {
        change: { partition: 0, leader: 0, leaderEpoch: 2, partitionEpoch: 2, isr: 0b1, elr: 0, lastKnownLeader: -1 },
        unclean: true,
        lastKnownLeader: true,
      },
    ]);
  });
  // the catalog entry's cluster (kafka-19522-fenced-last-known-leader)
  const oneReplica: ConfigInput = KRAFT_LAST_KNOWN_LEADER;
  it('the model with --no-last-known-leader-check commits a fenced leader in 4 steps; with the check, never', () => {
    const f = shortest({ ...oneReplica, mechanisms: { lastKnownLeaderCheck: false } }, leaderActive);
    expect(f.steps).toBe(4);
    expect(f.text.at(-1)).toBe(
      'b0 registers with the active controller c0: RegisterBroker(b0, broker epoch 3, fenced); p0: leader b0 (leader epoch 2), ISR {0}',
    );
    expect(f.detail).toBe(
      'b0 leads p0 (leader epoch 2) in committed metadata while it is fenced: it registered again at metadata record 2 (broker epoch 3) and is not unfenced yet',
    );
    const fixed = run(oneReplica, [leaderActive]).result;
    expect(fixed.kind).toBe('ok');
    expect(fixed.stats.distinct).toBe(19);
  });
  it('electing the last known leader is unclean in Kafka’s words (ISR forced, RECOVERING) but not a leader-in-isr violation (KIP-966)', () => {
    // PartitionChangeBuilder.electAnyLeader returns ElectionResult(lastKnownElr[0], true) with
    // unclean.leader.election.enable=false: by design, so leader-in-isr must hold on the fixed cluster.
    const cfg = resolveConfig(kraft(oneReplica));
    const elected = sometimes<ClusterState>('last-known-leader', 'the last known leader is elected', (s) =>
      (s.kraft?.voters[0]?.log ?? []).some((r) => r.partitions.some((c) => c.leader === 0 && c.leaderEpoch === 2)),
    );
    const model = kafkaModel(cfg, clean, {});
    const result = check(model, [leaderInIsr(cfg), ...safetyProperties(cfg), elected], {});
    expect(result.kind).toBe('ok');
    expect(result.stats.distinct).toBe(19);
    expect(result.outcomes.map((p) => `${p.id}: ${p.status}`)).toContain('last-known-leader: found');
  });
  it('leader-active also notices a broker registering again while its old incarnation leads (no heartbeat fencing)', () => {
    const f = shortest(
      { voters: 1, faults: { networkPartitions: 0 }, mechanisms: { heartbeatFencing: false } },
      leaderActive,
    );
    expect(f.steps).toBe(3);
    expect(f.detail).toBe(
      'b0 leads p0 (leader epoch 0) in committed metadata while it is fenced: it registered again at metadata record 1 (broker epoch 2) and is not unfenced yet',
    );
  });
  it('switching the check off without ELR is a config error naming the fix', () => {
    const bad = validateConfig(resolveConfig(kraft({ mechanisms: { lastKnownLeaderCheck: false } })));
    expect(bad.ok ? [] : bad.errors).toEqual([
      'mechanisms.lastKnownLeaderCheck exists only with Eligible Leader Replicas (KIP-966): without ELR there is no last known leader to elect, so switching it off changes nothing; add --elr or leave the check on',
    ]);
    const zk = validateConfig(resolveConfig({ mechanisms: { lastKnownLeaderCheck: false } }));
    expect(zk.ok ? [] : zk.errors).toContain(
      'mechanisms.lastKnownLeaderCheck exists only in KRaft mode, so switching it off changes nothing in ZooKeeper mode; drop it or use --mode kraft',
    );
  });
});

describe('KRaft config validation', () => {
  it('names the setting and the fix', () => {
    const bad = validateConfig(resolveConfig(kraft({ voters: 2, faults: { messageLosses: 1 } })), builtinRuleNames());
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors).toContain(
      'voters (2) must be 1, 3 or 5: a KRaft controller quorum has an odd number of voters (controller.quorum.voters)',
    );
    expect(bad.errors).toContain(
      'faults.messageLosses applies to ZooKeeper mode only (KRaft requests are modelled as atomic request-response steps); set it to 0',
    );
    const zk = validateConfig(resolveConfig({ elr: true }), builtinRuleNames());
    expect(zk.ok).toBe(false);
    if (zk.ok) return;
    expect(zk.errors).toContain(
      'elr (Eligible Leader Replicas, KIP-966) exists only in KRaft mode; use --mode kraft or drop --elr',
    );
  });
  it('resolves mode "kraft" from the KRaft defaults', () => {
    const c = resolveConfig({ mode: 'kraft' });
    expect(c).toEqual(DEFAULT_KRAFT_CONFIG);
  });
});

describe('random KRaft action sequences (fast-check)', () => {
  it('never throw, and the clone and immer engines agree step by step', () => {
    const cfg = resolveConfig(
      kraft({
        networkSplits: 'any',
        elr: true,
        bounds: { records: 2, leaderEpochs: 3, raftEpochs: 3, metadataRecords: 5, partitionEpochs: 5 },
        faults: { crashes: 2, uncleanShutdowns: 1, sessionExpiries: 1, networkPartitions: 1, controlledShutdowns: 1 },
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (choices) => {
        walkBothEngines(cfg, choices, (_, action) => expect(action).toBeTruthy());
      }),
      { seed: 20261126, numRuns: 200 },
    );
  });
});

describe('KRaft liveness', () => {
  it('once faults stop, a controller and every partition leader come back (3 voters, a crash and a split)', () => {
    // The crash of the new quorum leader after a split can leave the survivors at the last Raft epoch
    // the bound allows: then no election is possible and the bound, not Kafka, stopped the behaviour
    // (`controllerCut`), as the controller-epoch bound does in ZooKeeper mode.
    const cfg = resolveConfig(kraft({ bounds: { records: 0 } }));
    const r = checkLiveness(
      kafkaModel(cfg, clean),
      [eventuallyController(cfg), eventuallyLeader(cfg)],
      KAFKA_LIVENESS_OPTIONS,
    );
    expect(r.kind).toBe('ok');
    expect(r.stats.distinct).toBe(24_637); // 21,534 before issue 17 (check quorum's window, HW lag and checkpoint)
  });
});
