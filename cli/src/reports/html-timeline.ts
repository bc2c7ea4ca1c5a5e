import { COLUMN_NAMES } from 's3-access-logs/log-format';
import { ByteInterner } from './byte-interner';
import type { Counts } from './sigv2-aggregate';
import { SIGV } from './sigv2-aggregate';

/**
 * What the HTML report draws besides the SigV2 tally: signed requests per UTC day (SigV2 and SigV4, for the
 * share of SigV2 over time) and, per SigV2 requester, requests per day, auth types and TLS versions. Built
 * while scanning; partial timelines from threads and byte ranges merge into the same result in any order.
 */

const field = (name: (typeof COLUMN_NAMES)[number]) => COLUMN_NAMES.indexOf(name);
const REQUESTER = field('requester');
const AUTH_TYPE = field('authtype');
const TLS_VERSION = field('tlsversion');

/** One SigV2 requester over time; plain data, so it crosses threads with structured clone. */
export interface RequesterTimeline {
  /** UTC day (days since 1970-01-01) → SigV2 requests. */
  readonly days: Map<number, number>;
  readonly authTypes: Counts;
  readonly tlsVersions: Counts;
}

export interface Timeline {
  /** UTC day → [SigV2 requests, SigV4 requests]. */
  readonly signed: Map<number, [number, number]>;
  /** By requester (null when anonymous). */
  readonly requesters: Map<string | null, RequesterTimeline>;
  /** SigV2 requests whose request time could not be read (in no day). */
  undatedSigV2: number;
}

export const DAY_MS = 86_400_000;

/** The version in a split line's `sigv` field: 2, 4, or 0 for anything else (NULL, unsigned). */
function sigVersion(buf: Uint8Array, out: Int32Array): 0 | 2 | 4 {
  const s = out[2 * SIGV];
  // `SigV2` / `SigV4`: five bytes, the last one the version.
  if (s < 0 || out[2 * SIGV + 1] - s !== 5) return 0;
  if (buf[s] !== 0x53 || buf[s + 1] !== 0x69 || buf[s + 2] !== 0x67 || buf[s + 3] !== 0x56) return 0;
  return buf[s + 4] === 0x32 ? 2 : buf[s + 4] === 0x34 ? 4 : 0;
}

interface Accumulating {
  readonly days: Map<number, number>;
  /** Value id (ByteInterner of that column; -1 for NULL) → count. */
  readonly authTypes: Map<number, number>;
  readonly tlsVersions: Map<number, number>;
}

function bump<K>(counts: Map<K, number>, key: K, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/** Builds a Timeline record by record. */
export class TimelineAccumulator {
  private readonly signed = new Map<number, [number, number]>();
  private readonly interners = [REQUESTER, AUTH_TYPE, TLS_VERSION].map(() => new ByteInterner());
  /** By requester id; index -1 (anonymous) is kept apart. */
  private readonly requesters = new Map<number, Accumulating>();
  private undated = 0;

  /** Adds one record with its request time (NaN if unreadable). */
  add(buf: Buffer, out: Int32Array, timeMs: number): void {
    const version = sigVersion(buf, out);
    if (version === 0) return;
    const day = Math.floor(timeMs / DAY_MS);
    const dated = Number.isFinite(day);
    if (dated) {
      let counts = this.signed.get(day);
      if (counts === undefined) {
        counts = [0, 0];
        this.signed.set(day, counts);
      }
      counts[version === 2 ? 0 : 1]++;
    }
    if (version !== 2) return;
    const requester = this.idOf(buf, out, REQUESTER, 0);
    let entry = this.requesters.get(requester);
    if (entry === undefined) {
      entry = { days: new Map(), authTypes: new Map(), tlsVersions: new Map() };
      this.requesters.set(requester, entry);
    }
    if (dated) bump(entry.days, day);
    else this.undated++;
    bump(entry.authTypes, this.idOf(buf, out, AUTH_TYPE, 1));
    bump(entry.tlsVersions, this.idOf(buf, out, TLS_VERSION, 2));
  }

  /** The timeline so far, as plain data keyed by text. */
  timeline(): Timeline {
    const text = (interner: number, id: number) => (id < 0 ? null : this.interners[interner].values[id]);
    const counts = (m: Map<number, number>, interner: number): Counts =>
      new Map(Array.from(m, ([id, n]) => [text(interner, id), n]));
    const requesters = new Map<string | null, RequesterTimeline>();
    for (const [id, e] of this.requesters) {
      requesters.set(text(0, id), {
        days: e.days,
        authTypes: counts(e.authTypes, 1),
        tlsVersions: counts(e.tlsVersions, 2),
      });
    }
    return { signed: this.signed, requesters, undatedSigV2: this.undated };
  }

  private idOf(buf: Buffer, out: Int32Array, column: number, interner: number): number {
    const s = out[2 * column];
    return s < 0 ? -1 : this.interners[interner].id(buf, s, out[2 * column + 1]);
  }
}

export function emptyTimeline(): Timeline {
  return { signed: new Map(), requesters: new Map(), undatedSigV2: 0 };
}

/** Adds `from` into `into`. */
export function mergeTimeline(into: Timeline, from: Timeline): void {
  for (const [day, [v2, v4]] of from.signed) {
    const ours = into.signed.get(day);
    if (ours === undefined) into.signed.set(day, [v2, v4]);
    else {
      ours[0] += v2;
      ours[1] += v4;
    }
  }
  for (const [requester, theirs] of from.requesters) {
    const ours = into.requesters.get(requester);
    if (ours === undefined) {
      into.requesters.set(requester, theirs);
      continue;
    }
    for (const [day, n] of theirs.days) bump(ours.days, day, n);
    for (const [value, n] of theirs.authTypes) bump(ours.authTypes, value, n);
    for (const [value, n] of theirs.tlsVersions) bump(ours.tlsVersions, value, n);
  }
  into.undatedSigV2 += from.undatedSigV2;
}
