import type { Action } from '../../actions.js';
import type { Broker, ClusterState } from '../../state.js';
import { applyBrokerFault, brokerFaultActions, networkFaultActions } from '../faults.js';
import type { Ctx, D } from '../common.js';
import {
  controlledShutdown,
  controlledShutdownStep,
  fence,
  fenceStep,
  fetchMetadata,
  metadataSource,
  register,
  registerStep,
  restartKRaftBroker,
  stepChoices,
  stopKRaftBroker,
  unfence,
  unfenceStep,
} from './kraftController.js';
import { otherPartitionRecord, otherPartitionRecords } from './kraftEnvironment.js';
import { adminElect, adminElectionOutcomes, rebalance, rebalanceStep } from './kraftElections.js';
import { ADMIN_ELECTIONS } from '../../actions.js';
import {
  canReplicate,
  canResign,
  canTimeout,
  canVote,
  crashVoter,
  replicate,
  resign,
  restartVoter,
  timeout,
  vote,
} from './raftQuorum.js';

/**
 * KRaft mode's actions in canonical order and their effects. The shared partition data plane is listed
 * by the caller (`dataPlaneActions`) between the control plane and the faults.
 */

/** Control-plane actions: the Raft quorum, then the active controllers' steps, then metadata fetches. */
export function kraftControlActions(s: ClusterState, ctx: Ctx, out: Action[]): void {
  const V = ctx.cfg.voters;
  const B = ctx.cfg.brokers;
  for (let v = 0; v < V; v++) if (canTimeout(s, ctx, v)) out.push({ kind: 'raft-timeout', voter: v });
  for (let c = 0; c < V; c++)
    for (let w = 0; w < V; w++) if (canVote(s, ctx, c, w)) out.push({ kind: 'raft-vote', candidate: c, voter: w });
  for (let L = 0; L < V; L++) if (canReplicate(s, ctx, L)) out.push({ kind: 'raft-replicate', leader: L });
  for (let L = 0; L < V; L++) if (canResign(s, ctx, L)) out.push({ kind: 'raft-resign', leader: L });
  for (let b = 0; b < B; b++) {
    const step = registerStep(s, ctx, b);
    if (step) for (let i = 0; i < stepChoices(step); i++) out.push({ kind: 'register-broker', broker: b, choice: i });
  }
  for (let c = 0; c < V; c++) {
    for (let b = 0; b < B; b++) {
      const f = fenceStep(s, ctx, c, b);
      if (f)
        for (let i = 0; i < stepChoices(f); i++)
          out.push({ kind: 'fence-broker', controller: c, broker: b, choice: i });
      const u = unfenceStep(s, ctx, c, b);
      if (u)
        for (let i = 0; i < stepChoices(u); i++)
          out.push({ kind: 'unfence-broker', controller: c, broker: b, choice: i });
    }
    for (let p = 0; p < ctx.cfg.partitions; p++)
      for (const election of ADMIN_ELECTIONS)
        for (const o of adminElectionOutcomes(s, ctx, c, p, election))
          if (o.change)
            out.push({ kind: 'leader-election', controller: c, partition: p, election, leader: o.change.leader });
    if (rebalanceStep(s, ctx, c)) out.push({ kind: 'auto-rebalance', controller: c });
  }
  for (let b = 0; b < B; b++) if (metadataSource(s, ctx, b) >= 0) out.push({ kind: 'fetch-metadata', broker: b });
  otherPartitionRecords(s, ctx, out);
}

/** Faults: broker crashes, unclean shutdowns, controlled shutdowns and restarts; voter crashes and restarts; network splits. */
export function kraftFaultActions(s: ClusterState, ctx: Ctx, out: Action[]): void {
  const V = ctx.cfg.voters;
  brokerFaultActions(s, ctx, out, kraftRunningBrokerFaults);
  for (let v = 0; v < V; v++) {
    const x = s.kraft?.voters[v];
    if (!x) continue;
    if (x.alive) {
      if (s.budget.crashes > 0) out.push({ kind: 'crash-voter', voter: v });
    } else out.push({ kind: 'restart-voter', voter: v });
  }
  networkFaultActions(s, ctx, ctx.cfg.brokers + V, out);
}

/** A running broker's KRaft-mode fault: a controlled shutdown. */
function kraftRunningBrokerFaults(s: ClusterState, ctx: Ctx, b: number, _br: Broker, out: Action[]): void {
  if (controlledShutdownStep(s, ctx, b)) out.push({ kind: 'controlled-shutdown', broker: b });
}

/** Applies a KRaft-mode action; returns false for an action this mode does not have. */
export function kraftMutate(d: D, s: ClusterState, ctx: Ctx, a: Action): boolean {
  switch (a.kind) {
    case 'raft-timeout':
      timeout(d, s, ctx, a.voter);
      return true;
    case 'raft-vote':
      vote(d, s, ctx, a.candidate, a.voter);
      return true;
    case 'raft-replicate':
      replicate(d, s, ctx, a.leader);
      return true;
    case 'raft-resign':
      resign(d, a.leader);
      return true;
    case 'register-broker': {
      const step = registerStep(s, ctx, a.broker);
      if (step) register(d, s, ctx, a.broker, step, a.choice);
      return true;
    }
    case 'fence-broker': {
      const step = fenceStep(s, ctx, a.controller, a.broker);
      if (step) fence(d, s, ctx, a.broker, step, a.choice);
      return true;
    }
    case 'unfence-broker': {
      const step = unfenceStep(s, ctx, a.controller, a.broker);
      if (step) unfence(d, s, ctx, a.broker, step, a.choice);
      return true;
    }
    case 'leader-election':
      adminElect(d, s, ctx, a.controller, a.partition, a.election, a.leader);
      return true;
    case 'auto-rebalance':
      rebalance(d, s, ctx, a.controller);
      return true;
    case 'fetch-metadata': {
      const L = metadataSource(s, ctx, a.broker);
      if (L >= 0) fetchMetadata(d, s, ctx, a.broker, L);
      return true;
    }
    case 'controlled-shutdown': {
      const step = controlledShutdownStep(s, ctx, a.broker);
      if (step) controlledShutdown(d, s, ctx, a.broker, step);
      return true;
    }
    case 'other-partition-record':
      otherPartitionRecord(d, ctx, a);
      return true;
    case 'crash-voter':
      d.budget.crashes--;
      crashVoter(d, a.voter);
      return true;
    case 'restart-voter':
      restartVoter(d, a.voter);
      return true;
    default:
      return applyBrokerFault(d, ctx, a, stopKRaftBroker, restartKRaftBroker);
  }
}
