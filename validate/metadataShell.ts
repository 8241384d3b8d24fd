import type { BrokerView, ClusterView, PartitionView } from './clusterState.js';
import { emptyCluster, partitionKey } from './clusterState.js';
import { incarnation } from './kafkaJson.js';
import {
  ELR_VERSION,
  METADATA_VERSION,
  RECOVERED,
  RECOVERING,
  RESOURCE_BROKER,
  RESOURCE_TOPIC,
} from './kafkaRecords.js';
import { DumpParseError } from './parseDumpLog.js';

/**
 * `kafka-metadata-shell.sh --snapshot <checkpoint> tree /image`, read and written. The shell prints a
 * node tree (`ShellNodePrinter`): a directory as `name:` with its children indented two more spaces, in
 * `String.compareTo` order (`MetadataNode.print`), a leaf as its text. The nodes are the image's
 * (`metadata/.../image/node/`): `cluster/brokers/<id>` holds `BrokerRegistration.toString()`,
 * `topics/byName/<topic>/<partition>` holds `PartitionRegistration.toString()` next to the topic's `id`
 * and `name`, `configs/<TYPE>[:<name>]/<config>` a config value (`BROKER` alone is the cluster default),
 * `features/metadataVersion` the `MetadataVersion` name and `features/finalized_<feature>` a level, and
 * `provenance` `offset N, epoch E, time T`. With `--snapshot` the shell reads the checkpoint's batches
 * as a log (`SnapshotFileReader`), so N counts records inside the file: it is not the log offset.
 *
 * The image nodes are the shell's since Kafka 3.6 (3.6 lists brokers right under `cluster`; KIP-919 in
 * 3.7 moved them to `cluster/brokers`; KIP-966 added `elr` and `lastKnownElr` to partitions in 3.7). The
 * shell of 3.0-3.5 (`MetadataNodeManager`) kept each record's JSON in its own file (`/topicIds/<id>/<p>/data`,
 * `/brokers/<id>/isFenced`, …), which `cat` prints without the path: it is not read here.
 */

/** KRaft `MetadataVersion`s and their feature levels (`server-common/.../MetadataVersion.java`). */
// prettier-ignore
const METADATA_VERSIONS: readonly string[] = [
  '3.0-IV1', '3.1-IV0', '3.2-IV0', '3.3-IV0', '3.3-IV1', '3.3-IV2', '3.3-IV3', '3.4-IV0', '3.5-IV0',
  '3.5-IV1', '3.5-IV2', '3.6-IV0', '3.6-IV1', '3.6-IV2', '3.7-IV0', '3.7-IV1', '3.7-IV2', '3.7-IV3',
  '3.7-IV4', '3.8-IV0', '3.9-IV0', '4.0-IV0', '4.0-IV1', '4.0-IV2', '4.0-IV3',
];
/** The `MetadataVersion` name of a feature level (level 1 is 3.0-IV1). */
export const metadataVersionName = (level: number): string => METADATA_VERSIONS[level - 1] ?? `level ${level}`;

interface TreeLine {
  readonly text: string;
  readonly line: number;
  readonly children: TreeLine[];
}

export interface ShellSnapshot {
  readonly cluster: ClusterView;
  readonly lines: ReadonlyMap<string, number>;
  readonly warnings: readonly string[];
  /** The provenance offset (records inside the checkpoint file) and epoch, when printed. */
  readonly provenanceOffset?: number;
  readonly epoch?: number;
}

/** Whether `text` looks like the shell's tree (a `cluster:`/`topics:`/`image:` node or a registration). */
export function isShellTree(text: string): boolean {
  return /^(image|cluster|topics):$/m.test(text) || /^\s*(Broker|Partition)Registration\(/m.test(text);
}

/** The indentation tree of the shell's output; throws on a line deeper than its parent allows. */
function parseTree(text: string): TreeLine[] {
  const root: TreeLine[] = [];
  const stack: TreeLine[][] = [root];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    const indent = raw.length - raw.trimStart().length;
    const depth = indent / 2;
    if (!Number.isInteger(depth) || depth >= stack.length)
      throw new DumpParseError(
        i + 1,
        `indented ${indent} spaces, expected at most ${(stack.length - 1) * 2} (kafka-metadata-shell indents each level by 2)`,
      );
    stack.length = depth + 1;
    const node: TreeLine = { text: raw.trim(), line: i + 1, children: [] };
    (stack[depth] as TreeLine[]).push(node);
    stack.push(node.children);
  });
  return root;
}

const child = (nodes: readonly TreeLine[], name: string): TreeLine | undefined =>
  nodes.find((n) => n.text === `${name}:`);
