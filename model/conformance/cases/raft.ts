import type { Draft } from 'immer';
import type { ConfigInput } from '../../config.js';
import type { ClusterState, MetadataRecord, Voter, VoterRole } from '../../state.js';
import {
  VOTER_CANDIDATE,
  VOTER_FOLLOWER,
  VOTER_LEADER,
  VOTER_RESIGNED,
  VOTER_UNATTACHED,
  initialState,
} from '../../state.js';
import { canResign, canVote, updateHighWatermark } from '../../transitions/kraft/raftQuorum.js';
import type { ConformanceCase, NotExpressible } from '../ConformanceCase.js';
import { conformanceCase } from '../ConformanceCase.js';
import { contextFor, edit, mask, metadataBatches, modelConfig, modelFor, runPath } from '../fixtures.js';

/**
 * The KRaft controller quorum (`raft` module): vote granting by each `EpochState` (`UnattachedStateTest`,
 * `FollowerStateTest`, `CandidateStateTest`, `LeaderStateTest`, `ResignedStateTest`) and by
 * `KafkaRaftClient`, vote counting, restart from the quorum-state file (`QuorumStateTest`), the
 * leader's high watermark (`LeaderStateTest`) and check quorum. Voters are the model's voters 0, 1, 2…
 * (Kafka's `localId` is voter 0 unless a case says otherwise); a vote request and its answer are the
 * model's `raft-vote` step, listed only when it changes something, so a rejected request that changes
 * nothing is simply not a step. Metadata logs are written as the epochs of their batches.
 */

type RoleName = 'unattached' | 'follower' | 'candidate' | 'leader' | 'resigned';
const ROLE: Record<RoleName, VoterRole> = {
  unattached: VOTER_UNATTACHED,
  follower: VOTER_FOLLOWER,
  candidate: VOTER_CANDIDATE,
  leader: VOTER_LEADER,
  resigned: VOTER_RESIGNED,
};
const roleName = (r: VoterRole | undefined): RoleName | undefined =>
  (Object.keys(ROLE) as RoleName[]).find((k) => ROLE[k] === r);

interface VoterSpec {
  readonly role: RoleName;
  readonly epoch: number;
  readonly votedFor?: number;
  readonly leader?: number;
  /** Epochs of its metadata log's batches. */
  readonly log?: readonly number[];
  readonly alive?: boolean;
  readonly epochStart?: number;
  readonly endOffsets?: readonly number[];
}

/** A KRaft quorum of `voters` voters (and one broker, an observer), with voters set as `specs` say. */
function quorum(voters: number, specs: Readonly<Record<number, VoterSpec>>, faults: ConfigInput['faults'] = {}) {
  const input: ConfigInput = {
    mode: 'kraft',
    voters,
    brokers: 1,
    partitions: 1,
    replicationFactor: 1,
    assignment: [[0]],
    minInsyncReplicas: 1,
    preVote: false,
    faults: { crashes: 0, networkPartitions: 0, ...faults },
    bounds: { raftEpochs: 8 },
  };
  const cfg = modelConfig(input);
  const s = edit(initialState(cfg), (d) => {
    const k = d.kraft;
    if (!k) throw new Error('fixture bug: not KRaft');
    for (const [key, v] of Object.entries(specs)) {
      const x = k.voters[Number(key)];
      if (!x) throw new Error(`fixture bug: no voter ${key}`);
      x.role = ROLE[v.role];
      x.epoch = v.epoch;
      x.votedFor = v.votedFor ?? (v.role === 'candidate' ? Number(key) : -1);
      x.leader = v.leader ?? (v.role === 'leader' ? Number(key) : -1);
      x.alive = v.alive ?? true;
      x.votes = v.role === 'candidate' ? mask(Number(key)) : 0;
      if (v.log) {
        const log = v.log.flatMap((e) => metadataBatches(e, 1));
        x.log.splice(0, x.log.length, ...(log as Draft<MetadataRecord>[]));
      }
      x.hw = 0;
      x.epochStart = v.epochStart ?? 0;
      x.endOffsets = v.role === 'leader' ? [...(v.endOffsets ?? Array<number>(voters).fill(-1))] : [];
    }
  });
  return { model: modelFor(input), ctx: contextFor(cfg), s };
}

