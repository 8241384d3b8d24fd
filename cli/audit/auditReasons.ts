/**
 * One line in Kafka's words on why an audit cell is "no", read off its counterexample: the faults it
 * contains and the state it ends in.
 */
import { replayPath } from '../../checker/index.js';
import { members, type Action, type ClusterState, type KafkaModel } from '../../model/index.js';
import { notWritable } from '../../properties/index.js';

/** The faults and restarts of a behaviour, in operator words ("b0 crashed", …), in order. */
function faultsOf(actions: readonly Action[]): string[] {
  const out: string[] = [];
  for (const a of actions)
    if (a.kind === 'crash') out.push(`b${a.broker} crashed`);
    else if (a.kind === 'unclean-shutdown') out.push(`b${a.broker} lost power`);
    else if (a.kind === 'crash-voter') out.push(`controller ${a.voter} crashed`);
    else if (a.kind === 'expire-session') out.push(`b${a.broker}'s session expired`);
    else if (a.kind === 'partition-network') out.push('the network split');
    else if (a.kind === 'restart') out.push(`b${a.broker} restarted`);
    else if (a.kind === 'restart-voter') out.push(`controller ${a.voter} restarted`);
  return out;
}

const setText = (mask: number, n: number): string =>
  `{${members(mask, n)
    .map((b) => `b${b}`)
    .join(', ')}}`;

/** Why an acknowledged write was lost. */
function lossReason(model: KafkaModel, actions: readonly Action[], last: ClusterState): string {
  const cfg = model.config;
  const faults = faultsOf(actions).join(', then ');
  if (last.ghost.uncleanElection)
    return cfg.acks === 'all' && cfg.minInsyncReplicas === 1
      ? `with min.insync.replicas=1 acks=all acknowledges a write once the ISR has it, even when the ISR is the leader alone; after ${faults}, an unclean election (unclean.leader.election.enable=true) made a replica without it leader`
      : `after ${faults}, an unclean election (unclean.leader.election.enable=true) made a replica without the acknowledged write leader`;
  if (cfg.acks === '1')
    return `with acks=1 the leader acknowledged the write before any follower had it; after ${faults}, a replica without it became leader`;
  const power = actions.find((a) => a.kind === 'unclean-shutdown');
  if (power?.kind === 'unclean-shutdown') {
    const fix =
      cfg.mode === 'kraft' && cfg.elr
        ? ''
        : '; KRaft with Eligible Leader Replicas (KIP-966, Kafka 4.x) takes a replica that lost power out of the ISR';
    return `after ${faults}: b${power.broker} lost the acknowledged write, which it had not flushed to disk (Kafka leaves flushing to the OS by default), came back and was made leader again from the ISR without it${fix}`;
  }
  return `after ${faults}, a new leader lacks an acknowledged write`;
}

/** Why the partition stayed without a leader. */
function offlineReason(model: KafkaModel, actions: readonly Action[], last: ClusterState): string {
  const cfg = model.config;
  const isr = last.zk.partitions[0]?.isr ?? 0;
  const faults = faultsOf(actions).join(', then ');
  const running = last.brokers.some((b) => b.alive && b.session && !!b.replicas[0]);
  if (!running)
    return `after ${faults}, ${cfg.replicationFactor === 1 ? 'its only replica is down' : `none of its ${cfg.replicationFactor} replicas runs with a session`}: the partition stays offline until a broker returns`;
  const clean = cfg.uncleanLeaderElection
    ? ''
    : '; with unclean.leader.election.enable=false the partition stays offline until one of them returns';
  return `after ${faults}, no member of the ISR ${setText(isr, cfg.brokers)} is available to lead, though another replica runs${clean}`;
}

/**
 * The reason for a "no" in column `property` (`no-data-loss`, `eventually-online`,
 * `eventually-writable`) of a run of `model`, from its counterexample `path`.
 */
export function reasonFor(property: string, model: KafkaModel, path: readonly number[]): string {
  const r = replayPath(model, path);
  const states = r.ok ? r.value.states : r.partial.states;
  const actions = r.ok ? r.value.actions : r.partial.actions;
  const last = states[states.length - 1];
  if (!last) return 'the counterexample could not be replayed';
  if (property === 'no-data-loss') return lossReason(model, actions, last);
  if (property === 'eventually-online') return offlineReason(model, actions, last);
  const why = notWritable(last, model.config, 0) ?? 'the partition does not accept writes';
  const faults = faultsOf(actions).join(', then ');
  return `after ${faults}, ${why.replace(/^p0's /, "the partition's ").replace(/^p0 /, 'the partition ')}, and nothing changes that while the fault lasts`;
}
