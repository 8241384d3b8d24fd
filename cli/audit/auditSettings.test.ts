import { describe, expect, it } from 'vitest';
import { auditConfig, auditSettings, presetForVersion, type SettingsFile } from './auditSettings.js';
import { parseJavaProperties } from './parseJavaProperties.js';

function file(name: string, text: string): SettingsFile {
  const r = parseJavaProperties(text);
  if (!r.ok) throw new Error(r.error);
  return { name, entries: r.entries };
}

describe('presetForVersion', () => {
  it('maps ZooKeeper-mode versions to the generation presets', () => {
    const zk = (v: string): unknown => presetForVersion('zk', v);
    expect(zk('0.10.2-IV0')).toEqual({ preset: 'kafka-0.10' });
    expect(zk('1.1')).toEqual({ preset: 'kafka-0.11' });
    expect(zk('2.2-IV1')).toEqual({ preset: 'kafka-2.3-zk', nearest: true });
    expect(zk('2.3')).toEqual({ preset: 'kafka-2.3-zk' });
    expect(zk('2.8')).toEqual({ preset: 'kafka-2.x-zk' });
    expect(zk('3.6-IV2')).toEqual({ preset: 'kafka-3.x-zk' });
    expect(zk('3.9-IV0')).toEqual({ preset: 'kafka-3.9-zk' });
    expect(zk('4.0')).toEqual({
      problem:
        'Kafka 4.0 has no ZooKeeper mode (removed in 4.0, KIP-833): set process.roles (KRaft) or pass --kafka-version 3.9',
    });
    expect(zk('latest')).toEqual({ problem: 'Kafka version "latest" is not a version such as 3.9 or 3.9-IV0' });
  });

  it('maps KRaft versions: 3.7-3.9 and 4.x; older KRaft has no preset', () => {
    expect(presetForVersion('kraft', '3.8')).toEqual({ preset: 'kafka-3.x-kraft' });
    expect(presetForVersion('kraft', '4.1-IV0')).toEqual({ preset: 'kafka-4.x-kraft-elr' });
    expect(presetForVersion('kraft', '3.5')).toEqual({
      problem:
        'KRaft mode before Kafka 3.7 (3.5) has no preset; the nearest is kafka-3.x-kraft: pass --kafka-version 3.7',
    });
  });
});

describe('auditSettings', () => {
  const broker = file(
    'server.properties',
    'process.roles=broker\nnode.id=1\ndefault.replication.factor=3\nmin.insync.replicas=1\ninter.broker.protocol.version=3.9\n',
  );

  it('reads KRaft from process.roles; the topic config wins over the broker default; flags win over both', () => {
    const topic = file('topic.properties', 'min.insync.replicas=2\nretention.ms=1000\n');
    const r = auditSettings(broker, { file: topic, description: undefined }, { acks: '1' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.value;
    expect(s.mode).toEqual({ value: 'kraft', from: 'server.properties:1 (process.roles)' });
    expect(s.preset).toEqual({ value: 'kafka-3.x-kraft', from: 'Kafka 3.9' });
    expect(s.replicationFactor).toEqual({ value: 3, from: 'server.properties:3' });
    expect(s.minInsyncReplicas).toEqual({ value: 2, from: 'topic.properties:1' });
    expect(s.uncleanLeaderElection).toEqual({
      value: false,
      from: "Kafka's default for 3.9 (unclean.leader.election.enable=false)",
    });
    expect(s.acks).toEqual({ value: '1', from: '--acks' });
    expect(s.elr).toEqual({ value: false, from: 'preset kafka-3.x-kraft' });
    expect(s.ignored).toEqual(['server.properties:2 node.id', 'topic.properties:2 retention.ms']);
  });

  it('ELR from eligible.leader.replicas.version, and the model config it gives (RF 3 → 3 brokers, audit bounds)', () => {
    const elr = file('s.properties', 'process.roles=broker\neligible.leader.replicas.version=1\n');
    const r = auditSettings(elr, undefined, { replicationFactor: 3, kafkaVersion: '4.0' });
    expect(r.ok && r.value.elr).toEqual({ value: true, from: 's.properties:2' });
    if (!r.ok) return;
    const c = auditConfig(r.value, { crashes: 1 });
    expect([c.mode, c.brokers, c.replicationFactor, c.minInsyncReplicas, c.elr, c.preVote]).toEqual([
      'kraft',
      3,
      3,
      1,
      true,
      true,
    ]);
    expect(c.faults).toEqual({
      crashes: 1,
      uncleanShutdowns: 0,
      networkPartitions: 0,
      messageLosses: 0,
      sessionExpiries: 0,
      controlledShutdowns: 0,
      preferredElections: 0,
      uncleanElections: 0,
    });
    expect(c.bounds.records).toBe(1);
  });

  it('Kafka 0.10 defaults to unclean elections, as it did (KIP-106 changed the default in 0.11)', () => {
    const old = file('s.properties', 'zookeeper.connect=zk\ninter.broker.protocol.version=0.10.2\n');
    const r = auditSettings(old, undefined, {});
    expect(r.ok && r.value.uncleanLeaderElection.value).toBe(true);
    expect(r.ok && r.value.replicationFactor).toEqual({
      value: 1,
      from: "Kafka's default (default.replication.factor=1)",
    });
  });

  it('ELR keys in a ZooKeeper-mode file change nothing (ELR is KRaft only)', () => {
    const zk = file('s.properties', 'zookeeper.connect=zk\neligible.leader.replicas.enable=true\n');
    const r = auditSettings(zk, undefined, {});
    expect(r.ok && r.value.elr).toEqual({ value: false, from: 'ZooKeeper mode has no ELR' });
    expect(r.ok && auditConfig(r.value, {}).elr).toBe(false);
  });

  it('--elr in ZooKeeper mode is refused', () => {
    const zk = file('s.properties', 'zookeeper.connect=zk\n');
    expect(auditSettings(zk, undefined, { elr: true })).toEqual({
      ok: false,
      problems: ['--elr: Eligible Leader Replicas (KIP-966) exist only in KRaft mode; drop --elr'],
    });
  });
});
