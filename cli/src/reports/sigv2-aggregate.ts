import { COLUMN_NAMES } from 's3-access-logs/log-format';
import { ByteInterner } from './byte-interner';

/**
 * SigV2 requests grouped by requester, built while scanning (only SigV2 lines are looked at), and partial
 * aggregates from threads and byte ranges merge into the same result in any order.
 */

const field = (name: (typeof COLUMN_NAMES)[number]) => COLUMN_NAMES.indexOf(name);
export const SIGV = field('sigv');
const REQUESTER = field('requester');
const USER_AGENT = field('useragent');
const REMOTE_IP = field('remoteip');
const BUCKET = field('bucket_name');
const OPERATION = field('operation');

/** Counts per distinct value of one column (null for NULL). */
export type Counts = Map<string | null, number>;

/** One requester's SigV2 traffic; plain data, so it crosses threads with structured clone. */
export interface RequesterTally {
  requests: number;
  userAgents: Counts;
  remoteIps: Counts;
  buckets: Counts;
  operations: Counts;
  /** Epoch ms; +Infinity / -Infinity while no request time could be read. */
  firstMs: number;
  lastMs: number;
}

/** Keyed by requester (null when anonymous). */
export type Sigv2Tally = Map<string | null, RequesterTally>;

const SIGV2 = Buffer.from('SigV2');

/** Whether the split line's `sigv` field is exactly `SigV2`. */
export function isSigV2(buf: Uint8Array, out: Int32Array): boolean {
  const s = out[2 * SIGV];
  if (s < 0 || out[2 * SIGV + 1] - s !== SIGV2.length) return false;
  for (let i = 0; i < SIGV2.length; i++) if (buf[s + i] !== SIGV2[i]) return false;
  return true;
}

function bump(counts: Counts, key: string | null, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

interface Accumulating {
  requests: number;
  /** Per DIMENSIONS column: value id (see ByteInterner; NULL_ID for NULL) → count. */
  readonly counts: Map<number, { n: number }>[];
  firstMs: number;
  lastMs: number;
}

/** The columns counted per requester, in the order of RequesterTally's count maps. */
const DIMENSIONS = [USER_AGENT, REMOTE_IP, BUCKET, OPERATION];
const NULL_ID = -1;

/**
 * Builds a Sigv2Tally line by line. This is on the hot path (every SigV2 line comes here), so values are
 * counted by byte-interned ids and become strings only in `tally()`.
 */
export class Sigv2Accumulator {
  /** One interner per column, so each column's ids are dense. */
  private readonly interners = [REQUESTER, ...DIMENSIONS].map(() => new ByteInterner());
  /** By requester id; NULL_ID (anonymous) is kept apart. */
  private readonly requesters: Accumulating[] = [];
  private anonymous: Accumulating | undefined;

  /** Adds one SigV2 line (already known to be one) with its request time (NaN if unreadable). */
  add(buf: Buffer, out: Int32Array, timeMs: number): void {
    const requester = this.idOf(buf, out, REQUESTER, 0);
    let entry = requester === NULL_ID ? this.anonymous : this.requesters[requester];
    if (entry === undefined) {
      entry = { requests: 0, counts: DIMENSIONS.map(() => new Map()), firstMs: Infinity, lastMs: -Infinity };
      if (requester === NULL_ID) this.anonymous = entry;
      else this.requesters[requester] = entry;
    }
    entry.requests++;
    for (let i = 0; i < DIMENSIONS.length; i++) {
      const value = this.idOf(buf, out, DIMENSIONS[i], i + 1);
      const box = entry.counts[i].get(value);
      if (box === undefined) entry.counts[i].set(value, { n: 1 });
      else box.n++;
    }
    if (timeMs < entry.firstMs) entry.firstMs = timeMs;
    if (timeMs > entry.lastMs) entry.lastMs = timeMs;
  }

  /** The tally so far, as plain data keyed by text (it crosses threads by structured clone). */
  tally(): Sigv2Tally {
    const text = (column: number, id: number) => (id === NULL_ID ? null : this.interners[column].values[id]);
    const unbox = (m: Map<number, { n: number }>, i: number): Counts =>
      new Map(Array.from(m, ([id, box]) => [text(i + 1, id), box.n]));
    const tally: Sigv2Tally = new Map();
    const add = (requester: string | null, e: Accumulating) => {
      const [userAgents, remoteIps, buckets, operations] = e.counts.map(unbox);
      tally.set(requester, {
        requests: e.requests,
        userAgents,
        remoteIps,
        buckets,
        operations,
        firstMs: e.firstMs,
        lastMs: e.lastMs,
      });
    };
    this.requesters.forEach((e, id) => {
      add(text(0, id), e);
    });
    if (this.anonymous) add(null, this.anonymous);
    return tally;
  }

  private idOf(buf: Buffer, out: Int32Array, field: number, interner: number): number {
    const s = out[2 * field];
    return s < 0 ? NULL_ID : this.interners[interner].id(buf, s, out[2 * field + 1]);
  }
}

/** Adds `from` into `into`. */
export function mergeTally(into: Sigv2Tally, from: Sigv2Tally): void {
  for (const [requester, theirs] of from) {
    const ours = into.get(requester);
    if (ours === undefined) {
      into.set(requester, theirs);
      continue;
    }
    ours.requests += theirs.requests;
    for (const key of ['userAgents', 'remoteIps', 'buckets', 'operations'] as const) {
      for (const [value, n] of theirs[key]) bump(ours[key], value, n);
    }
    ours.firstMs = Math.min(ours.firstMs, theirs.firstMs);
    ours.lastMs = Math.max(ours.lastMs, theirs.lastMs);
  }
}
