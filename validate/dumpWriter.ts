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

/** The dump text of `batches`, offsets from 0, as for the segment file `fileName`. */
export function formatDump(batches: readonly OutBatch[], fileName = '00000000000000000000.log'): string {
  const out = [`Dumping ${fileName}`, 'Log starting offset: 0'];
  let offset = 0;
  let position = 0;
  for (const b of batches) {
    const control = b.records === 'leader-change';
    const payloads = control ? [] : (b.records as readonly JsonRecord[]).map((r) => JSON.stringify(r));
    const count = control ? 1 : payloads.length;
    const time = BASE_TIME + offset * 1000;
    const size = 61 + (control ? 29 : payloads.reduce((n, p) => n + 8 + Math.ceil(p.length / 2), 0));
    out.push(
      `baseOffset: ${offset} lastOffset: ${offset + count - 1} count: ${count} baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: ${b.epoch} isTransactional: false isControl: ${control} deleteHorizonMs: OptionalLong.empty position: ${position} CreateTime: ${time} size: ${size} magic: 2 compresscodec: none crc: ${crc(payloads.join('') + String(offset))} isvalid: true`,
    );
    if (control)
      out.push(
        `| offset: ${offset} CreateTime: ${time} keySize: 4 valueSize: 19 sequence: -1 headerKeys: [] controlType: LEADER_CHANGE(2)`,
      );
    payloads.forEach((p, i) =>
      out.push(
        `| offset: ${offset + i} CreateTime: ${time} keySize: -1 valueSize: ${Math.ceil(p.length / 2)} sequence: -1 headerKeys: [] payload: ${p}`,
      ),
    );
    offset += count;
    position += size;
  }
  return `${out.join('\n')}\n`;
}

/** A stand-in checksum (FNV-1a): deterministic, so exported files are stable. */
function crc(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
