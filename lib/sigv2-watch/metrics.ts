/**
 * The watch's CloudWatch metrics: names are API (dashboards and alarms of users refer to them). No aws-cdk-lib
 * import: the handler builds the data points, the construct the dashboard and alarm, from the same names.
 */
import { parseDay } from './days';
import type { Sigv2Digest } from './digest';

/** The namespace of every metric the watch publishes (an account's or a Region's own logs). */
export const METRIC_NAMESPACE = 'S3AccessLogs';

/**
 * The namespace of the organization-wide watch's metrics (`OrgSigv2Watch`): its own, so that in a central
 * account that also watches its own logs the two never share a series, nor the alarm.
 */
export const ORG_METRIC_NAMESPACE = 'S3AccessLogs/Organization';

/**
 * A problem with a CloudWatch namespace, or undefined: 1 to 255 characters of letters, digits and `. - _ / # :`
 * (CloudWatch also takes spaces; left out here, they make the IAM condition and the console harder to read),
 * not starting with `AWS/` (reserved for AWS services).
 */
export function namespaceProblem(namespace: string): string | undefined {
  if (/^[A-Za-z0-9._/#:-]{1,255}$/.test(namespace) && !namespace.startsWith('AWS/')) return undefined;
  return `must be 1 to 255 letters, digits or . - _ / # : and not start with AWS/ (got '${namespace}')`;
}

/** The metric names, by what they count. One data point a day each, timestamped at 00:00 UTC of that day. */
export const METRIC_NAMES = {
  /** SigV2 requests on the day. */
  sigv2Requests: 'SigV2Requests',
  /** Distinct requesters that signed with SigV2 on the day. */
  sigv2Requesters: 'SigV2Requesters',
  /** SigV2 requesters with no SigV2 request in the lookback window. */
  newSigv2Requesters: 'NewSigV2Requesters',
  /** Log records of the day, all signature versions: zero means no logs, so a zero above is not a clean day. */
  records: 'Records',
} as const;

/** CloudWatch's PutMetricData refuses data points timestamped more than two weeks before now. */
export const MAX_METRIC_AGE_DAYS = 14;

/**
 * Room left under {@link MAX_METRIC_AGE_DAYS}: the digest's queries take minutes, retries come later and clocks
 * differ, so a day is only sent when its 00:00 UTC is less than 13 days old when the digest starts.
 */
export const METRIC_AGE_MARGIN_DAYS = 1;

/**
 * Whether CloudWatch still takes the metrics of `day` (its data points are timestamped at its 00:00 UTC) at
 * `now`, with {@link METRIC_AGE_MARGIN_DAYS} to spare. Counted from now, not from the digested day: re-compacting
 * an old day (a backfill) digests a day CloudWatch refuses. Pure.
 */
export function metricsAccepted(day: Date, now: Date): boolean {
  return now.getTime() - day.getTime() < (MAX_METRIC_AGE_DAYS - METRIC_AGE_MARGIN_DAYS) * 86_400_000;
}

/** What the digest counts, by metric. */
export type MetricKey = keyof typeof METRIC_NAMES;

/** A data point as CloudWatch's PutMetricData takes it (the SDK's MetricDatum, the fields used). */
export interface MetricDatum {
  readonly MetricName: string;
  readonly Timestamp: Date;
  readonly Value: number;
  readonly Unit: 'Count';
}

/**
 * The day's data points. Timestamped with the day they describe (not the time the digest ran), so a graph
 * with a one-day period shows each day's numbers on that day; a digest re-run for the day sends the same
 * values again, which the dashboard's Maximum statistic shows once.
 *
 * A day with no records publishes `Records` = 0 and no SigV2 metric: the SigV2 graphs show a gap, not a zero
 * that would read as "no SigV2".
 */
export function digestMetrics(digest: Sigv2Digest): MetricDatum[] {
  const timestamp = parseDay(digest.day);
  if (timestamp === undefined) throw new Error(`Not a day: '${digest.day}'`);
  const values: Record<MetricKey, number> = {
    sigv2Requests: digest.sigv2Requests,
    sigv2Requesters: digest.sigv2Requesters,
    newSigv2Requesters: digest.newSigv2Requesters,
    records: digest.records,
  };
  const keys: MetricKey[] = digest.noRecords ? ['records'] : (Object.keys(METRIC_NAMES) as MetricKey[]);
  return keys.map((key) => ({
    MetricName: METRIC_NAMES[key],
    Timestamp: timestamp,
    Value: values[key],
    Unit: 'Count',
  }));
}
