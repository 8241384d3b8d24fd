/**
 * Readers for what Kafka's tools print about a topic: `kafka-configs.sh --describe` (Kafka's
 * `ConfigCommand.describeResourceConfig`: a header `Dynamic configs for topic T are:` — `All` with
 * `--all` — then one `  name=value sensitive=… synonyms={…}` line per config) and `kafka-topics.sh
 * --describe` (`TopicCommand.TopicDescription.printDescription`: `Topic: T<TAB>…<TAB>ReplicationFactor:
 * N<TAB>Configs: a=b,c=d`, then one line per partition). Pure, no I/O.
 */
import type { PropertyEntry } from './parseJavaProperties.js';

/** One topic's settings as a tool printed them. */
export interface TopicDescription {
  readonly topic: string;
  /** From `kafka-topics.sh --describe` (`ReplicationFactor: N`), with its line. */
  readonly replicationFactor?: { readonly value: number; readonly line: number };
  readonly entries: readonly PropertyEntry[];
}

export type ParsedTopicDescription =
  { readonly ok: true; readonly value: TopicDescription } | { readonly ok: false; readonly error: string };

const CONFIGS_HEADER = /^(?:Dynamic|All) configs for topic (\S+) are:\s*$/;
const CONFIG_LINE = /^\s+([^=\s]+)=(.*) sensitive=(?:true|false) synonyms=\{.*\}\s*$/;
const TOPIC_LINE = /^Topic:\s*(\S+)\t/;

/** Whether `text` looks like the output of `kafka-configs.sh --describe` or `kafka-topics.sh --describe`. */
export function isTopicDescription(text: string): boolean {
  return text.split(/\r?\n/).some((l) => CONFIGS_HEADER.test(l) || TOPIC_LINE.test(l));
}

/** The `Configs:` field of a `kafka-topics.sh` topic line: `a=b,c=d` (a value may hold commas). */
function topicsConfigs(field: string, line: number): PropertyEntry[] {
  return field
    .split(/,(?=[A-Za-z0-9._-]+=)/)
    .filter((kv) => kv.includes('='))
    .map((kv) => ({ key: kv.slice(0, kv.indexOf('=')).trim(), value: kv.slice(kv.indexOf('=') + 1).trim(), line }));
}

/** Reads one `kafka-topics.sh --describe` topic line into `topics` and `entries`. */
function readTopicsLine(l: string, line: number, topics: string[], entries: PropertyEntry[]): number | undefined {
  const fields = l.split('\t');
  const name = TOPIC_LINE.exec(l)?.[1] as string;
  if (!topics.includes(name)) topics.push(name);
  let rf: number | undefined;
  for (const f of fields) {
    const m = /^\s*(\w+):\s*(.*)$/.exec(f);
    if (m?.[1] === 'ReplicationFactor' && /^\d+$/.test(m[2] ?? '')) rf = Number(m[2]);
    if (m?.[1] === 'Configs') entries.push(...topicsConfigs(m[2] ?? '', line));
  }
  return rf;
}

/**
 * Parses the output of `kafka-configs.sh --entity-type topics --entity-name T --describe [--all]` or of
 * `kafka-topics.sh --describe --topic T` (or both, one after the other). It must describe exactly one
 * topic. Partition lines, blank lines and other lines are skipped.
 */
export function parseTopicDescription(text: string): ParsedTopicDescription {
  const topics: string[] = [];
  const entries: PropertyEntry[] = [];
  let rf: { value: number; line: number } | undefined;
  let inConfigs = false;
  text.split(/\r?\n/).forEach((l, i) => {
    const line = i + 1;
    const header = CONFIGS_HEADER.exec(l);
    if (header) {
      inConfigs = true;
      if (!topics.includes(header[1] as string)) topics.push(header[1] as string);
      return;
    }
    const config = inConfigs ? CONFIG_LINE.exec(l) : null;
    if (config) {
      entries.push({ key: config[1] as string, value: config[2] as string, line });
      return;
    }
    inConfigs = false;
    if (TOPIC_LINE.test(l)) {
      const value = readTopicsLine(l, line, topics, entries);
      if (value !== undefined) rf = { value, line };
    }
  });
  if (topics.length === 0)
    return {
      ok: false,
      error:
        'no topic found: expected the output of `kafka-configs.sh --describe --entity-type topics --entity-name T` ("Dynamic configs for topic T are:") or of `kafka-topics.sh --describe --topic T` ("Topic: T …")',
    };
  if (topics.length > 1)
    return {
      ok: false,
      error: `it describes ${topics.length} topics (${topics.join(', ')}); audit one topic at a time: describe it with --entity-name T (kafka-configs.sh) or --topic T (kafka-topics.sh)`,
    };
  return { ok: true, value: { topic: topics[0] as string, ...(rf ? { replicationFactor: rf } : {}), entries } };
}
