import type { ElectionRule, ElectionView } from '../../election/ElectionRule.js';
import { clean, preferred } from '../../election/builtins.js';
import { initialState } from '../../state.js';
import type { ConformanceCase, NotExpressible } from '../ConformanceCase.js';
import { conformanceCase } from '../ConformanceCase.js';
import { edit, mask, modelConfig, modelFor, runPath, type Step } from '../fixtures.js';

/**
 * `PartitionLeaderElectionAlgorithmsTest` (ZooKeeper controller, removed from trunk with ZooKeeper mode
 * by KAFKA-17612; read at the parent of that commit). Kafka's offline and preferred algorithms are the
 * model's `clean` and `preferred` election rules, given the same assignment, ISR and live set; the
 * controlled-shutdown algorithm is the ZooKeeper controller's `controlledShutdown` step, run as a model
 * path.
 */

const CLASS = 'PartitionLeaderElectionAlgorithmsTest';

/** The controller's view of a partition: ISR and live replicas in assignment order, as Kafka's sets. */
function view(assignment: number[], isr: number[], live: number[], uncleanEnabled: boolean): ElectionView {
  return {
    reason: 'offline',
    partition: 0,
    assignment,
    isr: assignment.filter((r) => isr.includes(r)),
    live: assignment.filter((r) => live.includes(r)),
    currentLeader: -1,
    uncleanEnabled,
    replicaLogs: [],
  };
}

interface Election {
  /** Kafka's `Option[Int]`: the elected broker, or null for None. */
  readonly leader: number | null;
  /** Whether the choice is outside the ISR (Kafka counts it in `uncleanLeaderElectionRate`). */
  readonly unclean: boolean;
}

function elect(rule: ElectionRule, v: ElectionView): Election {
  const chosen = rule.eligibleLeaders(v);
  if (chosen.length > 1) throw new Error(`rule ${rule.name} returned several leaders: ${chosen.join(', ')}`);
  const leader = chosen[0] ?? null;
  return { leader, unclean: leader !== null && !v.isr.includes(leader) };
}

function offline(
  id: string,
  method: string,
  isr: number[],
  live: number[],
  unclean: boolean,
  expected: Election,
  what: string,
) {
  return conformanceCase({
    id: `election-offline-${id}`,
    kafkaTest: `${CLASS}.${method}`,
    area: 'election',
    description: `Offline election, assignment [2, 4], ISR [${isr.join(', ')}], live {${live.join(', ')}}, unclean.leader.election.enable=${unclean}: ${what}.`,
    run: () => elect(clean, view([2, 4], isr, live, unclean)),
    expected,
  });
}

function preferredCase(id: string, method: string, isr: number[], live: number[], expected: Election, what: string) {
  return conformanceCase({
    id: `election-preferred-${id}`,
    kafkaTest: `${CLASS}.${method}`,
    area: 'election',
    description: `Preferred election, assignment [2, 4], ISR [${isr.join(', ')}], live {${live.join(', ')}}: ${what}.`,
    run: () => elect(preferred, view([2, 4], isr, live, false)),
    expected,
  });
}

/**
 * Controlled shutdown in ZooKeeper mode. Kafka's brokers 2 and 4 are the model's 1 and 2 (the model's
 * controller is broker 0, which is not a replica, as a controlled shutdown of the controller itself is
 * not a model step). Returns the leader the controller elected, in Kafka's ids, or null when it elected
 * none (the shutting-down leader keeps the partition).
 */
function controlledShutdown(isrOfKafka: number[], shutdowns: number[]): number | null {
  const toModel = (k: number): number => (k === 2 ? 1 : 2);
  const toKafka = (m: number): number => (m === 1 ? 2 : 4);
  const input = {
    brokers: 3,
    partitions: 1,
    replicationFactor: 2,
    assignment: [[1, 2]],
    minInsyncReplicas: 1,
    faults: { crashes: 0, networkPartitions: 0, controlledShutdowns: 2 },
  } as const;
  const s0 = edit(initialState(modelConfig(input)), (d) => {
    const ps = d.zk.partitions[0];
    if (ps) ps.isr = mask(...isrOfKafka.map(toModel));
  });
  const before = s0.zk.partitions[0]?.leader;
  const steps: Step[] = shutdowns.map((k) => ({ kind: 'controlled-shutdown', broker: toModel(k) }));
  const after = runPath(modelFor(input), s0, steps).zk.partitions[0]?.leader;
  return after === undefined || after === before || after < 0 ? null : toKafka(after);
}

