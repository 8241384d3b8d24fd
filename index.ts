/**
 * The public API of kafka-mc (`import … from 'kafka-mc'`): the checker (engines, properties, paths,
 * results), the Kafka model and its election rules, the Kafka properties, the lab (rule comparison,
 * availability, catalog, mutants), traces (files, replay, rendering) and validate (real clusters'
 * metadata logs). Each layer's own index decides what is public; the names do not clash (the compiler
 * rejects an ambiguous `export *`).
 */
export * from './checker/index.js';
export * from './model/index.js';
export * from './properties/index.js';
export * from './lab/index.js';
export * from './traces/index.js';
export * from './validate/index.js';
