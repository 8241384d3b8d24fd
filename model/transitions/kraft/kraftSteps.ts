import type { Action } from '../../actions.js';
import type { ClusterState } from '../../state.js';
import { splitActions } from '../faults.js';
import type { Ctx, D } from '../common.js';
import {
  controlledShutdown,
  controlledShutdownStep,
  fence,
  fenceStep,
  fetchMetadata,
  metadataSource,
  preferredElect,
  preferredStep,
  register,
  registerStep,
  restartKRaftBroker,
  stepChoices,
  stopKRaftBroker,
  unfence,
  unfenceStep,
} from './kraftController.js';
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
      if (preferredStep(s, ctx, c, p)) out.push({ kind: 'preferred-election', controller: c, partition: p });
  }
  for (let b = 0; b < B; b++) if (metadataSource(s, ctx, b) >= 0) out.push({ kind: 'fetch-metadata', broker: b });
}

/** Faults: broker crashes, unclean shutdowns, controlled shutdowns and restarts; voter crashes and restarts; network splits. */
export function kraftFaultActions(s: ClusterState, ctx: Ctx, out: Action[]): void {
  const bud = s.budget;
  const B = ctx.cfg.brokers;
  const V = ctx.cfg.voters;
  for (let b = 0; b < B; b++) {
    const br = s.brokers[b];
    if (!br) continue;
    if (br.alive) {
      if (bud.crashes > 0) out.push({ kind: 'crash', broker: b });
      if (bud.uncleanShutdowns > 0) out.push({ kind: 'unclean-shutdown', broker: b });
      if (controlledShutdownStep(s, ctx, b)) out.push({ kind: 'controlled-shutdown', broker: b });
    } else out.push({ kind: 'restart', broker: b });
  }
  for (let v = 0; v < V; v++) {
    const x = s.kraft?.voters[v];
    if (!x) continue;
    if (x.alive) {
      if (bud.crashes > 0) out.push({ kind: 'crash-voter', voter: v });
    } else out.push({ kind: 'restart-voter', voter: v });
  }
  if (s.split === 0 && bud.networkPartitions > 0) splitActions(B + V, ctx.cfg.networkSplits, out);
  if (s.split !== 0) out.push({ kind: 'heal' });
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
    case 'preferred-election': {
      const step = preferredStep(s, ctx, a.controller, a.partition);
      if (step) preferredElect(d, s, ctx, step);
      return true;
    }
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
    case 'crash':
      d.budget.crashes--;
      stopKRaftBroker(d, ctx, a.broker, 'crash');
      return true;
    case 'unclean-shutdown':
      d.budget.uncleanShutdowns--;
      stopKRaftBroker(d, ctx, a.broker, 'unclean');
      return true;
    case 'restart':
      restartKRaftBroker(d, ctx, a.broker);
      return true;
    case 'crash-voter':
      d.budget.crashes--;
      crashVoter(d, a.voter);
      return true;
    case 'restart-voter':
      restartVoter(d, a.voter);
      return true;
    default:
      return false;
  }
}
