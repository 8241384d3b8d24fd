import type { Action } from '../../actions.js';
import type { ConfigInput } from '../../config.js';
import type { KafkaModel } from '../../kafkaModel.js';
import type { ClusterState } from '../../state.js';
import { ROLE_FOLLOWER, ROLE_LEADER, initialState } from '../../state.js';
import type { ConformanceCase, NotExpressible } from '../ConformanceCase.js';
import { conformanceCase } from '../ConformanceCase.js';
import { edit, ids, mask, modelFor, runPath, settle, type Step } from '../fixtures.js';

/**
 * The ZooKeeper-mode controller: `ControllerIntegrationTest` and `PartitionStateMachineTest` (removed
 * from trunk with ZooKeeper mode by KAFKA-17612; read at the parent of that commit). Each case is a
 * short ZooKeeper-mode path: brokers crash, restart or shut down, and the controller processes the
 * broker change (`settle` takes the controller's enabled observations, elections and deliveries until
 * it has nothing left to do). Broker 0 is the model's first controller; where a Kafka test's
 * controller is not a replica, a broker outside the assignment is made the controller.
 */

const CIT = 'ControllerIntegrationTest';
const PSM = 'PartitionStateMachineTest';

/** What the controller does on its own after a broker change. */
const CONTROLLER: readonly Action['kind'][] = ['observe-brokers', 'remove-from-isr', 'elect-leader', 'deliver'];

const zk = (input: ConfigInput): ConfigInput => ({
  partitions: 1,
  minInsyncReplicas: 1,
  ...input,
  faults: { crashes: 0, networkPartitions: 0, ...input.faults },
  bounds: { records: 0, leaderEpochs: 8, partitionEpochs: 12, controllerEpochs: 4, inFlight: 12 },
});

/** Partition 0 as ZooKeeper holds it. */
function partitionState(s: ClusterState) {
  const ps = s.zk.partitions[0];
  return { leader: ps?.leader, leaderEpoch: ps?.leaderEpoch, isr: ids(ps?.isr ?? 0) };
}

/** `s` with partition 0 registered in ZooKeeper as given (replicas' views untouched). */
function registered(s: ClusterState, leader: number, isr: number[]): ClusterState {
  return edit(s, (d) => {
    const ps = d.zk.partitions[0];
    if (ps) Object.assign(ps, { leader, isr: mask(...isr) });
  });
}

/** `s` with broker c, instead of broker 0, holding /controller (epoch 1, every broker live). */
function controllerIs(s: ClusterState, c: number): ClusterState {
  return edit(s, (d) => {
    const first = d.brokers[0]?.controller;
    const b = d.brokers[c];
    if (!first || !b) throw new Error('fixture bug');
    b.controller = { epoch: first.epoch, live: first.live, brokerEpochs: [...first.brokerEpochs], offline: 0 };
    (d.brokers[0] as { controller: unknown }).controller = null;
    d.zk.controller = c;
  });
}

/**
 * The preferred-election tests' cluster: two brokers, controller 0, partition [1, 0] led by its preferred
 * replica 1, and a budget of `rounds` crashes and preferred elections.
 */
const preferredReplica1 = (rounds: number): KafkaModel =>
  modelFor(
    zk({
      brokers: 2,
      replicationFactor: 2,
      assignment: [[1, 0]],
      faults: { crashes: rounds, preferredElections: rounds },
    }),
  );

/**
 * Broker `other` (the preferred replica) bounces and the controller reacts; then it catches up (its
 * fetch puts the leader in `PendingExpandIsr`, and the controller answers the AlterPartition) and a
 * preferred election runs.
 */
function preferredRound(model: KafkaModel, s: ClusterState, other: number) {
  const failover = settle(model, runPath(model, s, [{ kind: 'crash', broker: other }]), CONTROLLER);
  const back = settle(model, runPath(model, failover, [{ kind: 'restart', broker: other }]), CONTROLLER);
  const caughtUp = runPath(model, back, [
    { kind: 'fetch', follower: other },
    { kind: 'expand-isr', follower: other },
  ]);
  const preferred = settle(
    model,
    runPath(model, caughtUp, [{ kind: 'leader-election', election: 'preferred' }]),
    CONTROLLER,
  );
  return { failover, caughtUp, preferred };
}