export const ELECTION_ALGORITHM_CASES: readonly ConformanceCase[] = [
  offline(
    'live-isr',
    'testOfflinePartitionLeaderElection',
    [2, 4],
    [4],
    false,
    { leader: 4, unclean: false },
    'the live ISR member 4 is elected',
  ),
  offline(
    'last-isr-offline-unclean-disabled',
    'testOfflinePartitionLeaderElectionLastIsrOfflineUncleanLeaderElectionDisabled',
    [2],
    [4],
    false,
    { leader: null, unclean: false },
    'no leader, no unclean election counted',
  ),
  offline(
    'last-isr-offline-unclean-enabled',
    'testOfflinePartitionLeaderElectionLastIsrOfflineUncleanLeaderElectionEnabled',
    [2],
    [4],
    true,
    { leader: 4, unclean: true },
    'the live non-ISR replica 4, counted as an unclean election',
  ),
  preferredCase(
    'live-in-isr',
    'testPreferredReplicaPartitionLeaderElection',
    [2, 4],
    [2, 4],
    { leader: 2, unclean: false },
    'the preferred replica 2',
  ),
  preferredCase(
    'in-isr-not-live',
    'testPreferredReplicaPartitionLeaderElectionPreferredReplicaInIsrNotLive',
    [2],
    [],
    { leader: null, unclean: false },
    'no leader',
  ),
  preferredCase(
    'not-in-isr-live',
    'testPreferredReplicaPartitionLeaderElectionPreferredReplicaNotInIsrLive',
    [4],
    [2, 4],
    { leader: null, unclean: false },
    'no leader (4 is in the ISR but is not the preferred replica)',
  ),
  preferredCase(
    'not-in-isr-not-live',
    'testPreferredReplicaPartitionLeaderElectionPreferredReplicaNotInIsrNotLive',
    [],
    [],
    { leader: null, unclean: false },
    'no leader',
  ),
  conformanceCase({
    id: 'election-controlled-shutdown-moves-leadership',
    kafkaTest: `${CLASS}.testControlledShutdownPartitionLeaderElection`,
    area: 'election',
    description:
      'Assignment [2, 4], ISR [2, 4], leader 2 shuts down in a controlled way: the controller moves leadership to 4 (model path: `controlled-shutdown` of the leader).',
    run: () => controlledShutdown([2, 4], [2]),
    expected: 4,
  }),
  conformanceCase({
    id: 'election-controlled-shutdown-last-isr',
    kafkaTest: `${CLASS}.testControlledShutdownPartitionLeaderElectionLastIsrShuttingDown`,
    area: 'election',
    description:
      'Assignment [2, 4], ISR [2], leader 2 shuts down in a controlled way with 4 live but out of the ISR: no leader is elected (4 is not eligible).',
    run: () => controlledShutdown([2], [2]),
    expected: null,
  }),
  conformanceCase({
    id: 'election-controlled-shutdown-all-isr',
    kafkaTest: `${CLASS}.testControlledShutdownPartitionLeaderElectionAllIsrSimultaneouslyShutdown`,
    area: 'election',
    description:
      'Assignment [2, 4], ISR [2, 4], both shutting down: no leader is elected. The model shuts brokers down one at a time, so the path is 4 (a follower, leaving the ISR) then 2 (the leader).',
    run: () => controlledShutdown([2, 4], [4, 2]),
    expected: null,
  }),
];

const REASSIGNMENT =
  'partition reassignment (the reassigning replica list and its own election algorithm) is not modelled: the assignment is fixed by the config';

export const ELECTION_ALGORITHM_NOT_EXPRESSIBLE: readonly NotExpressible[] = [
  { kafkaTest: `${CLASS}.testReassignPartitionLeaderElection`, area: 'election', reason: REASSIGNMENT },
  { kafkaTest: `${CLASS}.testReassignPartitionLeaderElectionWithNoLiveIsr`, area: 'election', reason: REASSIGNMENT },
  { kafkaTest: `${CLASS}.testReassignPartitionLeaderElectionWithEmptyIsr`, area: 'election', reason: REASSIGNMENT },
];