interface VoterView {
  readonly role: RoleName | undefined;
  readonly epoch: number | undefined;
  readonly votedFor: number | undefined;
}

const view = (s: ClusterState, v: number): VoterView => {
  const x = s.kraft?.voters[v] as Voter | undefined;
  return { role: roleName(x?.role), epoch: x?.epoch, votedFor: x?.votedFor };
};

/**
 * Candidate c asks voter w for its vote: whether w grants it, and w's state afterwards. When the grant
 * completes a majority, the model's step goes on to the new leader's first replication round (its
 * BeginQuorumEpoch), so w may already follow c: `ballot` leaves the role out for such cases.
 */
function ask(q: ReturnType<typeof quorum>, c: number, w: number): { granted: boolean; voter: VoterView } {
  if (!canVote(q.s, q.ctx, c, w)) return { granted: false, voter: view(q.s, w) };
  const after = runPath(q.model, q.s, [{ kind: 'raft-vote', candidate: c, voter: w }]);
  const cand = after.kraft?.voters[c];
  const granted =
    !!cand && ((cand.votes & (1 << w)) !== 0 || (cand.role === VOTER_LEADER && cand.epoch === view(q.s, c).epoch));
  return { granted, voter: view(after, w) };
}

/**
 * Voter 0 crashes and restarts from its quorum-state file (model path: `crash-voter`, `restart-voter`);
 * then voter 1 stands as a candidate that voted for itself, with `fields` (its epoch, its leader) set too.
 */
function restartedThenCandidate1(q: ReturnType<typeof quorum>, fields: Partial<Voter>): ClusterState {
  const restarted = runPath(q.model, q.s, [
    { kind: 'crash-voter', voter: 0 },
    { kind: 'restart-voter', voter: 0 },
  ]);
  return edit(restarted, (d) => {
    const x = d.kraft?.voters[1];
    if (x) Object.assign(x, { role: VOTER_CANDIDATE, votedFor: 1, votes: mask(1), ...fields });
  });
}

/** Whether the vote was granted, and the epoch and vote the voter recorded. */
const ballot = (r: { granted: boolean; voter: VoterView }) => ({
  granted: r.granted,
  epoch: r.voter.epoch,
  votedFor: r.voter.votedFor,
});

/** A candidate in `epoch` whose log is at least as up to date as `w`'s (or not), asking voter w. */
function grantCase(cls: string, role: RoleName, upToDate: boolean): ConformanceCase {
  const granted = role === 'unattached' && upToDate;
  return conformanceCase({
    id: `raft-${role}-grant-vote-${upToDate ? 'up-to-date' : 'behind'}`,
    kafkaTest: `${cls}.testGrantVote`,
    area: 'raft',
    description: `A voter that is ${role === 'unattached' ? 'unattached (no leader, no vote)' : role} in epoch 5 is asked for its vote in epoch 5 by a candidate whose log is ${upToDate ? 'as up to date as its own' : 'behind its own'}: ${granted ? 'granted' : 'refused'}${role === 'unattached' ? '' : ` (a ${role} never grants a vote in its own epoch)`}.`,
    run: () => {
      const voterLog = upToDate ? [4] : [4, 5];
      const specs: Record<number, VoterSpec> = {
        0: role === 'follower' ? { role, epoch: 5, leader: 1, log: voterLog } : { role, epoch: 5, log: voterLog },
        1: role === 'follower' ? { role: 'leader', epoch: 5, log: [4, 5] } : { role: 'unattached', epoch: 5, log: [4] },
        2: { role: 'candidate', epoch: 5, log: [4] },
      };
      return ask(quorum(3, specs), 2, 0).granted;
    },
    expected: granted,
  });
}

/** The leader's high watermark after `updateHighWatermark`, or null while it has none (model: 0). */
function leaderHw(voters: number, epochStart: number, leo: number, endOffsets: readonly number[], prevHw = 0) {
  const q = quorum(voters, {
    0: {
      role: 'leader',
      epoch: 3,
      log: [...Array<number>(epochStart).fill(2), ...Array<number>(leo - epochStart).fill(3)],
      epochStart,
      endOffsets,
    },
  });
  const s = edit(q.s, (d) => {
    const x = d.kraft?.voters[0];
    if (x) x.hw = prevHw;
  });
  const hw = edit(s, (d) => updateHighWatermark(d, q.ctx, 0)).kraft?.voters[0]?.hw ?? 0;
  return hw === 0 ? null : hw;
}

