/**
 * Counterexamples as data: versioned trace files, replay, text/table rendering, ITF export, the HTML
 * viewer and pinned regressions.
 */
export {
  TRACE_FORMAT_VERSION,
  STRATEGIES,
  EXPECTATIONS,
  buildTrace,
  traceStates,
  toolVersion,
  regressionsDir,
  isFileRuleRef,
  type Trace,
  type TraceStep,
  type TraceProperty,
  type TraceResult,
  type BuildTraceInput,
  type Strategy,
  type Expectation,
  type RuleRef,
  type BuiltinRuleRef,
  type FileRuleRef,
} from './Trace.js';
export { diffJson, applyChanges, jsonEqual, type StateChange, type Json } from './diff.js';
export { canonicalJson } from './canonicalJson.js';
export { saveTrace, loadTrace, parseTrace, validateTrace, serializeTrace, type SaveOptions } from './io.js';
export { TRACE_SCHEMA } from './traceSchema.js';
export {
  replayTrace,
  meetsExpectation,
  describeReplay,
  knownProperties,
  type ReplayReport,
  type ReplayOptions,
  type RuleResolver,
  type Divergence,
  type PropertyAtEnd,
} from './replay.js';
export { renderTrace, type RenderOptions } from './renderTrace.js';
export { toItf, type ItfTrace, type ItfState, type ItfValue } from './itf.js';
export { renderHtml } from './viewer/renderHtml.js';
export { pinTrace, regressionName, type PinOptions } from './pinTrace.js';
export { builtinRuleResolver, fileRuleRef, sha256File } from './ruleRef.js';