const nameOf = (n: TreeLine): string => n.text.replace(/:$/, '');

/** A leaf's text: the node's one child line (a value ending in ":" reads as a childless node). */
function leaf(n: TreeLine): { text: string; line: number } {
  const [only, ...more] = n.children;
  if (!only || more.length || only.children.length)
    throw new DumpParseError(n.line, `expected one value under ${n.text}`);
  return { text: only.text, line: only.line };
}

/** `Name(k=v, k=v, …)` as Java's `toString` prints it, split at the top level. */
function javaFields(text: string, cls: string, line: number): Map<string, string> {
  if (!text.startsWith(`${cls}(`) || !text.endsWith(')'))
    throw new DumpParseError(line, `expected ${cls}(…), found "${text.slice(0, 60)}"`);
  const body = text.slice(cls.length + 1, -1);
  const out = new Map<string, string>();
  let depth = 0;
  let quoted = false;
  let start = 0;
  const take = (end: number): void => {
    const part = body.slice(start, end);
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch === "'") quoted = !quoted;
    else if (!quoted && '([{'.includes(ch)) depth++;
    else if (!quoted && ')]}'.includes(ch)) depth--;
    else if (!quoted && depth === 0 && body.startsWith(', ', i)) {
      take(i);
      start = i + 2;
    }
  }
  take(body.length);
  return out;
}

function field(f: Map<string, string>, key: string, cls: string, line: number, dflt?: string): string {
  const v = f.get(key) ?? dflt;
  if (v === undefined) throw new DumpParseError(line, `${cls} without ${key}=`);
  return v;
}
function int(v: string, what: string, line: number): number {
  if (!/^-?\d+$/.test(v)) throw new DumpParseError(line, `${what} must be an integer, found "${v}"`);
  return Number(v);
}
function ids(v: string, what: string, line: number): number[] {
  const m = /^\[(.*)\]$/.exec(v);
  if (!m) throw new DumpParseError(line, `${what} must be a list like [1, 2], found "${v}"`);
  return m[1] ? m[1].split(', ').map((x) => int(x, what, line)) : [];
}
function bool(v: string, what: string, line: number): boolean {
  if (v !== 'true' && v !== 'false') throw new DumpParseError(line, `${what} must be true or false, found "${v}"`);
  return v === 'true';
}

/** `BrokerRegistration.toString()`: id, epoch, fenced, inControlledShutdown (3.3 and later). */
function brokerOf(text: string, line: number): BrokerView {
  const cls = 'BrokerRegistration';
  const f = javaFields(text, cls, line);
  const get = (k: string): string => field(f, k, cls, line);
  return {
    id: int(get('id'), 'id', line),
    epoch: int(get('epoch'), 'epoch', line),
    fenced: bool(get('fenced'), 'fenced', line),
    inControlledShutdown: bool(get('inControlledShutdown'), 'inControlledShutdown', line),
  };
}

/** `PartitionRegistration.toString()`; `elr` and `lastKnownElr` are printed from 3.7 (KIP-966). */
function partitionOf(text: string, line: number, topic: string, topicId: string, partitionId: number): PartitionView {
  const cls = 'PartitionRegistration';
  const f = javaFields(text, cls, line);
  const get = (k: string, dflt?: string): string => field(f, k, cls, line, dflt);
  const lrs = get('leaderRecoveryState');
  if (lrs !== 'RECOVERED' && lrs !== 'RECOVERING')
    throw new DumpParseError(line, `leaderRecoveryState must be RECOVERED or RECOVERING, found "${lrs}"`);
  return {
    topicId,
    name: `${topic}-${partitionId}`,
    topic,
    partitionId,
    replicas: ids(get('replicas'), 'replicas', line),
    isr: ids(get('isr'), 'isr', line),
    elr: ids(get('elr', '[]'), 'elr', line),
    lastKnownElr: ids(get('lastKnownElr', '[]'), 'lastKnownElr', line),
    leader: int(get('leader'), 'leader', line),
    leaderEpoch: int(get('leaderEpoch'), 'leaderEpoch', line),
    partitionEpoch: int(get('partitionEpoch'), 'partitionEpoch', line),
    leaderRecoveryState: lrs === 'RECOVERED' ? RECOVERED : RECOVERING,
  };
}

