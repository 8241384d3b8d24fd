/**
 * `kafka-mc validate` as a library: read a `kafka-dump-log.sh --cluster-metadata-decoder` dump, check it
 * against the safety rules and the model's KRaft controller, and write model behaviours as such dumps.
 */
export {
  parseDumpLog,
  DumpParseError,
  type ParsedDump,
  type DumpBatch,
  type DumpEntry,
  type SkippedEntry,
} from './parseDumpLog.js';
export {
  validateLog,
  NOT_CHECKABLE,
  type ValidationReport,
  type SnapshotSummary,
  type PartitionVerdict,
  type RecordFinding,
} from './validateLog.js';
export { CHECKS as VALIDATE_CHECKS } from './checks.js';
export { renderReport as renderValidationReport } from './report.js';
export { exportBatches, exportMetadataText } from './exportMetadata.js';
export { formatDump, type OutBatch, type JsonRecord } from './dumpWriter.js';
export { readSnapshot, snapshotRecords, type SnapshotStart } from './snapshot.js';
export { readShellTree, formatShellTree } from './metadataShell.js';
export { splitAtSnapshot, snapshotText, SNAPSHOT_FORMATS, type SnapshotFormat } from './exportMetadata.js';
export { formatSnapshotDump } from './dumpWriter.js';
