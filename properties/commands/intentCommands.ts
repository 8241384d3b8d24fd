import fc from 'fast-check';
import type { Action, ActionKind, ModelConfig } from '../../model/index.js';
import { isFairAction, type World } from './World.js';

/**
 * Fault intents as fast-check commands (`fc.commands`, model-based testing): each names what should
 * happen — crash broker 1, split the network, produce to partition 0, let the cluster tick — and, when
 * run, takes the matching enabled action of the Kafka model, so a run is always a path of the model.
 * A command whose action is not enabled is skipped (`check` is false), and fast-check's shrinker drops
 * skipped commands first.
 */
export type IntentName =
  | 'CrashBroker'
  | 'UncleanShutdown'
  | 'RestartBroker'
  | 'ExpireSession'
  | 'Reconnect'
  | 'PartitionNetwork'
  | 'Heal'
  | 'DropMessage'
  | 'Produce'
  | 'ControlledShutdown'
  | 'PreferredElection'
  | 'UncleanElection'
  | 'Tick';

/** A fault intent, the fuzz counterpart of one model action (or, for `Tick`, a burst of fair steps). */
export interface IntentCommand extends fc.Command<World, World> {
  readonly intent: IntentName;
}

/** An intent that takes one action: the `choice`-th enabled action matching `match`. */
class ActionIntent implements IntentCommand {
  constructor(
    readonly intent: IntentName,
    private readonly label: string,
    private readonly match: (a: Action) => boolean,
    private readonly choice = 0,
  ) {}
  check(w: Readonly<World>): boolean {
    return w.pick(this.match, this.choice) >= 0;
  }
  run(w: World): void {
    w.noteIntent(this.intent, this.toString());
    w.take(w.pick(this.match, this.choice));
  }
  toString(): string {
    return this.label;
  }
}

/**
 * `Tick(c1, c2, …)`: one step per choice, each the `c`-th (modulo) enabled action of a family the
 * cluster takes by itself — controller, election, delivery, fetch, ISR — chosen by the fuzz RNG.
 */
class Tick implements IntentCommand {
  readonly intent = 'Tick';
  constructor(private readonly choices: readonly number[]) {}
  check(w: Readonly<World>): boolean {
    return w.pick(isFairAction) >= 0;
  }
  run(w: World): void {
    w.noteIntent(this.intent, this.toString());
    for (const c of this.choices) {
      const i = w.pick(isFairAction, c);
      if (i < 0) return;
      w.take(i);
    }
  }
  toString(): string {
    return `Tick(${this.choices.join(',')})`;
  }
}

const ofKind =
  (kind: ActionKind, more: (a: Action) => boolean = () => true) =>
  (a: Action): boolean =>
    a.kind === kind && more(a);
const brokerIs = (b: number) => (a: Action) => 'broker' in a && a.broker === b;
const partitionIs = (p: number) => (a: Action) => 'partition' in a && a.partition === p;
const electionIs = (e: string) => (a: Action) => a.kind === 'leader-election' && a.election === e;

/** Options of `intentCommands`. */
export interface IntentWeights {
  /** Relative weight of `Tick` against each fault intent (default 3; `Produce` weighs 2). */
  readonly tick?: number;
  /** Most steps in one `Tick` (default 4). */
  readonly burst?: number;
}

/**
 * The command arbitraries for a config: `Tick` and `Produce` always, and each fault intent only when
 * the config's fault budget allows it (a crash intent with no crash budget would never run).
 */
export function intentCommands(cfg: ModelConfig, weights: IntentWeights = {}): fc.Arbitrary<IntentCommand>[] {
  const broker = fc.integer({ min: 0, max: cfg.brokers - 1 });
  const partition = fc.integer({ min: 0, max: cfg.partitions - 1 });
  const choice = fc.nat({ max: 0xffff });
  const f = cfg.faults;
  const arbs: { arbitrary: fc.Arbitrary<IntentCommand>; weight: number }[] = [];
  const add = (arbitrary: fc.Arbitrary<IntentCommand>, weight = 1): void => void arbs.push({ arbitrary, weight });

  add(
    fc.array(choice, { minLength: 1, maxLength: weights.burst ?? 4 }).map((cs) => new Tick(cs)),
    weights.tick ?? 3,
  );
  add(
    fc
      .tuple(partition, choice)
      .map(([p, c]) => new ActionIntent('Produce', `Produce(p${p}, ${c})`, ofKind('produce', partitionIs(p)), c)),
    2,
  );
  if (f.crashes > 0)
    add(broker.map((b) => new ActionIntent('CrashBroker', `CrashBroker(b${b})`, ofKind('crash', brokerIs(b)))));
  if (f.uncleanShutdowns > 0)
    add(
      broker.map(
        (b) => new ActionIntent('UncleanShutdown', `UncleanShutdown(b${b})`, ofKind('unclean-shutdown', brokerIs(b))),
      ),
    );
  if (f.crashes + f.uncleanShutdowns + f.controlledShutdowns > 0)
    add(broker.map((b) => new ActionIntent('RestartBroker', `RestartBroker(b${b})`, ofKind('restart', brokerIs(b)))));
  if (f.sessionExpiries > 0) {
    add(
      broker.map(
        (b) => new ActionIntent('ExpireSession', `ExpireSession(b${b})`, ofKind('expire-session', brokerIs(b))),
      ),
    );
    add(broker.map((b) => new ActionIntent('Reconnect', `Reconnect(b${b})`, ofKind('reconnect', brokerIs(b)))));
  }
  if (f.networkPartitions > 0 && cfg.brokers > 1) {
    // The model lists each split once, by the side holding broker 0: (k << 1) | 1 for k < 2^(B-1) - 1.
    const side = fc.integer({ min: 0, max: (1 << (cfg.brokers - 1)) - 2 }).map((k) => (k << 1) | 1);
    add(
      side.map(
        (sd) =>
          new ActionIntent(
            'PartitionNetwork',
            `PartitionNetwork(${sideName(sd, cfg.brokers)})`,
            ofKind('partition-network', (a) => a.kind === 'partition-network' && a.side === sd),
          ),
      ),
    );
    add(fc.constant(new ActionIntent('Heal', 'Heal', ofKind('heal'))));
  }
  if (f.messageLosses > 0)
    add(choice.map((c) => new ActionIntent('DropMessage', `DropMessage(${c})`, ofKind('drop'), c)));
  if (f.controlledShutdowns > 0)
    add(
      broker.map(
        (b) =>
          new ActionIntent(
            'ControlledShutdown',
            `ControlledShutdown(b${b})`,
            ofKind('controlled-shutdown', brokerIs(b)),
          ),
      ),
    );
  if (f.preferredElections > 0)
    add(
      partition.map(
        (p) =>
          new ActionIntent(
            'PreferredElection',
            `PreferredElection(p${p})`,
            ofKind('leader-election', (a) => partitionIs(p)(a) && electionIs('preferred')(a)),
          ),
      ),
    );
  if (f.uncleanElections > 0)
    add(
      partition.map(
        (p) =>
          new ActionIntent(
            'UncleanElection',
            `UncleanElection(p${p})`,
            ofKind('leader-election', (a) => partitionIs(p)(a) && electionIs('unclean')(a)),
          ),
      ),
    );
  return [fc.oneof(...arbs)];
}

function sideName(side: number, n: number): string {
  const a: number[] = [];
  const b: number[] = [];
  for (let x = 0; x < n; x++) (side & (1 << x) ? a : b).push(x);
  return `{${a.join(',')}}|{${b.join(',')}}`;
}