/** The image node (`tree /image`, or `image:` inside `tree /`), with the four nodes validate reads. */
function imageOf(tree: TreeLine[]): Record<'cluster' | 'topics' | 'configs' | 'features', TreeLine> {
  const nodes = child(tree, 'image')?.children ?? tree;
  const out: Partial<Record<'cluster' | 'topics' | 'configs' | 'features', TreeLine>> = {};
  const missing: string[] = [];
  for (const name of ['cluster', 'topics', 'configs', 'features'] as const) {
    const n = child(nodes, name);
    if (n) out[name] = n;
    else missing.push(`${name}:`);
  }
  if (missing.length)
    throw new DumpParseError(
      (tree.at(-1)?.line ?? 0) + 1,
      `no ${missing.join(', ')} node: expected the whole image as \`kafka-metadata-shell.sh --snapshot <N>-<epoch>.checkpoint tree /image\` prints it`,
    );
  return out as Record<'cluster' | 'topics' | 'configs' | 'features', TreeLine>;
}

function readFeatures(c: ClusterView, features: TreeLine, warnings: string[]): void {
  for (const n of features.children) {
    const name = nameOf(n);
    const v = leaf(n);
    if (name === 'metadataVersion') {
      const level = METADATA_VERSIONS.indexOf(v.text) + 1;
      if (level) c.features.set(METADATA_VERSION, level);
      else if (/^([4-9]|\d\d)\.\d+-IV\d+$/.test(v.text)) {
        c.features.set(METADATA_VERSION, METADATA_VERSIONS.length);
        warnings.push(`metadata.version ${v.text} is newer than ${METADATA_VERSIONS.at(-1)}: read as it`);
      } else throw new DumpParseError(v.line, `unknown metadata.version "${v.text}" (expected e.g. 3.9-IV0)`);
    } else if (name.startsWith('finalized_'))
      c.features.set(name.slice('finalized_'.length), int(v.text, name, v.line));
  }
}

function readConfigs(c: ClusterView, configs: TreeLine): void {
  for (const r of configs.children) {
    const [type, ...rest] = nameOf(r).split(':');
    const id = type === 'TOPIC' ? RESOURCE_TOPIC : type === 'BROKER' ? RESOURCE_BROKER : undefined;
    if (id === undefined) continue; // broker loggers, client metrics, groups: nothing validate reads
    const m = new Map<string, string>();
    for (const n of r.children) m.set(nameOf(n), n.children.length ? leaf(n).text : ''); // "" prints a blank line
    c.configs.set(`${id}:${rest.join(':')}`, m);
  }
}

function readTopics(c: ClusterView, topics: TreeLine, lines: Map<string, number>): void {
  const byName = child(topics.children, 'byName');
  const byId = child(topics.children, 'byId');
  for (const t of (byName ?? byId)?.children ?? []) {
    const idNode = child(t.children, 'id');
    const nameNode = child(t.children, 'name');
    if (!idNode || !nameNode) throw new DumpParseError(t.line, `topic ${t.text} without its id: and name: nodes`);
    const topicId = leaf(idNode).text;
    const topic = leaf(nameNode).text;
    c.topics.set(topicId, topic);
    for (const p of t.children.filter((n) => /^\d+:$/.test(n.text))) {
      const v = leaf(p);
      const key = partitionKey(topicId, Number(nameOf(p)));
      c.partitions.set(key, partitionOf(v.text, v.line, topic, topicId, Number(nameOf(p))));
      lines.set(key, v.line);
    }
  }
}

/** Reads `tree /image` (or `tree /`) output into the cluster it shows. */
export function readShellTree(text: string): ShellSnapshot {
  const tree = parseTree(text);
  const image = imageOf(tree);
  const cluster = emptyCluster();
  const warnings: string[] = [];
  const lines = new Map<string, number>();
  // 3.7 and later: cluster/brokers/<id> (KIP-919 added cluster/controllers); 3.6: cluster/<id>
  const brokers =
    child(image.cluster.children, 'brokers')?.children ?? image.cluster.children.filter((n) => /^\d+:$/.test(n.text));
  for (const n of brokers) {
    const v = leaf(n);
    const b = brokerOf(v.text, v.line);
    if (String(b.id) !== nameOf(n)) throw new DumpParseError(v.line, `broker ${b.id} under node ${n.text}`);
    cluster.brokers.set(b.id, b);
  }
  readFeatures(cluster, image.features, warnings);
  readConfigs(cluster, image.configs);
  readTopics(cluster, image.topics, lines);
  const provenance = child(child(tree, 'image')?.children ?? tree, 'provenance');
  const prov = provenance ? /^offset (-?\d+), epoch (-?\d+),/.exec(leaf(provenance).text) : null;
  return {
    cluster,
    lines,
    warnings,
    ...(prov ? { provenanceOffset: Number(prov[1]), epoch: Number(prov[2]) } : {}),
  };
}

type Node = string | { readonly [name: string]: Node };

