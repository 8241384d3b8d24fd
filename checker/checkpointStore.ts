/**
 * The files of a parallel-engine checkpoint (see `ParallelOptions.checkpoint`): reading and checking
 * them (shape, framing and a SHA-256 per file), writing them atomically (a `checkpoint.tmp` folder
 * renamed into place), and the lock that keeps two runs from checkpointing into one directory.
 */
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  type Stats as FileStats,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { IncompleteReason } from './result.js';
import type { CutCounts, ModelSpec, PropertyMeta } from './parallelProtocol.js';

/** A property outcome the engine found, before its path is rebuilt (kept in checkpoints). */
export interface Found {
  readonly meta: PropertyMeta;
  readonly status: 'violated' | 'found';
  readonly gid: number;
  readonly depth: number;
  readonly detail?: string;
}

/** JSON data a caller stores with a checkpoint (see `ParallelOptions.checkpoint`). */
export type CheckpointLabel =
  string | number | boolean | null | readonly CheckpointLabel[] | { readonly [k: string]: CheckpointLabel };

/** What `checkpoint/meta.json` holds. */
export interface CheckpointMeta {
  /** 2: frontier entries carry their order keys (1: they do not; keys are made up on resume). */
  readonly version: 1 | 2;
  readonly label?: CheckpointLabel;
  readonly spec: ModelSpec;
  readonly workers: number;
  /** The level whose states are in the frontier files. */
  readonly level: number;
  readonly count: number;
  readonly generated: number;
  readonly deepest: number;
  readonly elapsedMs: number;
  readonly traceSizes: readonly number[];
  /** Frontier states per worker. */
  readonly sizes: readonly number[];
  readonly found: readonly Found[];
  readonly reasons: readonly IncompleteReason[];
  readonly options: CheckpointSearchOptions;
  /** The states bounds cut so far (absent in older checkpoints, and when nothing was cut). */
  readonly cuts?: CutCounts;
  /** SHA-256 of every file of the checkpoint, by name (absent in checkpoints of older versions). */
  readonly checksums?: Readonly<Record<string, string>>;
}

/** The search options a checkpoint records (a resumed run keeps them; `null`: no bound). */
export interface CheckpointSearchOptions {
  readonly hashSeed: number;
  readonly maxDepth: number | null;
  readonly maxStates: number | null;
  readonly deadlock: boolean;
  readonly stopOnViolation: boolean;
  readonly maxLoad: number;
  /** Partial-order reduction was allowed (absent in checkpoints written before it existed: it was not). */
  readonly partialOrder?: boolean;
}

/** The checkpoint's folder inside the checkpoint directory. */
export const CHECKPOINT = 'checkpoint';

/** A checkpoint that cannot be resumed: missing, partial or damaged (the message says which). */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

/** What `readCheckpoint` found. */
export interface CheckpointInfo {
  /** The directory holding the checkpoint's files (`<dir>/checkpoint`, or `<dir>/checkpoint.old`). */
  readonly where: string;
  /** The model spec the checkpointed run was started with. */
  readonly spec: ModelSpec;
  readonly workers: number;
  /** The BFS level whose states are the checkpoint's frontier (the level a resumed run expands first). */
  readonly level: number;
  /** Distinct states when the checkpoint was written. */
  readonly count: number;
  /** Frontier states (the level `level`). */
  readonly frontier: number;
  /** Wall time of the run (over all its resumptions) when the checkpoint was written. */
  readonly elapsedMs: number;
  readonly options: CheckpointSearchOptions;
  /** Property outcomes found before the checkpoint (ids and statuses). */
  readonly found: readonly { readonly id: string; readonly status: 'violated' | 'found' }[];
  readonly label?: CheckpointLabel;
}

/**
 * Reads and checks the checkpoint in `dir` without changing anything: `meta.json` must parse and have
 * the expected shape, and the table, trace and frontier files it names must exist and be complete
 * (their length-prefixed records add up to the file sizes). Throws a `CheckpointError` naming the
 * problem. Prefers `<dir>/checkpoint`; falls back to `<dir>/checkpoint.old` (a run killed between the
 * two renames of a checkpoint write).
 */
export function readCheckpoint(dir: string): CheckpointInfo {
  const { where, meta } = loadCheckpoint(dir);
  return {
    where,
    spec: meta.spec,
    workers: meta.workers,
    level: meta.level,
    count: meta.count,
    frontier: meta.sizes.reduce((a, b) => a + b, 0),
    elapsedMs: meta.elapsedMs,
    options: meta.options,
    found: meta.found.map((f) => ({ id: f.meta.id, status: f.status })),
    ...(meta.label !== undefined ? { label: meta.label } : {}),
  };
}

