export * from './config.js';
export * from './state.js';
export * from './actions.js';
export { kafkaModel, type KafkaModel, type KafkaModelOptions } from './kafkaModel.js';
export { formatAction, formatState } from './format.js';
export { encodeState } from './encode.js';
export { RuleError } from './transitions/controller.js';
export * from './election/index.js';
export { PRESETS, presetNamed, presetNames, type Preset } from './presets.js';
