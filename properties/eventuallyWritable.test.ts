import { describe, expect, it } from 'vitest';
import { checkLiveness, formatPath } from '../checker/index.js';
import type { ConfigInput } from '../model/index.js';
import { KAFKA_LIVENESS_OPTIONS, eventuallyWritable, notWritable } from './index.js';
import { modelFor, stateAfter } from './testSupport.js';

/** One crash, no network partition, the audit's bounds. */
const ONE_CRASH: ConfigInput = {
  faults: { crashes: 1, networkPartitions: 0 },
  bounds: { records: 1, leaderEpochs: 2, partitionEpochs: 3 },
};

describe('eventually-writable', () => {
  it('holds with RF 3 and min.insync.replicas=2 after one crash (two replicas remain)', () => {
    const m = modelFor(ONE_CRASH);
    const r = checkLiveness(m, [eventuallyWritable(m.config)], KAFKA_LIVENESS_OPTIONS);
    expect(r.outcomes[0]?.status).toBe('holds');
    expect(r.stats.distinct).toBe(29_459);
  });

  it('fails with RF 2 and min.insync.replicas=2: once the follower is out of the ISR and crashed, writes stay refused', () => {
    const m = modelFor({ ...ONE_CRASH, brokers: 2, replicationFactor: 2, minInsyncReplicas: 2 });
    const r = checkLiveness(m, [eventuallyWritable(m.config)], KAFKA_LIVENESS_OPTIONS);
    const o = r.outcomes[0];
    expect(o?.status).toBe('violated');
    const why =
      "p0's leader b0 has ISR {b0}, fewer than min.insync.replicas=2: acks=all writes fail with NOT_ENOUGH_REPLICAS";
    expect(o?.detail?.startsWith(`${why};`)).toBe(true);
    const path = formatPath(o?.path ?? []);
    expect(path).toBe('0/0/0/2/0');
    expect(notWritable(stateAfter(m, path), m.config, 0)).toBe(why);
  });

  it('with min.insync.replicas=1 a crash still blocks writes once the ISR had shrunk to the crashed leader', () => {
    const m = modelFor({ ...ONE_CRASH, brokers: 2, replicationFactor: 2, minInsyncReplicas: 1 });
    const o = checkLiveness(m, [eventuallyWritable(m.config)], KAFKA_LIVENESS_OPTIONS).outcomes[0];
    expect(o?.status).toBe('violated');
    expect(formatPath(o?.path ?? [])).toBe('0/0/0/2/0/0/0/0');
    expect(o?.detail).toMatch(/^p0 has no leader \(offline\);/);
  });

  it('with acks=1 only a working leader is needed; before any fault the cluster is writable', () => {
    const m = modelFor({ ...ONE_CRASH, acks: '1' });
    const s0 = m.initStates()[0];
    expect(s0 && notWritable(s0, m.config, 0)).toBeUndefined();
  });
});
