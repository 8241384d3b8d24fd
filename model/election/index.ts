export type { ElectionReason, ElectionRule, ElectionView, ReplicaLogInfo } from './ElectionRule.js';
export { ELECTION_REASONS } from './ElectionRule.js';
export { clean, unclean, preferred, anyIsr, longestLog, never, BUILTIN_RULES } from './builtins.js';
export { builtinRule, builtinRuleNames, validateRule } from './registry.js';
