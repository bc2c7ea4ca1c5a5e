/**
 * The digest as people read it (the SNS message, `s3-access-logs digest --format table`) and as other tools
 * take it (the EventBridge event's detail). Pure; no aws-cdk-lib import.
 */
import type { DayStatus } from './days';
import type { RequesterDigest, Sigv2Digest } from './digest';
import type { FacetName } from './digest-sql';

/** Requesters listed in full in the text; the rest are counted. */
export const LISTED_REQUESTERS = 20;
/** Longest value (a user agent) shown in the SNS message, so an e-mail stays readable. */
const MAX_VALUE_CHARS = 160;
/** SNS subjects are at most 100 characters. */
const MAX_SUBJECT_CHARS = 100;
/** EventBridge takes entries up to 256 KB; the detail stays well under it. */
export const MAX_EVENT_DETAIL_BYTES = 200_000;

const FACET_LABELS: Record<FacetName, string> = {
  userAgents: 'user agents',
  sourceIps: 'source IPs',
  buckets: 'buckets',
  operations: 'operations',
  authTypes: 'auth',
};

/** How the log names the auth type, as readers know it. */
const AUTH_TYPES: Readonly<Record<string, string>> = {
  AuthHeader: 'header',
  QueryString: 'presigned URL',
};

const n = (value: number) => value.toLocaleString('en-US');
const plural = (count: number, one: string, many = `${one}s`) => `${n(count)} ${count === 1 ? one : many}`;
const name = (requester: string | null) => requester ?? '(no requester)';

/**
 * The one-line summary: the SNS subject, the first line of the text. A day not over yet (`status`) is said to be
 * so: no record there means "not delivered yet", not a broken logging.
 */
export function digestSubject(digest: Sigv2Digest, status: DayStatus = 'over'): string {
  let subject: string;
  if (status === 'future')
    subject = `SigV2 digest ${digest.day}: the day has not begun (UTC), nothing to digest`;
  else if (status === 'today' && digest.noRecords)
    subject = `SigV2 digest ${digest.day}: day not over (UTC), no log records yet`;
  else if (digest.noRecords)
    subject = `SigV2 digest ${digest.day}: NO LOG RECORDS - logging or compaction broken?`;
  else if (digest.sigv2Requests === 0)
    subject = `SigV2 digest ${digest.day}: no SigV2 in ${plural(digest.records, 'record')}`;
  else {
    subject =
      `SigV2 digest ${digest.day}: ${plural(digest.sigv2Requests, 'request')} from ` +
      `${plural(digest.sigv2Requesters, 'requester')}, ${n(digest.newSigv2Requesters)} new`;
  }
  if (status === 'today' && !digest.noRecords) subject = `${subject} (so far: day not over)`;
  return subject.slice(0, MAX_SUBJECT_CHARS);
}

/** Where the text points for details. */
export interface MessageOptions {
  /** A query that shows the day's SigV2 requests, to paste into Athena or DuckDB. */
  readonly detailsSql?: string;
  /** Where to run it (e.g. `Athena workgroup s3-access-logs`). */
  readonly detailsWhere?: string;
  /** Paragraphs said after the summary (metrics not sent for old days). @default none */
  readonly notes?: readonly string[];
  /** Whether the day is over (UTC): the digest of today or a later day is partial, and says so. @default 'over' */
  readonly dayStatus?: DayStatus;
  /**
   * Longest value (user agent, IP, bucket) shown; longer ones end in `...`. The CLI's table shows them whole.
   * @default 160, for the SNS message
   */
  readonly maxValueChars?: number;
}

/** What a digest of a day not over says instead of "no log records": the day's logs are still to come. */
function unfinishedLines(digest: Sigv2Digest, status: DayStatus): string[] {
  if (status === 'future')
    return [
      '',
      `NOTE: ${digest.day} (UTC) has not begun: no log of it exists yet. Digest a day that is over.`,
    ];
  if (status === 'today') {
    return [
      '',
      `NOTE: ${digest.day} (UTC) is not over: S3 delivers a day's logs during it and the hours after, and the`,
      'compaction runs the next morning. These numbers are partial; digest the day again once it is over.',
    ];
  }
  return [];
}