/**
 * Whether leader 0 of a quorum of `voters` still leads once its check-quorum timer expires (the model's
 * `raft-resign` is not enabled) when only `reach` voters (and the observer broker) can reach it.
 */
function checkQuorum(voters: number, reach: readonly number[]): boolean {
  const q = quorum(voters, {});
  // Nodes: the broker is node 0, voter v is node 1 + v. One side: the broker, the leader and `reach`.
  const side = mask(0, 1, ...reach.map((v) => 1 + v));
  const s = edit(q.s, (d) => {
    d.split = side;
  });
  return !canResign(s, q.ctx, 0);
}

const CLIENT = 'KafkaRaftClientTest';

export const RAFT_CASES: readonly ConformanceCase[] = [
  grantCase('UnattachedStateTest', 'unattached', true),
  grantCase('UnattachedStateTest', 'unattached', false),
  grantCase('FollowerStateTest', 'follower', true),
  grantCase('FollowerStateTest', 'follower', false),
  grantCase('CandidateStateTest', 'candidate', true),
  grantCase('LeaderStateTest', 'leader', true),
  grantCase('ResignedStateTest', 'resigned', true),
  conformanceCase({
    id: 'raft-valid-vote-request-as-unattached',
    kafkaTest: `${CLIENT}.testHandleValidVoteRequestAsFollower`,
    area: 'raft',
    description:
      'Two voters; the local voter is unattached in epoch 2 with an empty log. A vote request in epoch 2 from a candidate whose log ends at offset 1 in epoch 1 is granted, and the local voter records its vote (the grant completes the candidate’s majority, so in the model the same step also makes the local voter its follower).',
    run: () =>
      ballot(
        ask(
          quorum(2, { 0: { role: 'unattached', epoch: 2, log: [] }, 1: { role: 'candidate', epoch: 2, log: [1] } }),
          1,
          0,
        ),
      ),
    expected: { granted: true, epoch: 2, votedFor: 1 },
  }),
  conformanceCase({
    id: 'raft-vote-request-as-follower-with-leader',
    kafkaTest: `${CLIENT}.testHandleVoteRequestAsFollowerWithElectedLeader`,
    area: 'raft',
    description:
      'Three voters; the local voter follows leader 2 in epoch 2. A vote request from voter 1 in epoch 2 is refused and the local voter still follows 2.',
    run: () => {
      const q = quorum(3, {
        0: { role: 'follower', epoch: 2, leader: 2, log: [] },
        1: { role: 'candidate', epoch: 2, log: [1] },
        2: { role: 'leader', epoch: 2, log: [] },
      });
      const r = ask(q, 1, 0);
      return { granted: r.granted, role: r.voter.role, leader: q.s.kraft?.voters[0]?.leader };
    },
    expected: { granted: false, role: 'follower', leader: 2 },
  }),
  conformanceCase({
    id: 'raft-vote-request-after-voting',
    kafkaTest: `${CLIENT}.testHandleVoteRequestAsFollowerWithVotedCandidate`,
    area: 'raft',
    description:
      'Three voters; the local voter voted for 2 in epoch 2. A vote request from 1 in epoch 2 is refused; its vote stays with 2 (one vote per epoch).',
    run: () =>
      ask(
        quorum(3, {
          0: { role: 'unattached', epoch: 2, votedFor: 2, log: [] },
          1: { role: 'candidate', epoch: 2, log: [1] },
          2: { role: 'candidate', epoch: 2, log: [1] },
        }),
        1,
        0,
      ),
    expected: { granted: false, voter: { role: 'unattached', epoch: 2, votedFor: 2 } },
  }),
  conformanceCase({
    id: 'raft-vote-request-older-epoch',
    kafkaTest: `${CLIENT}.testHandleInvalidVoteRequestWithOlderEpoch`,
    area: 'raft',
    description:
      'The local voter is unattached in epoch 2; a vote request from a candidate in epoch 1 is refused (FENCED_LEADER_EPOCH) and the local voter stays unattached in epoch 2 without a vote.',
    run: () =>
      ask(
        quorum(2, { 0: { role: 'unattached', epoch: 2, log: [] }, 1: { role: 'candidate', epoch: 1, log: [0] } }),
        1,
        0,
      ),
    expected: { granted: false, voter: { role: 'unattached', epoch: 2, votedFor: -1 } },
  }),
  conformanceCase({
    id: 'raft-leader-ignores-same-epoch-vote',
    kafkaTest: `${CLIENT}.testLeaderIgnoreVoteRequestOnSameEpoch`,
    area: 'raft',
    description:
      'The local voter leads epoch 2; a vote request from the other voter in epoch 2 is refused and it stays leader.',
    run: () =>
      ask(quorum(2, { 0: { role: 'leader', epoch: 2, log: [2] }, 1: { role: 'candidate', epoch: 2, log: [1] } }), 1, 0),
    expected: { granted: false, voter: { role: 'leader', epoch: 2, votedFor: -1 } },
  }),
  conformanceCase({
    id: 'raft-candidate-ignores-same-epoch-vote',
    kafkaTest: `${CLIENT}.testCandidateIgnoreVoteRequestOnSameEpoch`,
    area: 'raft',
    description:
      'The local voter is a candidate in epoch 2 (voted for itself); a vote request from the other voter in epoch 2 is refused and its vote stays its own.',
    run: () =>
      ask(
        quorum(2, { 0: { role: 'candidate', epoch: 2, log: [] }, 1: { role: 'candidate', epoch: 2, log: [1] } }),
        1,
        0,
      ),
    expected: { granted: false, voter: { role: 'candidate', epoch: 2, votedFor: 0 } },
  }),
  conformanceCase({
    id: 'raft-restarted-leader-refuses-same-epoch',
    kafkaTest: `${CLIENT}.testRejectVotesFromSameEpochAfterResigningLeadership`,
    area: 'raft',
    description:
      'Two voters; voter 0 led epoch 2 and restarts (model path: `crash-voter`, `restart-voter`): it comes back resigned in epoch 2 and refuses a vote request in epoch 2, even from a candidate whose log is as long as its own.',
    run: () => {
      const q = quorum(
        2,
        { 0: { role: 'leader', epoch: 2, log: [] }, 1: { role: 'follower', epoch: 2, leader: 0, log: [] } },
        { crashes: 1 },
      );
      return ask({ ...q, s: restartedThenCandidate1(q, { leader: -1 }) }, 1, 0);
    },
    expected: { granted: false, voter: { role: 'resigned', epoch: 2, votedFor: -1 } },
  }),
  conformanceCase({
    id: 'raft-restarted-candidate-refuses-same-epoch',
    kafkaTest: `${CLIENT}.testRejectVotesFromSameEpochAfterResigningCandidacy`,
    area: 'raft',
    description:
      'Voter 0 voted for itself as candidate in epoch 2 and restarts: it comes back a candidate of epoch 2 with its own vote and refuses another candidate’s request in epoch 2.',
    run: () => {
      const q = quorum(
        2,
        { 0: { role: 'candidate', epoch: 2, log: [] }, 1: { role: 'unattached', epoch: 2, log: [] } },
        { crashes: 1 },
      );
      return ask({ ...q, s: restartedThenCandidate1(q, {}) }, 1, 0);
    },
    expected: { granted: false, voter: { role: 'candidate', epoch: 2, votedFor: 0 } },
  }),
  ...(['leader', 'candidate'] as const).map((was) =>
    conformanceCase({
      id: `raft-restarted-${was}-grants-higher-epoch`,
      kafkaTest: `${CLIENT}.testGrantVotesFromHigherEpochAfterResigning${was === 'leader' ? 'Leadership' : 'Candidacy'}`,
      area: 'raft',
      description: `Voter 0 was ${was} in epoch 2 and restarts; a candidate in epoch 3 with an equally long log asks for its vote: it moves to epoch 3, grants the vote and records it (Kafka: unattached and voted; in the model the grant completes the candidate’s majority, so the same step also makes voter 0 its follower).`,
      run: () => {
        const q = quorum(
          2,
          {
            0: { role: was, epoch: 2, log: [] },
            1: {
              role: was === 'leader' ? 'follower' : 'unattached',
              epoch: 2,
              leader: was === 'leader' ? 0 : -1,
              log: [],
            },
          },
          { crashes: 1 },
        );
        return ballot(ask({ ...q, s: restartedThenCandidate1(q, { epoch: 3, leader: -1 }) }, 1, 0));
      },
      expected: { granted: true, epoch: 3, votedFor: 1 },
    }),
  ),
  conformanceCase({
    id: 'raft-restart-as-resigned-leader',
    kafkaTest: 'QuorumStateTest.testInitializeAsResignedLeader',
    area: 'raft',
    description:
      'Three voters; the local voter’s quorum-state file says it led epoch 5. On restart it is not leader: it is resigned in epoch 5.',
    run: () => {
      const q = quorum(3, { 0: { role: 'leader', epoch: 5, log: [] } }, { crashes: 1 });
      return view(
        runPath(q.model, q.s, [
          { kind: 'crash-voter', voter: 0 },
          { kind: 'restart-voter', voter: 0 },
        ]),
        0,
      );
    },
    expected: { role: 'resigned', epoch: 5, votedFor: -1 },
  }),
  conformanceCase({
    id: 'raft-restart-as-candidate',
    kafkaTest: 'QuorumStateTest.testInitializeAsResignedCandidate',
    area: 'raft',
    description:
      'Three voters; the quorum-state file says the local voter voted for itself in epoch 5. On restart it is a candidate of epoch 5 whose only granting voter is itself.',
    run: () => {
      const q = quorum(3, { 0: { role: 'candidate', epoch: 5, log: [] } }, { crashes: 1 });
      const s = runPath(q.model, q.s, [
        { kind: 'crash-voter', voter: 0 },
        { kind: 'restart-voter', voter: 0 },
      ]);
      return { ...view(s, 0), granting: s.kraft?.voters[0]?.votes };
    },
    expected: { role: 'candidate', epoch: 5, votedFor: 0, granting: mask(0) },
  }),
  ...(
    [
      [
        'follower',
        'testInitializeAsFollower',
        { role: 'follower', epoch: 5, leader: 1, log: [] },
        { role: 'follower', epoch: 5, votedFor: -1 },
      ],
      [
        'voted',
        'testInitializeAsVoted',
        { role: 'unattached', epoch: 5, votedFor: 2, log: [] },
        { role: 'unattached', epoch: 5, votedFor: 2 },
      ],
    ] as const
  ).map(([name, method, before, after]) =>
    conformanceCase({
      id: `raft-restart-as-${name}`,
      kafkaTest: `QuorumStateTest.${method}`,
      area: 'raft',
      description: `Three voters; the quorum-state file says the local voter ${name === 'follower' ? 'follows leader 1' : 'voted for 2'} in epoch 5. On restart it is again ${name === 'follower' ? 'a follower in epoch 5' : 'unattached in epoch 5 with its vote for 2'}.`,
      run: () => {
        const q = quorum(3, { 0: before }, { crashes: 1 });
        const s = runPath(q.model, q.s, [
          { kind: 'crash-voter', voter: 0 },
          { kind: 'restart-voter', voter: 0 },
        ]);
        return view(s, 0);
      },
      expected: after,
    }),
  ),
  conformanceCase({
    id: 'raft-resigned-becomes-candidate',
    kafkaTest: `${CLIENT}.testInitializeAsResignedAndBecomeCandidate`,
    area: 'raft',
    description:
      'Two voters; voter 0 led epoch 2 and restarts resigned. When its election timer fires it becomes a candidate of epoch 3 voting for itself (the other voter is down, so the election is not decided in the same step).',
    run: () => {
      const q = quorum(
        2,
        {
          0: { role: 'leader', epoch: 2, log: [] },
          1: { role: 'follower', epoch: 2, leader: 0, log: [], alive: false },
        },
        { crashes: 1 },
      );
      const s = runPath(q.model, q.s, [
        { kind: 'crash-voter', voter: 0 },
        { kind: 'restart-voter', voter: 0 },
        { kind: 'raft-timeout', voter: 0 },
      ]);
      return view(s, 0);
    },
    expected: { role: 'candidate', epoch: 3, votedFor: 0 },
  }),
  conformanceCase({
    id: 'raft-single-node-quorum-elects-itself',
    kafkaTest: 'CandidateStateTest.testSingleNodeQuorum',
    area: 'raft',
    description: 'A quorum of one voter: a candidate’s own vote is a majority, so its election is won at once.',
    run: () => {
      const q = quorum(1, { 0: { role: 'unattached', epoch: 1, log: [1] } });
      return view(runPath(q.model, q.s, [{ kind: 'raft-timeout', voter: 0 }]), 0).role;
    },
    expected: 'leader',
  }),
  conformanceCase({
    id: 'raft-two-node-quorum-vote-granted',
    kafkaTest: 'CandidateStateTest.testTwoNodeQuorumVoteGranted',
    area: 'raft',
    description: 'Two voters: the candidate wins once the other voter grants its vote (2 of 2).',
    run: () => {
      const q = quorum(2, {
        0: { role: 'candidate', epoch: 2, log: [] },
        1: { role: 'unattached', epoch: 2, log: [] },
      });
      return view(runPath(q.model, q.s, [{ kind: 'raft-vote', candidate: 0, voter: 1 }]), 0).role;
    },
    expected: 'leader',
  }),
  conformanceCase({
    id: 'raft-three-node-quorum-vote-granted',
    kafkaTest: 'CandidateStateTest.testThreeNodeQuorumVoteGranted',
    area: 'raft',
    description: 'Three voters: one granted vote besides its own is a majority; the candidate wins.',
    run: () => {
      const q = quorum(3, {
        0: { role: 'candidate', epoch: 2, log: [] },
        1: { role: 'unattached', epoch: 2, log: [] },
        2: { role: 'unattached', epoch: 2, votedFor: 2, log: [] },
      });
      return view(runPath(q.model, q.s, [{ kind: 'raft-vote', candidate: 0, voter: 1 }]), 0).role;
    },
    expected: 'leader',
  }),
  conformanceCase({
    id: 'raft-three-node-quorum-vote-rejected',
    kafkaTest: 'CandidateStateTest.testThreeNodeQuorumVoteRejected',
    area: 'raft',
    description:
      'Three voters that both refuse the candidate (each already voted for another candidate in the epoch): the candidate does not win.',
    run: () => {
      const q = quorum(3, {
        0: { role: 'candidate', epoch: 2, log: [] },
        1: { role: 'unattached', epoch: 2, votedFor: 2, log: [] },
        2: { role: 'candidate', epoch: 2, log: [] },
      });
      return { asks: [canVote(q.s, q.ctx, 0, 1), canVote(q.s, q.ctx, 0, 2)], role: view(q.s, 0).role };
    },
    expected: { asks: [false, false], role: 'candidate' },
  }),
  conformanceCase({
    id: 'raft-leader-hw-one-voter',
    kafkaTest: 'LeaderStateTest.testUpdateHighWatermarkQuorumSizeOne',
    area: 'raft',
    description:
      'A single-voter leader whose epoch starts at offset 15: at log end 15 it has no high watermark; at 16 the high watermark is 16; at 20, 20.',
    run: () => [leaderHw(1, 15, 15, []), leaderHw(1, 15, 16, []), leaderHw(1, 15, 20, [], 16)],
    expected: [null, 16, 20],
  }),
  conformanceCase({
    id: 'raft-leader-hw-two-voters',
    kafkaTest: 'LeaderStateTest.testUpdateHighWatermarkQuorumSizeTwo',
    area: 'raft',
    description:
      'Two voters, epoch start 10, leader log end 13: with the follower at 10 there is no high watermark; at 11 it is 11; at 13 it is 13.',
    run: () => [leaderHw(2, 10, 13, [-1, 10]), leaderHw(2, 10, 13, [-1, 11]), leaderHw(2, 10, 13, [-1, 13], 11)],
    expected: [null, 11, 13],
  }),
  conformanceCase({
    id: 'raft-leader-hw-three-voters',
    kafkaTest: 'LeaderStateTest.testUpdateHighWatermarkQuorumSizeThree',
    area: 'raft',
    description:
      'Three voters, epoch start 10, leader log end 15: followers at 10 and 10, no high watermark; one at 15, high watermark 15; leader at 20, still 15; a follower at 20, 20.',
    run: () => [
      leaderHw(3, 10, 15, [-1, 10, 10]),
      leaderHw(3, 10, 15, [-1, 10, 15]),
      leaderHw(3, 10, 20, [-1, 10, 15], 15),
      leaderHw(3, 10, 20, [-1, 20, 15], 15),
    ],
    expected: [null, 15, 15, 20],
  }),
  conformanceCase({
    id: 'raft-leader-hw-never-decreases',
    kafkaTest: 'LeaderStateTest.testNonMonotonicHighWatermarkUpdate',
    area: 'raft',
    description:
      'Two voters, epoch start 0, high watermark 10; the follower lost its disk and fetches from offset 5: the high watermark stays 10.',
    run: () => leaderHw(2, 0, 10, [-1, 5], 10),
    expected: 10,
  }),
  conformanceCase({
    id: 'raft-check-quorum-majority-fetching',
    kafkaTest: `${CLIENT}.testLeaderShouldResignLeadershipIfNotGetFetchRequestFromMajorityVoters`,
    area: 'raft',
    description:
      'Three voters: while voter 1 (or 2) fetches from the leader it keeps leading; when only an observer (a broker) fetches, the leader resigns at the check-quorum timeout.',
    run: () => ({ voter1: checkQuorum(3, [1]), voter2: checkQuorum(3, [2]), observerOnly: checkQuorum(3, []) }),
    expected: { voter1: true, voter2: true, observerOnly: false },
  }),
  conformanceCase({
    id: 'raft-check-quorum-one-voter',
    kafkaTest: `${CLIENT}.testLeaderShouldNotResignLeadershipIfOnlyOneVoters`,
    area: 'raft',
    description: 'A single-voter quorum: nobody fetches from the leader, and it does not resign.',
    run: () => checkQuorum(1, []),
    expected: true,
  }),
  conformanceCase({
    id: 'raft-check-quorum-five-voters',
    kafkaTest: 'LeaderStateTest.testCheckQuorum',
    area: 'raft',
    description:
      'Five voters: fetches from two voters keep the leader’s check-quorum timer alive (3 of 5 with itself); fetches from one voter and one observer do not, and the timer expires.',
    run: () => ({ twoVoters: checkQuorum(5, [1, 2]), oneVoterAndObserver: checkQuorum(5, [3]) }),
    expected: { twoVoters: true, oneVoterAndObserver: false },
  }),
];

