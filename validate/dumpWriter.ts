/**
 * Writes metadata record batches as `kafka-dump-log.sh --cluster-metadata-decoder` prints them
 * (`DumpLogSegments.dumpLog` / `printBatchLevel`, `ClusterMetadataLogMessageParser`): what
 * `export-metadata` produces and the fixtures are built from. Timestamps, positions and sizes are
 * deterministic stand-ins (nothing reads them); offsets, epochs and payloads are the content.
 */

/** One record as Kafka's JSON converter writes it. */
export interface JsonRecord {
  readonly type: string;
  readonly version: number;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface OutBatch {
  /** The Raft epoch of the controller that appended it (`partitionLeaderEpoch`). */
  readonly epoch: number;
  /** A Raft `LEADER_CHANGE` control batch (no payload), or metadata records. */
  readonly records: readonly JsonRecord[] | 'leader-change';
}

const BASE_TIME = 1_733_400_000_000;
/** The time a record at `offset` is stamped with. */
export const timeAt = (offset: number): number => BASE_TIME + offset * 1000;

/** A control record as `DumpLogSegments` prints it after the record metadata. */
type Control = { readonly text: string; readonly keySize: number; readonly valueSize: number };

const LEADER_CHANGE: Control = { text: 'controlType: LEADER_CHANGE(2)', keySize: 4, valueSize: 19 };

/** Prints batches from `offset` on; returns the lines. */
function batchLines(
  batches: readonly { readonly epoch: number; readonly records: readonly JsonRecord[] | Control }[],
  offset: number,
): string[] {
  const out: string[] = [];
  let position = 0;
  for (const b of batches) {
    const control = !Array.isArray(b.records) ? (b.records as Control) : undefined;
    const payloads = control ? [] : (b.records as readonly JsonRecord[]).map((r) => JSON.stringify(r));
    const count = control ? 1 : payloads.length;
    const time = timeAt(offset);
    const size = 61 + (control ? 29 : payloads.reduce((n, p) => n + 8 + Math.ceil(p.length / 2), 0));
    out.push(
      `baseOffset: ${offset} lastOffset: ${offset + count - 1} count: ${count} baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: ${b.epoch} isTransactional: false isControl: ${!!control} deleteHorizonMs: OptionalLong.empty position: ${position} CreateTime: ${time} size: ${size} magic: 2 compresscodec: none crc: ${crc(payloads.join('') + String(offset))} isvalid: true`,
    );
    if (control)
      out.push(
        `| offset: ${offset} CreateTime: ${time} keySize: ${control.keySize} valueSize: ${control.valueSize} sequence: -1 headerKeys: [] ${control.text}`,
      );
    payloads.forEach((p, i) =>
      out.push(
        `| offset: ${offset + i} CreateTime: ${time} keySize: -1 valueSize: ${Math.ceil(p.length / 2)} sequence: -1 headerKeys: [] payload: ${p}`,
      ),
    );
    offset += count;
    position += size;
  }
  return out;
}

/** The segment file name of a log starting at `offset` (`LogFileUtils`: 20 digits, `.log`). */
export const segmentName = (offset: number): string => `${String(offset).padStart(20, '0')}.log`;

/**
 * The dump text of `batches` as the segment whose first record is at `firstOffset` (0 by default):
 * `Log starting offset` is the segment's base offset.
 */
export function formatDump(batches: readonly OutBatch[], fileName?: string, firstOffset = 0): string {
  const lines = batchLines(
    batches.map((b) => ({ epoch: b.epoch, records: b.records === 'leader-change' ? LEADER_CHANGE : b.records })),
    firstOffset,
  );
  const out = [`Dumping ${fileName ?? segmentName(firstOffset)}`, `Log starting offset: ${firstOffset}`, ...lines];
  return `${out.join('\n')}\n`;
}

/**
 * A snapshot `<endOffset>-<epoch>.checkpoint` as `kafka-dump-log.sh --cluster-metadata-decoder` prints
 * it: `Snapshot end offset: N, epoch: E`, then the `SnapshotHeader` control batch at offset 0, the
 * records in one batch, the `SnapshotFooter` control batch. A snapshot's offsets count its own records
 * (`RecordsSnapshotWriter` starts at 0) and every batch carries the snapshot's epoch.
 */
export function formatSnapshotDump(records: readonly JsonRecord[], endOffset: number, epoch: number): string {
  const name = `${String(endOffset).padStart(20, '0')}-${String(epoch).padStart(10, '0')}.checkpoint`;
  const header: Control = {
    text: `SnapshotHeader {"version":0,"lastContainedLogTimestamp":${timeAt(Math.max(0, endOffset - 1))}}`,
    keySize: 4,
    valueSize: 11,
  };
  const footer: Control = { text: 'SnapshotFooter {"version":0}', keySize: 4, valueSize: 3 };
  const lines = batchLines(
    [
      { epoch, records: header },
      { epoch, records },
      { epoch, records: footer },
    ],
    0,
  );
  return `${[`Dumping ${name}`, `Snapshot end offset: ${endOffset}, epoch: ${epoch}`, ...lines].join('\n')}\n`;
}

/** A stand-in checksum (FNV-1a): deterministic, so exported files are stable. */
function crc(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
