import {
  EXPECTATIONS,
  OPTIONAL_TRACE_FIELDS,
  STRATEGIES,
  TRACE_FIELDS,
  TRACE_FORMAT_VERSION,
  TRACE_STEP_FIELDS,
} from './Trace.js';

/**
 * The JSON Schema (draft-07) of a trace file, format version 1. `traces/trace.schema.json` is this object
 * written out (a test keeps the two identical), for editors and other tools. After changing it, regenerate
 * the file: `npx tsx -e "import {TRACE_SCHEMA as s} from './traces/traceSchema.ts'; process.stdout.write(JSON.stringify(s, null, 2))" > traces/trace.schema.json && npx prettier --write traces/trace.schema.json`.
 *
 * The envelope (what a trace is about and how it was found) is strict; the model's own data (config,
 * state, action) is checked only for the fields replay relies on, so traces stay readable while the model
 * grows: replay, not the schema, tells whether a trace still fits the current model. Unknown top-level
 * fields are allowed so that adding an optional field needs no format bump.
 */
export const TRACE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:kafka-mc:trace-format:1',
  title: 'kafka-mc trace',
  description:
    'One behaviour of the Kafka model that violates (or exemplifies) a property: replay handle, context and expanded steps.',
  type: 'object',
  required: TRACE_FIELDS.filter((k) => !OPTIONAL_TRACE_FIELDS.includes(k)),
  properties: {
    formatVersion: { const: TRACE_FORMAT_VERSION, description: 'Trace format version.' },
    tool: {
      type: 'object',
      required: ['name', 'version'],
      properties: { name: { type: 'string' }, version: { type: 'string' } },
    },
    commandLine: { type: 'array', items: { type: 'string' }, description: 'argv of the command that found it.' },
    model: { type: 'string', description: 'Model name, e.g. kafka-zk.' },
    property: {
      type: 'object',
      required: ['id', 'title', 'kind'],
      properties: {
        id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
        title: { type: 'string' },
        kind: { enum: ['always', 'sometimes', 'eventually'] },
      },
    },
    status: { enum: ['violated', 'found'] },
    expectation: { enum: [...EXPECTATIONS] },
    rule: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1 },
        path: { type: 'string', minLength: 1 },
        sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
      dependencies: { path: ['sha256'], sha256: ['path'] },
      additionalProperties: false,
    },
    strategy: { enum: [...STRATEGIES] },
    seed: { type: 'integer' },
    path: {
      type: 'array',
      minItems: 1,
      items: { type: 'integer', minimum: 0 },
      description: '[initIndex, actionIndex, ...]',
    },
    loopStart: { type: 'integer', minimum: 0 },
    detail: { type: 'string' },
    warnings: { type: 'array', items: { type: 'string' } },
    config: {
      type: 'object',
      required: [
        'mode',
        'brokers',
        'partitions',
        'replicationFactor',
        'assignment',
        'minInsyncReplicas',
        'acks',
        'uncleanLeaderElection',
        'electionRule',
        'truncation',
        'mechanisms',
        'faults',
        'bounds',
      ],
      properties: {
        mode: { enum: ['zk', 'kraft'] },
        brokers: { type: 'integer', minimum: 1 },
        partitions: { type: 'integer', minimum: 1 },
        replicationFactor: { type: 'integer', minimum: 1 },
        assignment: { type: 'array', items: { type: 'array', items: { type: 'integer', minimum: 0 } } },
        minInsyncReplicas: { type: 'integer', minimum: 1 },
        acks: { enum: ['all', '1'] },
        uncleanLeaderElection: { type: 'boolean' },
        electionRule: { type: 'string' },
        truncation: { enum: ['high-watermark', 'leader-epoch-offset', 'leader-epoch', 'diverging-epoch'] },
        backgroundFlush: { type: 'boolean' },
        fetchMaxRecords: { type: 'integer', minimum: 0 },
        autoLeaderRebalance: { type: 'boolean' },
        leaderImbalancePercentage: { type: 'integer', minimum: 0, maximum: 100 },
        mechanisms: { type: 'object', additionalProperties: { type: 'boolean' } },
        faults: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
        bounds: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
      },
    },
    initialState: {
      type: 'object',
      required: ['brokers'],
      properties: { brokers: { type: 'array', items: { type: 'object' } } },
    },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        required: TRACE_STEP_FIELDS,
        properties: {
          step: { type: 'integer', minimum: 1 },
          actionIndex: { type: 'integer', minimum: 0 },
          text: { type: 'string' },
          action: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' } } },
          changes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['path'],
              properties: { path: { type: 'string', minLength: 1 }, old: {}, new: {} },
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
    },
  },
} as const;