/** The digest as text: the honest zero first, then what is new, the top requesters and what disappeared. */
export function digestText(digest: Sigv2Digest, options: MessageOptions = {}): string {
  const status = options.dayStatus ?? 'over';
  const lines = [digestSubject(digest, status), ''];
  lines.push(`Day: ${digest.day} (UTC). Log records read: ${n(digest.records)}.`);
  lines.push(...unfinishedLines(digest, status));
  if (digest.noRecords) {
    // A day not over has no record yet for a reason the note gives; a day over has none for a broken reason.
    if (status === 'over')
      lines.push(
        '',
        `WARNING: the table holds no log record for ${digest.day}. This is NOT "no SigV2": server access`,
        'logging, log delivery or the compaction did not produce this day. Check that buckets still log into the',
        'log bucket and that the compaction succeeded, then run the digest again.',
      );
  } else {
    lines.push(...summaryLines(digest));
    lines.push(...newLines(digest));
    lines.push(...requesterLines(digest, options.maxValueChars ?? MAX_VALUE_CHARS));
    lines.push(...disappearedLines(digest));
  }
  for (const note of options.notes ?? []) lines.push('', `NOTE: ${note}`);
  if (options.detailsSql !== undefined) {
    lines.push('', `The day's SigV2 requests${options.detailsWhere ? ` (${options.detailsWhere})` : ''}:`);
    lines.push(...options.detailsSql.split('\n').map((l) => `  ${l}`));
  }
  return `${lines.join('\n')}\n`;
}

function summaryLines(digest: Sigv2Digest): string[] {
  const history =
    digest.historyDays < digest.lookbackDays
      ? ` The table holds ${plural(digest.historyDays, 'day')} of the previous ${digest.lookbackDays}: ` +
        `"new" means new within those.`
      : '';
  return [
    `SigV2 requests: ${n(digest.sigv2Requests)} from ${plural(digest.sigv2Requesters, 'requester')}; ` +
      `new (no SigV2 request in the previous ${plural(digest.lookbackDays, 'day')}): ` +
      `${n(digest.newSigv2Requesters)}.${history}`,
  ];
}

function newLines(digest: Sigv2Digest): string[] {
  const fresh = digest.requesters.filter((r) => r.isNew);
  if (fresh.length === 0) return [];
  return [
    '',
    'NEW SigV2 requesters:',
    ...fresh
      .slice(0, LISTED_REQUESTERS)
      .map((r) => `  ${name(r.requester)}: ${plural(r.requests, 'request')}, first seen ${r.firstSeen}`),
    ...more(fresh.length, 'new requester'),
  ];
}

function requesterLines(digest: Sigv2Digest, maxValueChars: number): string[] {
  if (digest.requesters.length === 0) return [];
  const lines = ['', 'Top SigV2 requesters:'];
  digest.requesters.slice(0, LISTED_REQUESTERS).forEach((r, i) => {
    lines.push(
      `${String(i + 1).padStart(3)}. ${name(r.requester)}: ${plural(r.requests, 'request')}${r.isNew ? ' (NEW)' : ''}`,
    );
    lines.push(...facetLines(r, maxValueChars));
    lines.push(`       first seen ${r.firstSeen}, last seen ${r.lastSeen}`);
  });
  lines.push(...more(digest.requesters.length, 'requester'));
  return lines;
}

function facetLines(requester: RequesterDigest, maxValueChars: number): string[] {
  return (Object.keys(FACET_LABELS) as FacetName[]).map((facet) => {
    const summary = requester.facets[facet];
    const values = summary.top
      .map((v) => `${facetValue(facet, v.value, maxValueChars)} (${n(v.requests)})`)
      .join(', ');
    const others =
      summary.distinct > summary.top.length ? `, and ${n(summary.distinct - summary.top.length)} more` : '';
    return `       ${FACET_LABELS[facet]}: ${values}${others}`;
  });
}

function facetValue(facet: FacetName, value: string | null, maxChars: number): string {
  if (value === null) return '-';
  const shown = facet === 'authTypes' ? (AUTH_TYPES[value] ?? value) : value;
  return shown.length > maxChars ? `${shown.slice(0, maxChars - 3)}...` : shown;
}

function disappearedLines(digest: Sigv2Digest): string[] {
  if (digest.disappeared.length === 0) return [];
  return [
    '',
    `Gone (SigV2 in the previous ${plural(digest.lookbackDays, 'day')}, none on ${digest.day}):`,
    ...digest.disappeared
      .slice(0, LISTED_REQUESTERS)
      .map(
        (r) =>
          `  ${name(r.requester)}: ${plural(r.lookbackRequests, 'request')} before, last seen ${r.lastSeen}`,
      ),
    ...more(digest.disappeared.length, 'requester'),
  ];
}

function more(total: number, what: string): string[] {
  return total > LISTED_REQUESTERS ? [`  ... and ${plural(total - LISTED_REQUESTERS, what)} more`] : [];
}

/** The EventBridge detail: the digest, with `truncated` set when requester lists were cut to fit an event. */
export function eventDetail(digest: Sigv2Digest): Sigv2Digest & { readonly truncated: boolean } {
  let detail = { ...digest, truncated: false };
  let keep = Math.max(digest.requesters.length, digest.disappeared.length);
  while (Buffer.byteLength(JSON.stringify(detail)) > MAX_EVENT_DETAIL_BYTES && keep > 0) {
    keep = Math.floor(keep / 2);
    detail = {
      ...digest,
      requesters: digest.requesters.slice(0, keep),
      disappeared: digest.disappeared.slice(0, keep),
      truncated: true,
    };
  }
  return detail;
}
