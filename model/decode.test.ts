import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EncodeSink, always, check } from '../checker/index.js';
import {
  clean,
  decodeState,
  encodeState,
  kafkaModel,
  resolveConfig,
  type ClusterState,
  type ConfigInput,
} from './index.js';
import { EVERY_FAULT_ONCE } from './testing/engines.js';

/** Every reachable state of `input` decodes back from its encoding, and re-encodes to the same integers. */
function roundTrips(input: ConfigInput, maxStates = 60_000): { distinct: number; violated: boolean } {
  const cfg = resolveConfig(input);
  const sink = new EncodeSink();
  const again = new EncodeSink();
  const prop = always<ClusterState>('decode-round-trip', 'decode(encode(s)) equals s', (s) => {
    sink.reset();
    encodeState(s, sink);
    const d = decodeState(cfg, sink.buf.slice(0, sink.len));
    again.reset();
    encodeState(d, again);
    return isDeepStrictEqual(d, s) && isDeepStrictEqual(again.buf.slice(0, again.len), sink.buf.slice(0, sink.len));
  });
  const r = check(kafkaModel(cfg, clean), [prop], { maxStates });
  return { distinct: r.stats.distinct, violated: r.kind === 'violation' };
}

describe('decodeState: the inverse of encodeState', () => {
  it('ZooKeeper mode, every fault kind (crash, power loss, split, message loss, session expiry, controlled shutdown, preferred election, background flush)', () => {
    expect(
      roundTrips({
        brokers: 3,
        partitions: 2,
        assignment: [
          [0, 1],
          [1, 2],
        ],
        replicationFactor: 2,
        minInsyncReplicas: 1,
        backgroundFlush: true,
        bounds: { records: 1, leaderEpochs: 2, partitionEpochs: 3, inFlight: 4 },
        faults: EVERY_FAULT_ONCE,
      }),
    ).toEqual({ distinct: 60_000, violated: false });
  });

  it('KRaft mode with ELR, pre-vote, 3 voters, voter crashes and splits', () => {
    expect(
      roundTrips({
        mode: 'kraft',
        voters: 3,
        elr: true,
        minInsyncReplicas: 1,
        bounds: { records: 1, leaderEpochs: 2, raftEpochs: 2, metadataRecords: 3 },
        faults: { crashes: 1, uncleanShutdowns: 1, networkPartitions: 1 },
      }),
    ).toEqual({ distinct: 60_000, violated: false });
  });

  it('rejects an encoding of another shape', () => {
    const cfg = resolveConfig({});
    const sink = new EncodeSink();
    encodeState(kafkaModel(cfg, clean).initStates()[0] as ClusterState, sink);
    const longer = new Int32Array(sink.len + 1);
    longer.set(sink.buf.subarray(0, sink.len));
    expect(() => decodeState(cfg, longer)).toThrow(/left over; the encoding does not match the config/);
  });
});
