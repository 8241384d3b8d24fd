import type { Property } from '../checker/index.js';
import { NETWORK, NETWORK_BUDGET, type ClusterState, type ModelConfig } from '../model/index.js';

/** What a property is for: an invariant, a liveness property under fairness, or a vacuity guard. */
export type PropertyGroup = 'safety' | 'liveness' | 'guard';

/** What `kafka-mc explain <id>` says about a property beyond its id, title and kind. */
export interface PropertyDoc {
  /** The property in Kafka terms: what it states, over which state, and what makes it fail. */
  readonly invariant: string;
  /** The mechanisms that protect it, each with the flag that turns it off (a guard: what it needs to be reached). */
  readonly protectedBy?: readonly string[];
  /** A command line that makes it fail (a guard: that reaches it). */
  readonly seeItFail?: string;
}

/** What a property's own file declares about it; `defineProperty` makes the catalog entry. */
export interface PropertyDefinition {
  /** Stable kebab-case id; equal to the built property's `id`. */
  readonly id: string;
  /** One sentence; equal to the built property's `title`. */
  readonly title: string;
  /** Equal to the built property's `kind`; decides its group. */
  readonly kind: Property<ClusterState>['kind'];
  readonly doc: PropertyDoc;
  /** Builds the property for a config (properties that read the config take it here). */
  build(cfg: ModelConfig): Property<ClusterState>;
  /** Whether it belongs in the default set for `cfg` (see `PropertyInfo.applies`); always when not given. */
  applies?(cfg: ModelConfig): boolean;
  /**
   * State components the built property never reads (`Property.ignores`, for partial-order reduction).
   * Default: safety properties and guards ignore the network (`split`, `split-budget`), liveness properties may read it.
   * `model/reduction.test.ts` checks every property that claims to ignore the network.
   */
  readonly ignores?: readonly string[];
}

/** One entry of the property catalog (what `kafka-mc list` and `kafka-mc explain <id>` print). */
export interface PropertyInfo extends PropertyDefinition {
  readonly group: PropertyGroup;
  /** The same text as `doc.invariant`. */
  readonly description: string;
  /**
   * Whether the property belongs in the default set for `cfg`: a guard whose event the config makes
   * impossible, or a liveness property the config is expected to violate, is left out.
   */
  applies(cfg: ModelConfig): boolean;
}

const GROUP_OF_KIND: Readonly<Record<PropertyDefinition['kind'], PropertyGroup>> = {
  always: 'safety',
  eventually: 'liveness',
  sometimes: 'guard',
};

/** The catalog entry of a property: its definition, with the group its kind implies. */
export function defineProperty(def: PropertyDefinition): PropertyInfo {
  const ignores = def.ignores ?? (def.kind === 'eventually' ? [] : [NETWORK, NETWORK_BUDGET]);
  return {
    ...def,
    ignores,
    build: (cfg) => ({ ...def.build(cfg), ignores }),
    group: GROUP_OF_KIND[def.kind],
    description: def.doc.invariant,
    applies: def.applies ?? (() => true),
  };
}
