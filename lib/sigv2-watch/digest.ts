/**
 * The digest: what the three digest queries return, put together. Pure functions of the query rows, shared by
 * the Lambda handler (rows from Athena, every value text) and the CLI (rows from DuckDB, typed values), so both
 * build the same digest. No aws-cdk-lib import.
 */
import { daysBefore, isoDay, parseDay, partitionDay } from './days';
import { FACETS, type FacetName } from './digest-sql';

/** A value in a query row: Athena returns text, DuckDB numbers, bigints and dates. */
export type SqlValue = string | number | bigint | boolean | Date | null | undefined;

/** One result row, by column name. */
export type SqlRow = Readonly<Record<string, SqlValue>>;

/** The rows of the three digest queries, by query name. */
export interface DigestRows {
  /** Records and SigV2 requests per day of the window. */
  readonly days: readonly SqlRow[];
  /** Every SigV2 requester of the window. */
  readonly requesters: readonly SqlRow[];
  /** The day's top values per requester and facet. */
  readonly facets: readonly SqlRow[];
}

/** One value of a facet and the day's SigV2 requests with it. */
export interface FacetValue {
  /** The value (a user agent, an IP address, ...); null where the log has none (`-`). */
  readonly value: string | null;
  /** SigV2 requests with this value on the day. */
  readonly requests: number;
}

/** The most frequent values of one facet of a requester's SigV2 requests on the day. */
export interface FacetSummary {
  /** How many distinct values there were (the list holds the most frequent few). */
  readonly distinct: number;
  /** Most requests first; `value` null where the log has none (`-`). */
  readonly top: readonly FacetValue[];
}

/** One requester that signed with SigV2 on the day. */
export interface RequesterDigest {
  /** IAM ARN or canonical user ID; null for requests the log records without a requester. */
  readonly requester: string | null;
  /** SigV2 requests on the day. */
  readonly requests: number;
  /** No SigV2 request in the lookback days the table holds. */
  readonly isNew: boolean;
  /** Earliest SigV2 request in the window read (lookback and day), ISO 8601 UTC. */
  readonly firstSeen: string | null;
  /** Latest SigV2 request in the window read, ISO 8601 UTC. */
  readonly lastSeen: string | null;
  /** User agents, source IPs, buckets, operations and auth types (AuthHeader, QueryString: presigned URL). */
  readonly facets: Readonly<Record<FacetName, FacetSummary>>;
}

/** A requester that signed with SigV2 in the lookback window but not on the day. */
export interface DisappearedRequester {
  /** IAM ARN or canonical user ID; null for requests the log records without a requester. */
  readonly requester: string | null;
  /** Its SigV2 requests in the lookback window. */
  readonly lookbackRequests: number;
  /** Its last SigV2 request, ISO 8601 UTC. */
  readonly lastSeen: string | null;
}

/** The digest of one day. */
export interface Sigv2Digest {
  /** The day described, `yyyy-mm-dd` (UTC). */
  readonly day: string;
  /** Days before `day` a requester must have been absent to count as new. */
  readonly lookbackDays: number;
  /** Of those days, how many the table holds any record of: "new" means new within these. */
  readonly historyDays: number;
  /** Log records of the day, all signature versions. Zero means no logs, not no SigV2. */
  readonly records: number;
  /** True when the table holds no record of the day: logging broken, logs not delivered or compaction failed. */
  readonly noRecords: boolean;
  /** SigV2 requests on the day. */
  readonly sigv2Requests: number;
  /** Distinct requesters that signed with SigV2 on the day. */
  readonly sigv2Requesters: number;
  /** Of those, how many had no SigV2 request in the lookback days the table holds. */
  readonly newSigv2Requesters: number;
  /** The day's SigV2 requesters, most requests first. */
  readonly requesters: readonly RequesterDigest[];
  /** SigV2 requesters of the lookback window with no SigV2 request on the day, most requests first. */
  readonly disappeared: readonly DisappearedRequester[];
}

/** What a digest needs besides the rows. */
export interface DigestInput {
  /** The day, `yyyy-mm-dd` or `yyyy/MM/dd`. */
  readonly day: string;
  /** The lookback window the rows were read with, in days. */
  readonly lookbackDays: number;
  /** The rows of the three queries. */
  readonly rows: DigestRows;
}