export const ZK_CONTROLLER_CASES: readonly ConformanceCase[] = [
  conformanceCase({
    id: 'zk-controller-epoch-persists',
    kafkaTest: `${CIT}.testControllerEpochPersistsWhenAllBrokersDown`,
    area: 'zk-controller',
    description:
      'A single broker is elected controller (controller epoch 1) and shuts down: /controller is gone and /controller_epoch stays 1.',
    run: () => {
      const input = zk({ brokers: 1, replicationFactor: 1, assignment: [[0]], faults: { crashes: 1 } });
      const s = runPath(modelFor(input), initialState(modelFor(input).config), [{ kind: 'crash', broker: 0 }]);
      return { controller: s.zk.controller, controllerEpoch: s.zk.controllerEpoch };
    },
    expected: { controller: -1, controllerEpoch: 1 },
  }),
  conformanceCase({
    id: 'zk-controller-move-increments-epoch',
    kafkaTest: `${CIT}.testControllerMoveIncrementsControllerEpoch`,
    area: 'zk-controller',
    description: 'The single broker and controller restarts and is elected again: the controller epoch is 2.',
    run: () => {
      const input = zk({ brokers: 1, replicationFactor: 1, assignment: [[0]], faults: { crashes: 1 } });
      const model = modelFor(input);
      const s = runPath(model, initialState(model.config), [
        { kind: 'crash', broker: 0 },
        { kind: 'restart', broker: 0 },
        { kind: 'elect-controller', broker: 0 },
      ]);
      return { controller: s.zk.controller, controllerEpoch: s.zk.controllerEpoch };
    },
    expected: { controller: 0, controllerEpoch: 2 },
  }),
  ...[false, true].map((unclean) =>
    conformanceCase({
      id: `zk-entire-isr-offline-unclean-${unclean ? 'enabled' : 'disabled'}`,
      kafkaTest: `${CIT}.testLeaderAndIsrWhenEntireIsrOfflineAndUncleanLeaderElectionE${unclean ? 'nabled' : 'isabled'}`,
      area: 'zk-controller',
      description: `Two brokers, controller 0; partition on broker 1 only (leader 1, leader epoch 0), unclean.leader.election.enable=${unclean}. Broker 1 shuts down: the partition has no leader, leader epoch 1, and the ISR keeps its last member [1].`,
      run: () => {
        const input = zk({
          brokers: 2,
          replicationFactor: 1,
          assignment: [[1]],
          uncleanLeaderElection: unclean,
          faults: { crashes: 1 },
        });
        const model = modelFor(input);
        const s = settle(model, runPath(model, initialState(model.config), [{ kind: 'crash', broker: 1 }]), CONTROLLER);
        return { ...partitionState(s), controllerEpoch: s.zk.partitions[0]?.controllerEpoch };
      },
      expected: { leader: -1, leaderEpoch: 1, isr: [1], controllerEpoch: 1 },
    }),
  ),
  conformanceCase({
    id: 'zk-controlled-shutdown',
    kafkaTest: `${CIT}.testControlledShutdown`,
    area: 'zk-controller',
    description:
      'Partition [0, 1, 2] led by 0; the controller is a fourth broker (3). Controlled shutdown of 2: leader 0, ISR [0, 1]. Of 1: leader 0, ISR [0]. Of 0 itself: no replica can take over, so the leader stays 0.',
    run: () => {
      const input = zk({
        brokers: 4,
        replicationFactor: 3,
        assignment: [[0, 1, 2]],
        faults: { controlledShutdowns: 3 },
      });
      const model = modelFor(input);
      const s0 = controllerIs(initialState(model.config), 3);
      const a = runPath(model, s0, [{ kind: 'controlled-shutdown', broker: 2 }]);
      const b = runPath(model, a, [{ kind: 'controlled-shutdown', broker: 1 }]);
      const c = runPath(model, b, [{ kind: 'controlled-shutdown', broker: 0 }]);
      const pick = (s: ClusterState) => ({ leader: partitionState(s).leader, isr: partitionState(s).isr });
      return [pick(a), pick(b), { leader: partitionState(c).leader }];
    },
    expected: [{ leader: 0, isr: [0, 1] }, { leader: 0, isr: [0] }, { leader: 0 }],
  }),
  conformanceCase({
    id: 'zk-controller-detects-bounced-broker',
    kafkaTest: `${CIT}.testControllerDetectsBouncedBrokers`,
    area: 'zk-controller',
    description:
      'Two brokers, partition [0, 1] led by 0, controller 0. Broker 1 restarts quickly (a new broker epoch in ZooKeeper) before the controller processes the change: the controller notices the bounce and the restarted broker learns the partition again (it becomes a follower of 0).',
    run: () => {
      const input = zk({ brokers: 2, replicationFactor: 2, assignment: [[0, 1]], faults: { crashes: 1 } });
      const model = modelFor(input);
      const bounced = runPath(model, initialState(model.config), [
        { kind: 'crash', broker: 1 },
        { kind: 'restart', broker: 1 },
      ]);
      const before = bounced.brokers[1]?.replicas[0];
      const r = settle(model, bounced, CONTROLLER).brokers[1]?.replicas[0];
      return {
        knowsPartitionBefore: before?.role === ROLE_FOLLOWER,
        after: { follower: r?.role === ROLE_FOLLOWER, leader: r?.leader },
      };
    },
    expected: { knowsPartitionBefore: false, after: { follower: true, leader: 0 } },
  }),
  conformanceCase({
    id: 'zk-preferred-replica-election',
    kafkaTest: `${CIT}.testPreferredReplicaLeaderElection`,
    area: 'zk-controller',
    description:
      'Two brokers, controller 0, partition [1, 0] led by its preferred replica 1. Broker 1 shuts down: leader 0, leader epoch 1. It comes back and rejoins the ISR [0, 1]; a preferred election makes it leader again, leader epoch 2.',
    run: () => {
      const model = preferredReplica1(1);
      const r = preferredRound(model, initialState(model.config), 1);
      return {
        afterShutdown: {
          leader: partitionState(r.failover).leader,
          leaderEpoch: partitionState(r.failover).leaderEpoch,
        },
        isrAfterRestart: partitionState(r.caughtUp).isr,
        afterPreferred: {
          leader: partitionState(r.preferred).leader,
          leaderEpoch: partitionState(r.preferred).leaderEpoch,
        },
      };
    },
    expected: {
      afterShutdown: { leader: 0, leaderEpoch: 1 },
      isrAfterRestart: [0, 1],
      afterPreferred: { leader: 1, leaderEpoch: 2 },
    },
  }),
  conformanceCase({
    id: 'zk-back-to-back-preferred-elections',
    kafkaTest: `${CIT}.testBackToBackPreferredReplicaLeaderElections`,
    area: 'zk-controller',
    description:
      'The same round twice: after the second shutdown the controller’s replica leads in epoch 3, and the second preferred election gives the preferred replica epoch 4.',
    run: () => {
      const model = preferredReplica1(2);
      const first = preferredRound(model, initialState(model.config), 1);
      const second = preferredRound(model, first.preferred, 1);
      return [partitionState(second.failover).leaderEpoch, partitionState(second.preferred)];
    },
    expected: [3, { leader: 1, leaderEpoch: 4, isr: [0, 1] }],
  }),
  conformanceCase({
    id: 'zk-preferred-election-offline-preferred',
    kafkaTest: `${CIT}.testPreferredReplicaLeaderElectionWithOfflinePreferredReplica`,
    area: 'zk-controller',
    description:
      'Two brokers, controller 0, partition [1, 0] led by 1. Broker 1 shuts down and a preferred election is requested: it cannot run (the preferred replica is offline) and the partition stays with leader 0 in epoch 1.',
    run: () => {
      const model = preferredReplica1(1);
      const s = settle(model, runPath(model, initialState(model.config), [{ kind: 'crash', broker: 1 }]), CONTROLLER);
      return {
        preferredElectionPossible: model.actions(s).some((a) => a.kind === 'leader-election'),
        leader: partitionState(s).leader,
        leaderEpoch: partitionState(s).leaderEpoch,
      };
    },
    expected: { preferredElectionPossible: false, leader: 0, leaderEpoch: 1 },
  }),
  conformanceCase({
    id: 'zk-controller-move-on-preferred-election',
    kafkaTest: `${CIT}.testControllerMoveOnPreferredReplicaElection`,
    area: 'zk-controller',
    description:
      'Controller 0 still believes it is the controller after /controller moved to broker 1 (controller epoch 2), and then handles a preferred election: its conditional ZooKeeper write fails (ControllerMovedException) and it resigns; the partition state is unchanged. Model path: 0’s session expires, 1 is elected, 0 reconnects and runs the preferred election.',
    run: () => {
      const input = zk({
        brokers: 2,
        replicationFactor: 2,
        assignment: [[0, 1]],
        faults: { sessionExpiries: 1, preferredElections: 1 },
      });
      const model = modelFor(input);
      const s0 = registered(initialState(model.config), 1, [0, 1]);
      const s = runPath(model, s0, [
        { kind: 'expire-session', broker: 0 },
        { kind: 'elect-controller', broker: 1 },
        { kind: 'reconnect', broker: 0 },
        { kind: 'leader-election', controller: 0, election: 'preferred' },
      ]);
      return {
        oldControllerActive: s.brokers[0]?.controller !== null,
        controllerEpoch: s.zk.controllerEpoch,
        leader: partitionState(s).leader,
        leaderEpoch: partitionState(s).leaderEpoch,
      };
    },
    expected: { oldControllerActive: false, controllerEpoch: 2, leader: 1, leaderEpoch: 0 },
  }),
  conformanceCase({
    id: 'zk-offline-to-unclean-online',
    kafkaTest: `${PSM}.testOfflinePartitionToUncleanOnlinePartitionTransition`,
    area: 'zk-controller',
    description:
      'Replicas [X, Y] (the model’s 1 and 0), leader X with ISR [X]; X goes offline and only Y is live; with unclean election the partition goes online with leader Y, ISR [Y], leader epoch + 1, and the LeaderAndIsr goes to Y only.',
    run: () => {
      const input = zk({
        brokers: 2,
        replicationFactor: 2,
        assignment: [[1, 0]],
        uncleanLeaderElection: true,
        faults: { crashes: 1 },
      });
      const model = modelFor(input);
      const s0 = registered(initialState(model.config), 1, [1]);
      const s = runPath(model, s0, [
        { kind: 'crash', broker: 1 },
        { kind: 'observe-brokers', controller: 0 },
        { kind: 'elect-leader', controller: 0, leader: 0 },
      ]);
      return { ...partitionState(s), sentTo: s.inFlight.map((m) => m.to) };
    },
    expected: { leader: 0, leaderEpoch: 1, isr: [0], sentTo: [0] },
  }),
  conformanceCase({
    id: 'zk-offline-to-online',
    kafkaTest: `${PSM}.testOfflinePartitionToOnlinePartitionTransition`,
    area: 'zk-controller',
    description:
      'Replicas [b] (the model’s 1), no leader, ISR [b], and b is live again: the offline election makes b leader with ISR [b] and the next leader epoch, and sends it the LeaderAndIsr. Model path: b crashes (the partition goes offline in epoch 1), restarts and is observed, then the election.',
    run: () => {
      const input = zk({ brokers: 2, replicationFactor: 1, assignment: [[1]], faults: { crashes: 1 } });
      const model = modelFor(input);
      const offline = settle(
        model,
        runPath(model, initialState(model.config), [{ kind: 'crash', broker: 1 }]),
        CONTROLLER,
      );
      const live = settle(model, runPath(model, offline, [{ kind: 'restart', broker: 1 }]), ['observe-brokers']);
      const before = partitionState(live);
      const s = runPath(model, live, [{ kind: 'elect-leader', controller: 0, leader: 1 }]);
      return {
        before: { leader: before.leader, isr: before.isr },
        after: { leader: partitionState(s).leader, isr: partitionState(s).isr },
        leaderEpochIncrement: (partitionState(s).leaderEpoch ?? 0) - (before.leaderEpoch ?? 0),
        sentTo: s.inFlight.filter((m) => m.leader === 1).map((m) => m.to),
      };
    },
    expected: {
      before: { leader: -1, isr: [1] },
      after: { leader: 1, isr: [1] },
      leaderEpochIncrement: 1,
      sentTo: [1],
    },
  }),
  conformanceCase({
    id: 'zk-controlled-shutdown-transition',
    kafkaTest: `${PSM}.testOnlinePartitionToOnlineTransitionForControlledShutdown`,
    area: 'zk-controller',
    description:
      'Replicas [b, other], leader b, ISR [b, other], b shutting down: the controlled-shutdown election makes other the leader with ISR [other] in the next leader epoch. (Kafka also sends the LeaderAndIsr to b; in the model b stops in the same step, so that request has no counterpart.)',
    run: () => {
      const input = zk({ brokers: 3, replicationFactor: 2, assignment: [[1, 2]], faults: { controlledShutdowns: 1 } });
      const model = modelFor(input);
      const s = runPath(model, initialState(model.config), [{ kind: 'controlled-shutdown', broker: 1 }]);
      return partitionState(s);
    },
    expected: { leader: 2, leaderEpoch: 1, isr: [2] },
  }),
  ...(['current', 'stale'] as const).map((epoch) =>
    conformanceCase({
      id: `zk-leader-and-isr-${epoch}-broker-epoch`,
      kafkaTest: `BrokerEpochIntegrationTest.testControlRequestWith${epoch === 'current' ? 'Correct' : 'Stale'}BrokerEpoch`,
      area: 'zk-controller',
      description: `Two brokers, partition [0, 1] led by 0 in leader epoch 0. A LeaderAndIsr making broker 1 leader in leader epoch 1 reaches broker 1 ${epoch === 'current' ? 'while it is still the incarnation it was addressed to: broker 1 applies it and becomes leader' : 'after broker 1 has re-registered with a newer broker epoch (its ZooKeeper session expired and it reconnected while the request was in flight): Kafka ≥ 2.2 rejects it with STALE_BROKER_EPOCH (KIP-380) and broker 1 does not become leader'}.`,
      run: () => {
        const input = zk({ brokers: 2, replicationFactor: 2, assignment: [[0, 1]], faults: { sessionExpiries: 1 } });
        const model = modelFor(input);
        const s0 = edit(initialState(model.config), (d) => {
          d.inFlight.push({
            from: 0,
            to: 1,
            controllerEpoch: 1,
            partition: 0,
            leader: 1,
            leaderEpoch: 1,
            isr: mask(0, 1),
            version: 0,
            // broker 1's registration epoch when the request was sent (its initial czxid)
            brokerEpoch: 2,
            leaderLive: true,
          });
        });
        const reRegistered: Step[] =
          epoch === 'stale'
            ? [
                { kind: 'expire-session', broker: 1 },
                { kind: 'reconnect', broker: 1 },
              ]
            : [];
        const s = runPath(model, s0, [...reRegistered, { kind: 'deliver', message: { to: 1 } }]);
        return { broker1IsLeader: s.brokers[1]?.replicas[0]?.role === ROLE_LEADER };
      },
      expected: { broker1IsLeader: epoch === 'current' },
    }),
  ),
];