/** Java's `String.compareTo`: by UTF-16 code units, whatever the locale. */
export const byUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `ShellNodePrinter`'s lines for `node`'s children, sorted as `MetadataNode.print` sorts them. */
function printTree(node: { readonly [name: string]: Node }, indent: string, out: string[]): void {
  for (const name of Object.keys(node).sort(byUnits)) {
    out.push(`${indent}${name}:`);
    const c = node[name] as Node;
    if (typeof c === 'string') out.push(`${indent}  ${c}`);
    else printTree(c, `${indent}  `, out);
  }
}

/** Java's `ISO_ZONED_DATE_TIME` of an instant in UTC (fraction only when non-zero). */
function isoUtc(ms: number): string {
  const d = new Date(ms).toISOString();
  const frac =
    ms % 1000
      ? `.${String(ms % 1000)
          .padStart(3, '0')
          .replace(/0+$/, '')}`
      : '';
  return `${d.slice(0, 19)}${frac}Z[UTC]`;
}

const javaList = (xs: readonly (number | string)[]): string => `[${xs.join(', ')}]`;

function partitionText(p: PartitionView, elr: boolean): string {
  const dir = elr ? 'AAAAAAAAAAAAAAAAAAAAAQ' : 'AAAAAAAAAAAAAAAAAAAAAA';
  return `PartitionRegistration(replicas=${javaList(p.replicas)}, directories=${javaList(p.replicas.map(() => dir))}, isr=${javaList(p.isr)}, removingReplicas=[], addingReplicas=[], elr=${javaList(p.elr)}, lastKnownElr=${javaList(p.lastKnownElr)}, leader=${p.leader}, leaderRecoveryState=${p.leaderRecoveryState === RECOVERING ? 'RECOVERING' : 'RECOVERED'}, leaderEpoch=${p.leaderEpoch}, partitionEpoch=${p.partitionEpoch})`;
}

function brokerText(b: BrokerView): string {
  return `BrokerRegistration(id=${b.id}, epoch=${b.epoch}, incarnationId=${incarnation(b.id)}, listeners=[Endpoint(listenerName='PLAINTEXT', securityProtocol=PLAINTEXT, host='broker-${b.id}', port=9092)], supportedFeatures={}, rack=Optional.empty, fenced=${b.fenced}, inControlledShutdown=${b.inControlledShutdown}, isMigratingZkBroker=false, directories=[])`;
}

/**
 * What `kafka-metadata-shell.sh --snapshot <checkpoint> tree /image` prints for a snapshot of `c` whose
 * records end at offset `lastOffset` inside the file (the provenance), written at `timeMs`.
 */
export function formatShellTree(c: ClusterView, prov: { lastOffset: number; epoch: number; timeMs: number }): string {
  const elr = (c.features.get(ELR_VERSION) ?? 0) >= 1;
  const topic = (topicId: string, name: string): Node => {
    const parts = [...c.partitions.values()].filter((p) => p.topicId === topicId);
    return {
      name,
      id: topicId,
      ...Object.fromEntries(parts.map((p) => [String(p.partitionId), partitionText(p, elr)])),
    };
  };
  const configs = [...c.configs].map(([key, m]) => {
    const [type, ...rest] = key.split(':');
    const name = `${Number(type) === RESOURCE_TOPIC ? 'TOPIC' : 'BROKER'}${rest.join(':') ? `:${rest.join(':')}` : ''}`;
    return [name, Object.fromEntries(m)] as const;
  });
  const features = [...c.features].filter(([n]) => n !== METADATA_VERSION).map(([n, l]) => [`finalized_${n}`, `${l}`]);
  const image: Node = {
    acls: {},
    clientQuotas: {},
    cluster: {
      brokers: Object.fromEntries([...c.brokers.values()].map((b) => [String(b.id), brokerText(b)])),
      controllers: {},
    },
    configs: Object.fromEntries(configs),
    delegationToken: {},
    features: {
      ...Object.fromEntries(features),
      metadataVersion: metadataVersionName(c.features.get(METADATA_VERSION) ?? METADATA_VERSIONS.length),
      zkMigrationState: 'NONE',
    },
    producerIds: { nextProducerId: '-1' },
    provenance: `offset ${prov.lastOffset}, epoch ${prov.epoch}, time ${isoUtc(prov.timeMs)}`,
    scram: { 'SCRAM-SHA-256': {}, 'SCRAM-SHA-512': {} },
    topics: {
      byId: Object.fromEntries([...c.topics].map(([id, name]) => [id, topic(id, name)])),
      byName: Object.fromEntries([...c.topics].map(([id, name]) => [name, topic(id, name)])),
    },
  };
  const out: string[] = [];
  printTree(image, '', out);
  return `${out.join('\n')}\n`;
}
