import { describe, expect, it } from 'vitest';
import { isTopicDescription, parseTopicDescription } from './parseTopicDescription.js';

describe('parseTopicDescription', () => {
  it('reads kafka-configs.sh --describe (ConfigCommand: "Dynamic configs for topic T are:")', () => {
    const text = [
      'Dynamic configs for topic orders are:',
      '  min.insync.replicas=2 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:min.insync.replicas=2, DEFAULT_CONFIG:min.insync.replicas=1}',
      '  unclean.leader.election.enable=false sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:unclean.leader.election.enable=false}',
      '  cleanup.policy=compact,delete sensitive=false synonyms={}',
      '',
    ].join('\n');
    expect(isTopicDescription(text)).toBe(true);
    expect(parseTopicDescription(text)).toEqual({
      ok: true,
      value: {
        topic: 'orders',
        entries: [
          { key: 'min.insync.replicas', value: '2', line: 2 },
          { key: 'unclean.leader.election.enable', value: 'false', line: 3 },
          { key: 'cleanup.policy', value: 'compact,delete', line: 4 },
        ],
      },
    });
  });

  it('reads --all output ("All configs for topic T are:") and a sensitive value printed as null', () => {
    const text = 'All configs for topic t are:\n  secret=null sensitive=true synonyms={}\n';
    expect(parseTopicDescription(text)).toEqual({
      ok: true,
      value: { topic: 't', entries: [{ key: 'secret', value: 'null', line: 2 }] },
    });
  });

  it('reads kafka-topics.sh --describe: the replication factor and the Configs field; partition lines skipped', () => {
    const text =
      'Topic: orders\tTopicId: 3XLMgyhUQdaWe7lVr1Ol3w\tPartitionCount: 6\tReplicationFactor: 2\tConfigs: min.insync.replicas=2,cleanup.policy=compact,delete\n' +
      '\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\n';
    expect(parseTopicDescription(text)).toEqual({
      ok: true,
      value: {
        topic: 'orders',
        replicationFactor: { value: 2, line: 1 },
        entries: [
          { key: 'min.insync.replicas', value: '2', line: 1 },
          { key: 'cleanup.policy', value: 'compact,delete', line: 1 },
        ],
      },
    });
  });

  it('reads both outputs of one topic pasted into one file', () => {
    const text =
      'Topic: t\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: \n' +
      'Dynamic configs for topic t are:\n  min.insync.replicas=2 sensitive=false synonyms={}\n';
    const r = parseTopicDescription(text);
    expect(r.ok && r.value.replicationFactor).toEqual({ value: 3, line: 1 });
    expect(r.ok && r.value.entries).toEqual([{ key: 'min.insync.replicas', value: '2', line: 3 }]);
  });

  it('refuses two topics and text that describes none', () => {
    expect(parseTopicDescription('Dynamic configs for topic a are:\nDynamic configs for topic b are:\n')).toEqual({
      ok: false,
      error:
        'it describes 2 topics (a, b); audit one topic at a time: describe it with --entity-name T (kafka-configs.sh) or --topic T (kafka-topics.sh)',
    });
    const none = parseTopicDescription('min.insync.replicas=2\n');
    expect(none.ok).toBe(false);
    expect(isTopicDescription('min.insync.replicas=2\n')).toBe(false);
  });
});