/** The digest of a day from the rows of the three digest queries. */
export function buildDigest({ day, lookbackDays, rows }: DigestInput): Sigv2Digest {
  const date = parseDay(day);
  if (date === undefined) throw new Error(`Not a day: '${day}' (expected yyyy-mm-dd)`);
  const dayKey = partitionDay(date);
  const firstDay = partitionDay(daysBefore(date, lookbackDays));

  const perDay = new Map(rows.days.map((r) => [text(r.day), r]));
  const today = perDay.get(dayKey);
  const records = count(today?.records);
  const historyDays = [...perDay.entries()].filter(
    ([d, r]) => d !== null && d >= firstDay && d < dayKey && count(r.records) > 0,
  ).length;

  const facets = facetsByRequester(rows.facets);
  const requesters: RequesterDigest[] = [];
  const disappeared: DisappearedRequester[] = [];
  for (const row of rows.requesters) {
    const requester = text(row.requester);
    const requests = count(row.requests);
    const lookbackRequests = count(row.lookback_requests);
    if (requests > 0) {
      requesters.push({
        requester,
        requests,
        isNew: lookbackRequests === 0,
        firstSeen: isoTime(row.first_seen),
        lastSeen: isoTime(row.last_seen),
        facets: facets.get(requester) ?? emptyFacets(),
      });
    } else if (lookbackRequests > 0) {
      disappeared.push({ requester, lookbackRequests, lastSeen: isoTime(row.last_seen) });
    }
  }
  requesters.sort((a, b) => b.requests - a.requests || compareNames(a.requester, b.requester));
  disappeared.sort(
    (a, b) => b.lookbackRequests - a.lookbackRequests || compareNames(a.requester, b.requester),
  );

  return {
    day: isoDay(date),
    lookbackDays,
    historyDays,
    records,
    noRecords: records === 0,
    sigv2Requests: count(today?.sigv2_requests),
    sigv2Requesters: requesters.length,
    newSigv2Requesters: requesters.filter((r) => r.isNew).length,
    requesters,
    disappeared,
  };
}

function facetsByRequester(rows: readonly SqlRow[]): Map<string | null, Record<FacetName, FacetSummary>> {
  const result = new Map<string | null, Record<FacetName, FacetSummary>>();
  for (const row of rows) {
    const requester = text(row.requester);
    const facet = text(row.facet);
    if (!isFacet(facet)) continue;
    let entry = result.get(requester);
    if (entry === undefined) {
      entry = emptyFacets();
      result.set(requester, entry);
    }
    const summary = entry[facet];
    entry[facet] = {
      distinct: count(row.distinct_values),
      top: [...summary.top, { value: text(row.value), requests: count(row.requests) }],
    };
  }
  for (const entry of result.values()) {
    for (const name of Object.keys(entry) as FacetName[]) {
      entry[name] = {
        ...entry[name],
        top: [...entry[name].top].sort((a, b) => b.requests - a.requests || compareNames(a.value, b.value)),
      };
    }
  }
  return result;
}

function isFacet(name: string | null): name is FacetName {
  return name !== null && Object.hasOwn(FACETS, name);
}

function emptyFacets(): Record<FacetName, FacetSummary> {
  const empty = (): FacetSummary => ({ distinct: 0, top: [] });
  return {
    userAgents: empty(),
    sourceIps: empty(),
    buckets: empty(),
    operations: empty(),
    authTypes: empty(),
  };
}

/** Names in a stable order, no value (null) last. */
function compareNames(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function text(value: SqlValue): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** A count from either engine: Athena returns text, DuckDB a bigint. A missing value is zero. */
function count(value: SqlValue): number {
  if (value === null || value === undefined || value === '') return 0;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`Not a count: ${String(value)}`);
  return n;
}

/**
 * A timestamp as ISO 8601 UTC without milliseconds. Athena returns `2026-11-29 10:00:05.000`, DuckDB a Date
 * (or, for a timestamp with zone, a Date too).
 */
export function isoTime(value: SqlValue): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const textValue = String(value).trim();
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?( UTC|Z)?$/.exec(textValue);
  if (match === null) return textValue;
  return `${match[1]}T${match[2]}Z`;
}