const NOT_MODELLED = (what: string): string => `${what} is not modelled`;

export const ZK_CONTROLLER_NOT_EXPRESSIBLE: readonly NotExpressible[] = [
  {
    kafkaTest: `${CIT}.testControllerRejectControlledShutdownRequestWithStaleBrokerEpoch`,
    area: 'zk-controller',
    reason:
      'a ControlledShutdown request carrying a stale broker epoch: the model’s controlled shutdown is one step of the live broker, with no request that could be delayed',
  },
  {
    kafkaTest: 'ReplicaStateMachineTest.testOnlineReplicaToOfflineReplicaTransition',
    area: 'zk-controller',
    reason:
      'the OfflineReplica transition of a leader replica on its own (leader -1, ISR without it): the model’s controller handles a broker failure as Kafka’s `onReplicasBecomeOffline` does, electing first, so that intermediate state is reached only when no replica can be elected',
  },
  {
    kafkaTest: 'BrokerEpochIntegrationTest.testControlRequestWithNewerBrokerEpoch',
    area: 'zk-controller',
    reason:
      'a request carrying a broker epoch newer than the broker’s own cannot arise in the model (epochs come from ZooKeeper registrations)',
  },
  {
    kafkaTest: `${CIT}.testAutoPreferredReplicaLeaderElection`,
    area: 'zk-controller',
    reason:
      'auto.leader.rebalance.enable’s periodic imbalance check: preferred elections are admin steps with a budget',
  },
  {
    kafkaTest: `${CIT}.testPartitionReassignment`,
    area: 'zk-controller',
    reason: NOT_MODELLED('partition reassignment'),
  },
  { kafkaTest: `${CIT}.testTopicCreation`, area: 'zk-controller', reason: NOT_MODELLED('topic creation') },
  {
    kafkaTest: `${CIT}.testMetadataPropagationOnBrokerChange`,
    area: 'zk-controller',
    reason: NOT_MODELLED('UpdateMetadata (the brokers’ metadata cache)'),
  },
  {
    kafkaTest: `${CIT}.testAlterPartitionErrors`,
    area: 'zk-controller',
    reason:
      'error codes of rejected AlterPartition requests: the model’s ZooKeeper-mode controller accepts a queued AlterPartition, rejects it with INELIGIBLE_REPLICA (the leader drops it: PartitionTest.testIsrNotExpandedIfReplicaIsFencedOrShutdown), or leaves it unanswered (a fenced or stale request, which Kafka answers with an error the leader does not retry); it returns no error codes',
  },
];
