import type { ModelConfig } from './config.js';
import type {
  AckedRecord,
  Broker,
  ClusterState,
  KRaftState,
  LeaderAndIsr,
  LogEntry,
  MetadataKind,
  MetadataRecord,
  PartitionChange,
  PartitionState,
  PendingProduce,
  Replica,
  Role,
  Voter,
  VoterRole,
} from './state.js';

/**
 * The inverse of `encodeState` for one config: `decodeState(cfg, encodeState(s))` is a state equal to
 * `s` as plain data. The engines use it to keep queued states as their integer encodings (a few hundred
 * bytes, copied between threads and to disk without serialization) and rebuild each state when it is
 * expanded. What the encoding leaves out is fixed by the config: which brokers hold a replica of each
 * partition, a partition's preferred replica (the first of its assignment), and in ZooKeeper mode the
 * followers' broker epochs (always -1 there).
 */
export function decodeState(cfg: ModelConfig, buf: Int32Array): ClusterState {
  let at = 0;
  const next = (): number => buf[at++] as number;
  const B = cfg.brokers;
  const P = cfg.partitions;
  const kraft = cfg.mode === 'kraft';
  const ints = (n: number): number[] => {
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = next();
    return out;
  };

  const brokers: Broker[] = [];
  for (let b = 0; b < B; b++) {
    const flags = next();
    const seenWord = next();
    const controllerEpochSeen = seenWord & 0xff;
    let controller: Broker['controller'] = null;
    if (flags & 4) {
      const epoch = next();
      const liveWord = next();
      controller = { epoch, live: liveWord & 0xff, offline: liveWord >>> 8, brokerEpochs: ints(B) };
    }
    const replicas: (Replica | null)[] = [];
    for (let p = 0; p < P; p++) {
      if (!(cfg.assignment[p] as readonly number[]).includes(b)) {
        replicas.push(null);
        continue;
      }
      const n = next();
      const log: LogEntry[] = new Array<LogEntry>(n);
      for (let i = 0; i < n; i++) {
        const e = next();
        log[i] = { epoch: Math.floor(e / 64), id: e % 64 };
      }
      const hwWord = next();
      const flushed = next();
      const roleWord = next();
      const leader = next();
      const leaderEpoch = next();
      const isrWord = next();
      const zkVersion = next();
      const epochStart = next();
      const followerLeo = ints(B);
      const followerEpoch = kraft ? ints(B) : new Array<number>(B).fill(-1);
      replicas.push({
        log,
        hw: hwWord & 0xffff,
        hwCheckpoint: hwWord >>> 16,
        flushed,
        role: (roleWord & 3) as Role,
        leader,
        leaderEpoch,
        isr: isrWord & 0xff,
        zkVersion,
        epochStart,
        followerLeo,
        followerEpoch,
        mustTruncate: (roleWord & 4) !== 0,
        pendingIsr: isrWord >>> 8,
      });
    }
    brokers.push({
      alive: (flags & 1) !== 0,
      epoch: seenWord >>> 8,
      session: (flags & 2) !== 0,
      controllerEpochSeen,
      controller,
      replicas,
    });
  }

  const zkController = next();
  const zkControllerEpoch = next();
  const brokerEpochs = ints(B);
  const nextCzxid = next();
  const partitions: PartitionState[] = [];
  for (let p = 0; p < P; p++)
    partitions.push({
      leader: next(),
      leaderEpoch: next(),
      isr: next(),
      version: next(),
      controllerEpoch: next(),
      preferred: (cfg.assignment[p] as readonly number[])[0] ?? -1,
    });
  const split = next();
  const inFlight: LeaderAndIsr[] = [];
  for (let i = next(); i > 0; i--) {
    const a = next();
    const c = next();
    const brokerEpoch = next();
    inFlight.push({
      from: a & 15,
      to: (a >>> 4) & 15,
      controllerEpoch: a >>> 16,
      partition: (a >>> 8) & 15,
      leader: ((a >>> 12) & 15) - 1,
      leaderEpoch: c & 0xff,
      isr: (c >>> 8) & 0xff,
      version: (c >>> 16) & 0x3fff,
      brokerEpoch,
      leaderLive: (c & (1 << 30)) !== 0,
    });
  }
  const produced = ints(P);
  const pending: PendingProduce[] = [];
  for (let i = next(); i > 0; i--) {
    const q = next();
    pending.push({
      partition: q & 15,
      broker: (q >>> 4) & 15,
      offset: (q >>> 8) & 0xff,
      id: (q >>> 16) & 0xff,
      leaderEpoch: q >>> 24,
    });
  }
  const bud = next();
  const budget = {
    crashes: bud & 15,
    uncleanShutdowns: (bud >>> 4) & 15,
    networkPartitions: (bud >>> 8) & 15,
    messageLosses: (bud >>> 12) & 15,
    sessionExpiries: (bud >>> 16) & 15,
    controlledShutdowns: (bud >>> 20) & 15,
    preferredElections: (bud >>> 24) & 15,
    uncleanElections: (bud >>> 28) & 15,
  };
  const acked: AckedRecord[] = [];
  for (let i = next(); i > 0; i--) {
    const a = next();
    acked.push({
      partition: a & 15,
      id: (a >>> 4) & 63,
      offset: (a >>> 10) & 63,
      leaderEpoch: (a >>> 16) & 0xff,
      by: a >>> 24,
    });
  }
  const ghostFlags = next();
  const exposed: LogEntry[][] = [];
  const exposedBy: number[] = [];
  for (let p = 0; p < P; p++) {
    const w = next();
    exposedBy.push((w >>> 8) - 1);
    const ex: LogEntry[] = [];
    for (let i = w & 0xff; i > 0; i--) {
      const e = next();
      ex.push({ epoch: Math.floor(e / 64), id: e % 64 });
    }
    exposed.push(ex);
  }
  const k = kraft ? decodeKRaft(cfg, next, ints) : null;
  if (at !== buf.length)
    throw new Error(`decodeState: ${buf.length - at} integer(s) left over; the encoding does not match the config`);
  return {
    brokers,
    zk: { controller: zkController, controllerEpoch: zkControllerEpoch, brokerEpochs, nextCzxid, partitions },
    kraft: k,
    split,
    inFlight,
    produced,
    pending,
    budget,
    ghost: {
      acked,
      staleControllerWrite: (ghostFlags & 1) !== 0,
      uncleanElection: (ghostFlags & 2) !== 0,
      hwPassedIsr: (ghostFlags & 4) !== 0,
      ackBelowMinIsr: (ghostFlags & 8) !== 0,
      exposed,
      exposedBy,
      exposedChanged: (ghostFlags & 16) !== 0,
    },
  };
}

