import type { Rng } from '../checker/index.js';

/**
 * The time model of the timed simulator (`lab/timed.ts`): Kafka's timeouts, named after their settings,
 * and a latency distribution per message. The exhaustive checker and the model's states stay untimed;
 * only the simulator reads these.
 */
export interface TimingConfig {
  /** `zookeeper.session.timeout.ms` (ZooKeeper mode): how long a crashed broker's znodes outlive it. */
  readonly zookeeperSessionTimeoutMs: number;
  /** `broker.session.timeout.ms` (KRaft): how long a broker's lease lasts without a heartbeat. */
  readonly brokerSessionTimeoutMs: number;
  /** `broker.heartbeat.interval.ms` (KRaft): the time between a broker's heartbeats. */
  readonly brokerHeartbeatIntervalMs: number;
  /** `replica.lag.time.max.ms`: how long a follower may lag before its leader shrinks the ISR. */
  readonly replicaLagTimeMaxMs: number;
  /** `controller.quorum.election.timeout.ms` (KRaft): a candidate's election timeout, randomized up to twice it. */
  readonly controllerQuorumElectionTimeoutMs: number;
  /** `controller.quorum.fetch.timeout.ms` (KRaft): how long a voter waits for its leader before standing. */
  readonly controllerQuorumFetchTimeoutMs: number;
  /** `replica.high.watermark.checkpoint.interval.ms`. */
  readonly highWatermarkCheckpointIntervalMs: number;
  /** One-way latency of a message between two nodes: log-normal with this median… */
  readonly messageLatencyMedianMs: number;
  /** …and this 99th percentile. */
  readonly messageLatencyP99Ms: number;
  /** Workload: the producer sends one record this often (up to the record bound). */
  readonly produceIntervalMs: number;
  /** Repair: a stopped broker or voter restarts this long after it stopped. */
  readonly restartAfterMs: number;
  /** Repair: a network split heals this long after it began. */
  readonly healAfterMs: number;
}

/**
 * Kafka's defaults (Apache Kafka 3.9 / trunk of October 2024), each from the class that defines it:
 * `ZkConfigs.ZK_SESSION_TIMEOUT_MS` = 18000 (since Kafka 2.5, KIP-537);
 * `KRaftConfigs.BROKER_SESSION_TIMEOUT_MS_DEFAULT` = 9000 and `BROKER_HEARTBEAT_INTERVAL_MS_DEFAULT` = 2000;
 * `ReplicationConfigs.REPLICA_LAG_TIME_MAX_MS_DEFAULT` = 30000 and
 * `REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS_DEFAULT` = 5000;
 * `QuorumConfig.DEFAULT_QUORUM_ELECTION_TIMEOUT_MS` = 1000 and `DEFAULT_QUORUM_FETCH_TIMEOUT_MS` = 2000.
 * The message latency (median 1 ms, p99 10 ms: one data centre), the produce interval and the repair
 * times are not Kafka settings; they describe the environment and the operator.
 *
 * Not here, because no model step waits for them: `replica.fetch.wait.max.ms` (500) bounds only empty
 * fetches — the leader answers a parked fetch as soon as records arrive (`DelayedFetch`), and a fetch
 * that returns nothing is not a model step; request timeouts (`request.timeout.ms`,
 * `controller.socket.timeout.ms`, 30000) expire only for a lost request, and the model's requests are
 * delivered unless the `messageLosses` fault drops them (a fault the simulator does not inject).
 */
export const DEFAULT_TIMING: TimingConfig = {
  zookeeperSessionTimeoutMs: 18_000,
  brokerSessionTimeoutMs: 9_000,
  brokerHeartbeatIntervalMs: 2_000,
  replicaLagTimeMaxMs: 30_000,
  controllerQuorumElectionTimeoutMs: 1_000,
  controllerQuorumFetchTimeoutMs: 2_000,
  highWatermarkCheckpointIntervalMs: 5_000,
  messageLatencyMedianMs: 1,
  messageLatencyP99Ms: 10,
  produceIntervalMs: 5_000,
  restartAfterMs: 60_000,
  healAfterMs: 60_000,
};