export const RAFT_NOT_EXPRESSIBLE: readonly NotExpressible[] = [
  {
    kafkaTest: 'UnattachedStateTest.testUnattachedWithLeader',
    area: 'raft',
    reason:
      'an unattached voter that knows the epoch’s leader (KIP-853 unattached-with-leader): the model’s unattached voters know no leader',
  },
  {
    kafkaTest: `${CLIENT}.testHandleVoteRequestAsObserver`,
    area: 'raft',
    reason:
      'observers with a replica id that vote (KIP-853 dynamic voters): the model’s voter set is static and brokers never vote',
  },
  {
    kafkaTest: `${CLIENT}.testGrantVotesWhenShuttingDown`,
    area: 'raft',
    reason: 'a graceful shutdown of a voter in progress (EndQuorumEpoch, shutdown timer): voters stop only by crashing',
  },
  {
    kafkaTest: `${CLIENT}.testElectionTimeoutAfterUserInitiatedResign`,
    area: 'raft',
    reason: 'a user-initiated resign (`KafkaRaftClient.resign`) is not a model step',
  },
  {
    kafkaTest: 'CandidateStateTest.testTwoNodeQuorumVoteRejected',
    area: 'raft',
    reason:
      'records rejections to back off early (`isVoteRejected`); the model does not track rejections: a candidate stays one until a newer epoch or its next timeout',
  },
  {
    kafkaTest: 'FollowerStateTest.testFetchTimeoutExpiration',
    area: 'raft',
    reason: 'fetch timeout durations: the model has no clock (a follower may time out whenever it is not the leader)',
  },
];
