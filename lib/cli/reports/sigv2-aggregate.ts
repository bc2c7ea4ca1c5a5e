import { COLUMN_NAMES } from '../../log-format';

/**
 * SigV2 requests grouped by requester, built while scanning: only SigV2 lines are decoded into strings, and
 * partial aggregates from threads and byte ranges merge into the same result in any order.
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

function text(buf: Buffer, out: Int32Array, index: number): string | null {
  const s = out[2 * index];
  // No encoding argument: Buffer#toString then goes straight to its UTF-8 path (this runs per SigV2 line).
  return s < 0 ? null : buf.toString(undefined, s, out[2 * index + 1]);
}

function bump(counts: Counts, key: string | null, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/** One count, boxed so that counting a value already seen takes one Map lookup instead of two. */
interface Box {
  n: number;
}

type BoxedCounts = Map<string | null, Box>;

interface Accumulating {
  requests: number;
  /** Counts of the DIMENSIONS columns, in order. */
  readonly counts: BoxedCounts[];
  firstMs: number;
  lastMs: number;
}

/** The columns counted per requester, in the order of RequesterTally's count maps. */
const DIMENSIONS = [USER_AGENT, REMOTE_IP, BUCKET, OPERATION];

/** Builds a Sigv2Tally line by line (this is on the hot path: only SigV2 lines come here). */
export class Sigv2Accumulator {
  private readonly requesters = new Map<string | null, Accumulating>();

  /** Adds one SigV2 line (already known to be one) with its request time (NaN if unreadable). */
  add(buf: Buffer, out: Int32Array, timeMs: number): void {
    const requester = text(buf, out, REQUESTER);
    let entry = this.requesters.get(requester);
    if (entry === undefined) {
      entry = { requests: 0, counts: DIMENSIONS.map(() => new Map()), firstMs: Infinity, lastMs: -Infinity };
      this.requesters.set(requester, entry);
    }
    entry.requests++;
    for (let i = 0; i < DIMENSIONS.length; i++) {
      const value = text(buf, out, DIMENSIONS[i]);
      const box = entry.counts[i].get(value);
      if (box === undefined) entry.counts[i].set(value, { n: 1 });
      else box.n++;
    }
    if (timeMs < entry.firstMs) entry.firstMs = timeMs;
    if (timeMs > entry.lastMs) entry.lastMs = timeMs;
  }

  /** The tally so far, as plain data (it crosses threads by structured clone). */
  tally(): Sigv2Tally {
    const unbox = (m: BoxedCounts): Counts => new Map(Array.from(m, ([value, box]) => [value, box.n]));
    const tally: Sigv2Tally = new Map();
    for (const [requester, e] of this.requesters) {
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
    }
    return tally;
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