/** Each timing setting with the Kafka (or kafka-mc) name a flag or an error message uses. */
export const TIMING_NAMES: { readonly [K in keyof TimingConfig]: string } = {
  zookeeperSessionTimeoutMs: 'zookeeper.session.timeout.ms',
  brokerSessionTimeoutMs: 'broker.session.timeout.ms',
  brokerHeartbeatIntervalMs: 'broker.heartbeat.interval.ms',
  replicaLagTimeMaxMs: 'replica.lag.time.max.ms',
  controllerQuorumElectionTimeoutMs: 'controller.quorum.election.timeout.ms',
  controllerQuorumFetchTimeoutMs: 'controller.quorum.fetch.timeout.ms',
  highWatermarkCheckpointIntervalMs: 'replica.high.watermark.checkpoint.interval.ms',
  messageLatencyMedianMs: 'latency median (ms)',
  messageLatencyP99Ms: 'latency p99 (ms)',
  produceIntervalMs: 'produce interval (ms)',
  restartAfterMs: 'restart after (ms)',
  healAfterMs: 'heal after (ms)',
};

/**
 * Timing defaults of the version presets that predate today's: before Kafka 2.5 (KIP-537, KAFKA-9102)
 * `zookeeper.session.timeout.ms` was 6000 and `replica.lag.time.max.ms` 10000 (`KafkaConfig.Defaults`).
 * `kafka-2.3-zk` spans 2.3 to 2.6, across the change: it keeps today's (give the two flags for 2.3-2.4).
 */
export const PRESET_TIMING: Readonly<Record<string, Partial<TimingConfig>>> = {
  'kafka-0.10': { zookeeperSessionTimeoutMs: 6_000, replicaLagTimeMaxMs: 10_000 },
  'kafka-0.11': { zookeeperSessionTimeoutMs: 6_000, replicaLagTimeMaxMs: 10_000 },
};

/** The defaults (of `preset`, where it has its own) with `input` laid over them. */
export function resolveTiming(input: Partial<TimingConfig> = {}, preset?: string): TimingConfig {
  return { ...DEFAULT_TIMING, ...(preset !== undefined ? PRESET_TIMING[preset] : {}), ...input };
}

/** Every problem of a timing config, each naming the setting and the fix; empty when it is usable. */
export function timingProblems(t: TimingConfig): string[] {
  const errors: string[] = [];
  for (const k of Object.keys(DEFAULT_TIMING) as (keyof TimingConfig)[]) {
    const v = t[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      errors.push(`${TIMING_NAMES[k]} must be a non-negative number of milliseconds (got ${JSON.stringify(v)})`);
  }
  if (errors.length) return errors;
  if (t.messageLatencyMedianMs <= 0)
    errors.push(`latency median (${t.messageLatencyMedianMs} ms) must be above 0; give a median such as 1`);
  if (t.messageLatencyP99Ms < t.messageLatencyMedianMs)
    errors.push(
      `latency p99 (${t.messageLatencyP99Ms} ms) is below the median (${t.messageLatencyMedianMs} ms); give a p99 at least the median`,
    );
  if (t.brokerHeartbeatIntervalMs >= t.brokerSessionTimeoutMs)
    errors.push(
      `broker.heartbeat.interval.ms (${t.brokerHeartbeatIntervalMs}) must be below broker.session.timeout.ms (${t.brokerSessionTimeoutMs}), as Kafka requires`,
    );
  if (t.produceIntervalMs <= 0) errors.push('produce interval must be above 0 ms');
  return errors;
}

/** The 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

/**
 * One message's one-way latency: log-normal with the configured median and 99th percentile (a normal
 * deviate from two uniforms, Box-Muller).
 */
export function messageLatency(t: TimingConfig, rng: Rng): number {
  const mu = Math.log(t.messageLatencyMedianMs);
  const sigma = (Math.log(Math.max(t.messageLatencyP99Ms, t.messageLatencyMedianMs)) - mu) / Z99;
  const u1 = 1 - rng.float(); // (0, 1]
  const u2 = rng.float();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.exp(mu + sigma * z);
}

/** A uniform draw from [lo, hi). */
export const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng.float();