export function loadCheckpoint(dir: string): { where: string; meta: CheckpointMeta } {
  let st: FileStats;
  try {
    st = statSync(dir);
  } catch {
    throw new CheckpointError(`no checkpoint in ${dir}: no such directory`);
  }
  if (!st.isDirectory()) throw new CheckpointError(`no checkpoint in ${dir}: it is a file, not a directory`);
  const base = join(dir, CHECKPOINT);
  const old = join(dir, `${CHECKPOINT}.old`);
  const where = existsSync(join(base, 'meta.json')) ? base : existsSync(join(old, 'meta.json')) ? old : undefined;
  if (where === undefined) {
    const entries = readdirSync(dir).filter((e) => e !== 'lock');
    if (entries.length === 0) throw new CheckpointError(`no checkpoint in ${dir}: the directory is empty`);
    if (entries.includes(`${CHECKPOINT}.tmp`))
      throw new CheckpointError(
        `no checkpoint in ${dir}, only a partial one (${CHECKPOINT}.tmp): the run stopped while writing its first one`,
      );
    if (entries.includes(CHECKPOINT)) throw new CheckpointError(`${base} has no meta.json: the checkpoint is damaged`);
    throw new CheckpointError(`no checkpoint in ${dir} (expected ${base}/meta.json)`);
  }
  const metaFile = join(where, 'meta.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(metaFile, 'utf8'));
  } catch (e) {
    throw new CheckpointError(`${metaFile} is damaged: ${e instanceof Error ? e.message : String(e)}`);
  }
  const problem = metaProblem(raw);
  if (problem !== undefined) throw new CheckpointError(`${metaFile} is damaged: ${problem}`);
  const meta = raw as CheckpointMeta;
  const fileProblem = filesProblem(where, meta) ?? metaChecksumProblem(meta);
  if (fileProblem !== undefined) throw new CheckpointError(`the checkpoint in ${where} is damaged: ${fileProblem}`);
  return { where, meta };
}

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/** What is wrong with a parsed meta.json, or undefined. */
function metaProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'not a JSON object';
  const m = raw as Record<string, unknown>;
  if (m['version'] !== 1 && m['version'] !== 2)
    return `unsupported checkpoint version ${JSON.stringify(m['version'])} (expected 1 or 2)`;
  const spec = m['spec'] as Record<string, unknown> | null | undefined;
  if (
    typeof spec !== 'object' ||
    spec === null ||
    typeof spec['module'] !== 'string' ||
    typeof spec['export'] !== 'string'
  )
    return '"spec" must name a module and an export';
  const workers = m['workers'];
  if (!isCount(workers) || workers < 1) return '"workers" must be a positive integer';
  for (const k of ['level', 'count', 'generated', 'deepest', 'elapsedMs'])
    if (typeof m[k] !== 'number' || !Number.isFinite(m[k]) || (m[k] as number) < 0)
      return `"${k}" must be a non-negative number`;
  for (const k of ['traceSizes', 'sizes']) {
    const a = m[k];
    if (!Array.isArray(a) || a.length !== workers || !a.every(isCount))
      return `"${k}" must list ${workers} non-negative integers (one per worker)`;
  }
  if (!Array.isArray(m['found'])) return '"found" must be a list';
  for (const f of m['found'] as unknown[]) {
    const x = f as { meta?: { id?: unknown }; status?: unknown; gid?: unknown } | null;
    if (typeof x !== 'object' || x === null || typeof x.meta?.id !== 'string' || !isCount(x.gid))
      return '"found" holds an entry without a property id and a state id';
    if (x.status !== 'violated' && x.status !== 'found')
      return `"found" holds an entry with status ${String(x.status)}`;
  }
  if (!Array.isArray(m['reasons']) || !m['reasons'].every((r) => typeof r === 'string'))
    return '"reasons" must be a list of strings';
  const o = m['options'] as Record<string, unknown> | null | undefined;
  if (typeof o !== 'object' || o === null) return 'missing "options"';
  if (typeof o['hashSeed'] !== 'number') return '"options.hashSeed" must be a number';
  for (const k of ['maxDepth', 'maxStates'])
    if (o[k] !== null && !isCount(o[k])) return `"options.${k}" must be a non-negative integer or null`;
  for (const k of ['deadlock', 'stopOnViolation'])
    if (typeof o[k] !== 'boolean') return `"options.${k}" must be true or false`;
  if (o['partialOrder'] !== undefined && typeof o['partialOrder'] !== 'boolean')
    return '"options.partialOrder" must be true or false';
  if (typeof o['maxLoad'] !== 'number' || !(o['maxLoad'] > 0 && o['maxLoad'] < 1))
    return '"options.maxLoad" must be a number between 0 and 1';
  const cuts = m['cuts'] as Record<string, unknown> | undefined;
  if (
    cuts !== undefined &&
    (typeof cuts !== 'object' ||
      cuts === null ||
      !['counts', 'ids', 'keys'].every((k) => Array.isArray(cuts[k]) && (cuts[k] as unknown[]).every(isCount)))
  )
    return '"cuts" must hold "counts", "ids" and "keys", lists of non-negative integers';
  const sums = m['checksums'];
  if (sums !== undefined && (typeof sums !== 'object' || sums === null || Array.isArray(sums)))
    return '"checksums" must map file names to SHA-256 digests';
  for (const v of Object.values((sums ?? {}) as Record<string, unknown>))
    if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)) return '"checksums" must map file names to SHA-256 digests';
  return undefined;
}

