import type { JsonRecord, OutBatch } from '../dumpWriter.js';

/**
 * Corrupts an exported log in place, for the tests: the first `PartitionChangeRecord` that elects a
 * leader and sets a non-empty ISR elects instead a replica (of brokers 0-2) outside that ISR. Returns
 * the corrupted record's offset (as `formatDump` numbers them), or -1 when no record qualifies.
 */
export function electOutsideIsr(batches: readonly OutBatch[]): number {
  let offset = 0;
  for (const b of batches) {
    if (b.records === 'leader-change') {
      offset++;
      continue;
    }
    for (const r of b.records) {
      const isr = r.data['isr'] as number[] | undefined;
      const outsider = [0, 1, 2].find((x) => !isr?.includes(x));
      const elects = r.type === 'PARTITION_CHANGE_RECORD' && typeof r.data['leader'] === 'number';
      if (elects && isr?.length && outsider !== undefined) {
        (r as { data: JsonRecord['data'] }).data = { ...r.data, leader: outsider };
        return offset;
      }
      offset++;
    }
  }
  return -1;
}
