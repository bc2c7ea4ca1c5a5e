import { isoSeconds } from './request-time';
import type { Counts, Sigv2Tally } from './sigv2-aggregate';

/** The SigV2 report's shape, as `sigv2 --format json` prints it. Lists are whole, most requests first. */
export interface ValueCount {
  readonly value: string | null;
  readonly requests: number;
}

export interface RequesterReport {
  /** null for anonymous requests. */
  readonly requester: string | null;
  readonly requests: number;
  readonly userAgents: ValueCount[];
  readonly remoteIps: ValueCount[];
  readonly buckets: ValueCount[];
  readonly operations: ValueCount[];
  /** ISO 8601 UTC; null only if no request time on the requester's lines could be read. */
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
}

export interface Sigv2Summary {
  /** Parsed records in the time window (a count: the records themselves are `parse`'s output). */
  readonly records: number;
  readonly unparsed: number;
  readonly sigv2Requests: number;
  readonly requesters: RequesterReport[];
}

/** Most requests first; ties in value order, NULL last, so the output is the same on every run. */
function byRequestsThenValue(a: [string | null, number], b: [string | null, number]): number {
  if (a[1] !== b[1]) return b[1] - a[1];
  if (a[0] === b[0]) return 0;
  if (a[0] === null) return 1;
  if (b[0] === null) return -1;
  return a[0] < b[0] ? -1 : 1;
}

function ranked(counts: Counts): ValueCount[] {
  return [...counts].sort(byRequestsThenValue).map(([value, requests]) => ({ value, requests }));
}

export function summarize(tally: Sigv2Tally, records: number, unparsed: number): Sigv2Summary {
  const requesters = [...tally]
    .map(([requester, t]) => [requester, t.requests, t] as const)
    .sort((a, b) => byRequestsThenValue([a[0], a[1]], [b[0], b[1]]))
    .map(([requester, requests, t]) => ({
      requester,
      requests,
      userAgents: ranked(t.userAgents),
      remoteIps: ranked(t.remoteIps),
      buckets: ranked(t.buckets),
      operations: ranked(t.operations),
      firstSeen: Number.isFinite(t.firstMs) ? isoSeconds(t.firstMs) : null,
      lastSeen: Number.isFinite(t.lastMs) ? isoSeconds(t.lastMs) : null,
    }));
  const sigv2Requests = requesters.reduce((sum, r) => sum + r.requests, 0);
  return { records, unparsed, sigv2Requests, requesters };
}