/** Whether the files a checkpoint's meta names are there, complete and unchanged; the problem, or undefined. */
function filesProblem(where: string, meta: CheckpointMeta): string | undefined {
  const size = (name: string): number | undefined => {
    try {
      return statSync(join(where, name)).size;
    } catch {
      return undefined;
    }
  };
  const table = size('table.bin');
  if (table === undefined) return 'table.bin is missing';
  if (table < 16 * 8 || table % 8 !== 0) return `table.bin has ${table} bytes (expected a positive multiple of 8)`;
  if (table / 8 <= meta.count)
    return `table.bin has ${table / 8} slots, fewer than the ${meta.count} states it should hold`;
  for (let w = 0; w < meta.workers; w++)
    for (const name of [`trace-${w}.bin`, `frontier-${w}.bin`]) {
      const bytes = size(name);
      if (bytes === undefined) return `${name} is missing`;
      const bad = framingProblem(join(where, name), bytes);
      if (bad !== undefined) return `${name} ${bad}`;
    }
  return meta.checksums ? checksumProblem(where, meta.checksums) : undefined;
}

/** Walks a file of `[u32 little-endian length][bytes]` records; says what is wrong, or undefined. */
function framingProblem(file: string, bytes: number): string | undefined {
  const fd = openSync(file, 'r');
  try {
    const len = Buffer.alloc(4);
    let pos = 0;
    while (pos < bytes) {
      if (pos + 4 > bytes || readSync(fd, len, 0, 4, pos) < 4) return `is truncated (at byte ${pos} of ${bytes})`;
      pos += 4 + len.readUInt32LE(0);
      if (pos > bytes) return `is truncated (a record runs to byte ${pos}, the file has ${bytes})`;
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The key of meta.json's own checksum: the SHA-256 of the meta without its `checksums`. */
const META_SUM = 'meta.json';

function metaDigest(meta: Omit<CheckpointMeta, 'checksums'>): string {
  return createHash('sha256').update(JSON.stringify(meta)).digest('hex');
}

/** Whether meta.json's own content changed since it was written (its numbers are checked nowhere else). */
function metaChecksumProblem(meta: CheckpointMeta): string | undefined {
  const sum = meta.checksums?.[META_SUM];
  if (sum === undefined) return undefined;
  const { checksums: _sums, ...rest } = meta;
  return metaDigest(rest) === sum
    ? undefined
    : 'meta.json does not match its checksum: its content changed after the checkpoint was written';
}

/** SHA-256 of a file, read in 1 MiB pieces. */
function sha256File(file: string): string {
  const h = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let pos = 0; ;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** The first file whose content differs from its recorded checksum, as a problem, or undefined. */
function checksumProblem(where: string, checksums: Readonly<Record<string, string>>): string | undefined {
  for (const [name, sum] of Object.entries(checksums)) {
    if (name === META_SUM) continue;
    let actual: string;
    try {
      actual = sha256File(join(where, name));
    } catch {
      return `${name} is missing`;
    }
    if (actual !== sum)
      return `${name} does not match its checksum (sha256 ${sum.slice(0, 16)}…, the file has ${actual.slice(0, 16)}…): it changed after the checkpoint was written`;
  }
  return undefined;
}

/** Starts writing a checkpoint into `dir`: an empty `checkpoint.tmp` folder, returned. */
export function beginCheckpoint(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `${CHECKPOINT}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  return tmp;
}

/** Writes `chunks` to `file` as `[u32 little-endian length][bytes]` records. */
export function writeFramed(file: string, chunks: Iterable<Uint8Array>): void {
  writeFileSync(file, '');
  const len = Buffer.alloc(4);
  for (const bytes of chunks) {
    len.writeUInt32LE(bytes.byteLength, 0);
    appendFileSync(file, len);
    appendFileSync(file, bytes);
  }
}

/**
 * Writes the shared data of a checkpoint into `tmp`: the fingerprint table (`table.bin`, its buffer as
 * it is) and each worker's trace chunks (`trace-<w>.bin`, framed). The frontier files are the workers'.
 */
export function writeSharedData(tmp: string, table: SharedArrayBuffer, traceChunks: readonly Uint8Array[][]): void {
  writeFileSync(join(tmp, 'table.bin'), new Uint8Array(table));
  traceChunks.forEach((chunks, w) => writeFramed(join(tmp, `trace-${w}.bin`), chunks));
}

/** Reads back what `writeSharedData` wrote, for `workers` workers, into shared buffers. */
export function readSharedData(
  where: string,
  workers: number,
): { readonly table: SharedArrayBuffer; readonly traceChunks: SharedArrayBuffer[][] } {
  const table = toShared(readFileSync(join(where, 'table.bin')));
  const traceChunks: SharedArrayBuffer[][] = [];
  for (let w = 0; w < workers; w++) {
    // trace-w.bin: per chunk, [u32 little-endian byte length][chunk bytes]
    const data = readFileSync(join(where, `trace-${w}.bin`));
    const chunks: SharedArrayBuffer[] = [];
    for (let off = 0; off < data.byteLength; off += 4 + data.readUInt32LE(off))
      chunks.push(toShared(data.subarray(off + 4, off + 4 + data.readUInt32LE(off))));
    traceChunks.push(chunks);
  }
  return { table, traceChunks };
}

function toShared(bytes: Uint8Array): SharedArrayBuffer {
  const b = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(b).set(bytes);
  return b;
}

/**
 * Completes the checkpoint begun in `tmp` (its data files written): records the SHA-256 of each file in
 * its meta.json, then replaces `dir/checkpoint` by it (the previous one stays as `checkpoint.old` until
 * the new one is in place).
 */
export function commitCheckpoint(dir: string, tmp: string, meta: Omit<CheckpointMeta, 'checksums'>): void {
  const checksums: Record<string, string> = { [META_SUM]: metaDigest(meta) };
  for (const name of readdirSync(tmp).sort()) checksums[name] = sha256File(join(tmp, name));
  writeFileSync(join(tmp, 'meta.json'), JSON.stringify({ ...meta, checksums }, null, 2));
  const final = join(dir, CHECKPOINT);
  const old = join(dir, `${CHECKPOINT}.old`);
  rmSync(old, { recursive: true, force: true });
  if (existsSync(final)) renameSync(final, old);
  renameSync(tmp, final);
  rmSync(old, { recursive: true, force: true });
}

/** What `<dir>/lock` holds: who checkpoints into the directory. */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

/** Directories this process holds the lock of, with how many holders (the CLI and the engine). */
const held = new Map<string, number>();

/** Whether process `pid` (of this host) runs. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dir>/lock` for this process (the directory must exist): a second run checkpointing into
 * the same directory is refused with a `CheckpointError` naming the run that holds it. A lock left by
 * a run that is gone (its pid no longer runs on this host) is taken over. Re-entrant within a
 * process. Returns the function that releases it.
 */
export function lockCheckpointDir(dir: string): () => void {
  const file = join(dir, 'lock');
  const count = held.get(file);
  if (count !== undefined) {
    held.set(file, count + 1);
    return () => release(file);
  }
  const me: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      held.set(file, 1);
      return () => release(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0)
        throw new CheckpointError(
          `cannot lock ${dir} for checkpointing: ${e instanceof Error ? e.message : String(e)}`,
        );
    }
    const owner = readOwner(file);
    if (owner && owner.host !== me.host)
      throw new CheckpointError(
        `${dir} is in use by a kafka-mc run on host ${owner.host} (pid ${owner.pid}, started ${owner.started}); two runs cannot checkpoint into one directory (if that run is gone, delete ${file})`,
      );
    if (owner && isRunning(owner.pid))
      throw new CheckpointError(
        `${dir} is in use by another kafka-mc run (pid ${owner.pid}, started ${owner.started}); two runs cannot checkpoint into one directory`,
      );
    // the run that left it is gone: take the lock over
    rmSync(file, { force: true });
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.host === 'string')
      return { pid: o.pid, host: o.host, started: String(o.started ?? '?') };
  } catch {
    // unreadable: treated as stale
  }
  return undefined;
}

function release(file: string): void {
  const count = held.get(file);
  if (count === undefined) return;
  if (count > 1) {
    held.set(file, count - 1);
    return;
  }
  held.delete(file);
  if (readOwner(file)?.pid === process.pid)
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
}

/** Releases every lock this process holds (at exit, when `finally` blocks do not run). */
export function releaseAllCheckpointLocks(): void {
  for (const file of [...held.keys()]) {
    held.set(file, 1);
    release(file);
  }
}