function decodeRecord(next: () => number): MetadataRecord {
  const w = next();
  const partitions: PartitionChange[] = [];
  for (let i = next(); i > 0; i--) {
    const a = next();
    const c = next();
    partitions.push({
      partition: a & 15,
      leader: ((a >>> 4) & 15) - 1,
      leaderEpoch: (a >>> 8) & 0xff,
      partitionEpoch: a >>> 16,
      isr: c & 0xff,
      elr: (c >>> 8) & 0xff,
      lastKnownLeader: (c >>> 16) - 1,
    });
  }
  return {
    epoch: w & 0xff,
    kind: ((w >>> 8) & 15) as MetadataKind,
    broker: ((w >>> 12) & 15) - 1,
    brokerEpoch: w >>> 16,
    partitions,
  };
}

function decodeKRaft(cfg: ModelConfig, next: () => number, ints: (n: number) => number[]): KRaftState {
  const voters: Voter[] = [];
  for (let v = 0; v < cfg.voters; v++) {
    const a = next();
    const c = next();
    const endOffsets = ints(next());
    const log: MetadataRecord[] = [];
    for (let i = next(); i > 0; i--) log.push(decodeRecord(next));
    voters.push({
      alive: (a & 1) !== 0,
      role: ((a >>> 1) & 7) as VoterRole,
      epoch: c & 0xff,
      votedFor: ((a >>> 4) & 15) - 1,
      leader: ((a >>> 8) & 15) - 1,
      log,
      hw: (c >>> 8) & 0xff,
      votes: a >>> 12,
      epochStart: c >>> 16,
      endOffsets,
    });
  }
  const brokers: { epoch: number; caughtUp: boolean }[] = [];
  for (let b = 0; b < cfg.brokers; b++) {
    const w = next();
    brokers.push({ epoch: w & 0xffff, caughtUp: (w & (1 << 16)) !== 0 });
  }
  const committed: MetadataRecord[] = [];
  for (let i = next(); i > 0; i--) committed.push(decodeRecord(next));
  const committedBy = ints(committed.length);
  const w = next();
  return {
    voters,
    brokers,
    committed,
    committedBy,
    leaderEpochs: w & 0xffff,
    lostCommit: (w & (1 << 16)) !== 0,
    minorityCommit: (w & (1 << 17)) !== 0,
  };
}
