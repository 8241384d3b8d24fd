import type { Property } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';
import * as properties from '../properties/index.js';
import { UsageError } from './UsageError.js';
import { unknownName } from './suggest.js';

type KafkaProperty = Property<ClusterState>;

function isProperty(x: unknown): x is KafkaProperty {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Partial<KafkaProperty>;
  return (
    typeof p.id === 'string' &&
    typeof p.title === 'string' &&
    typeof p.holds === 'function' &&
    (p.kind === 'always' || p.kind === 'sometimes' || p.kind === 'eventually')
  );
}

/**
 * Every property the properties/ folder exports (single ones and those in lists), once each, in export
 * order: new properties appear on the command line without a CLI change.
 */
export function allProperties(): readonly KafkaProperty[] {
  const out = new Map<string, KafkaProperty>();
  const add = (x: unknown): void => {
    if (isProperty(x) && !out.has(x.id)) out.set(x.id, x);
  };
  for (const p of properties.SAFETY) add(p);
  for (const p of properties.GUARDS) add(p);
  for (const v of Object.values(properties as Record<string, unknown>)) {
    if (Array.isArray(v)) for (const x of v as unknown[]) add(x);
    else add(v);
  }
  return [...out.values()];
}

/** The properties checked when `--property` is not given: every safety property and reachability guard. */
export function defaultProperties(): readonly KafkaProperty[] {
  return [...properties.SAFETY, ...properties.GUARDS];
}

/** Resolves `--property` ids (in the order given, duplicates dropped); an unknown id is a usage error. */
export function selectProperties(ids: readonly string[]): readonly KafkaProperty[] {
  if (ids.length === 0) return defaultProperties();
  const all = allProperties();
  const known = all.map((p) => p.id);
  const problems: string[] = [];
  const out: KafkaProperty[] = [];
  for (const id of ids) {
    const p = all.find((q) => q.id === id);
    if (!p) problems.push(unknownName('property', id, known, 'properties'));
    else if (!out.includes(p)) out.push(p);
  }
  if (problems.length === 1) throw new UsageError(problems[0] as string);
  if (problems.length) throw new UsageError(`${problems.length} unknown properties`, problems);
  return out;
}
