import type { AthenaClient } from '@aws-sdk/client-athena';
import { type CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { dayStatus, digestDays, isoDay } from '../days';
import { buildDigest, type Sigv2Digest } from '../digest';
import { detailsSql } from '../digest-sql';
import { digestSubject, digestText, eventDetail } from '../message';
import { digestMetrics, MAX_METRIC_AGE_DAYS, metricsAccepted } from '../metrics';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE, type WatchConfig } from '../types';
import { athenaRelation, runDigestQueries } from './athena';

/** The clients the digest uses, and a way to wait between looks at a running query. */
export interface Deps {
  readonly athena: AthenaClient;
  readonly cloudwatch: CloudWatchClient;
  readonly sns: SNSClient;
  readonly events: EventBridgeClient;
  readonly sleep: (ms: number) => Promise<void>;
  /** The time now: which days CloudWatch still takes metrics for is counted from it. */
  readonly now: () => Date;
}

/** What the function returns and logs. */
export type DigestSummary = Pick<
  Sigv2Digest,
  'day' | 'records' | 'noRecords' | 'sigv2Requests' | 'sigv2Requesters' | 'newSigv2Requesters'
> & {
  /** Days compacted again whose metrics were sent anew, `yyyy-mm-dd`. */
  readonly refreshed?: readonly string[];
  /** Days, `yyyy-mm-dd`, whose metrics were not sent: CloudWatch takes no data point two weeks old or older. */
  readonly metricsSkipped?: readonly string[];
  /** Set when the day is today (UTC) or later: the digest is partial, and has no metrics. */
  readonly unfinished?: true;
};

/** The days whose metrics were sent anew and those too old for CloudWatch, `yyyy-mm-dd`. */
export interface Refreshed {
  readonly refreshed: string[];
  readonly skipped: string[];
}

/**
 * The metrics of days the compaction compacted again (late logs): the same digest, metrics only. Sent before
 * the day's own digest; the dashboard's Maximum shows the later, more complete values. Days CloudWatch would
 * refuse (see `metricsAccepted`) are skipped without querying: their metrics cannot change any more.
 */
export async function refreshMetrics(
  deps: Deps,
  config: WatchConfig,
  days: readonly Date[],
): Promise<Refreshed> {
  const refreshed: string[] = [];
  const skipped: string[] = [];
  const now = deps.now();
  for (const day of days) {
    if (!metricsAccepted(day, now)) {
      skipped.push(isoDay(day));
      continue;
    }
    const rows = await runDigestQueries(deps, config, digestDays(day, config.lookbackDays));
    const digest = buildDigest({ day: isoDay(day), lookbackDays: config.lookbackDays, rows });
    await deps.cloudwatch.send(
      new PutMetricDataCommand({ Namespace: config.namespace, MetricData: digestMetrics(digest) }),
    );
    refreshed.push(digest.day);
  }
  return { refreshed, skipped };
}

/**
 * The digest of one day, sent everywhere it goes. The metrics go first: they are what the dashboard and the
 * alarm read, and a digest that fails to publish afterwards is retried as a whole (the same values again).
 * A day too old for CloudWatch (a backfill, a re-compacted old day) gets no metrics, and its digest says so;
 * `alsoSkipped` are other days whose metrics were skipped, named in the same note.
 */
export async function digestDay(
  deps: Deps,
  config: WatchConfig,
  day: Date,
  alsoSkipped: readonly string[] = [],
): Promise<DigestSummary> {
  const rows = await runDigestQueries(deps, config, digestDays(day, config.lookbackDays));
  const digest = buildDigest({ day: isoDay(day), lookbackDays: config.lookbackDays, rows });
  // A day not over has partial counts (metrics of today would read as a drop), a later day CloudWatch refuses.
  const now = deps.now();
  const status = dayStatus(day, now);
  const sendMetrics = status === 'over' && metricsAccepted(day, now);
  const { notes, metricsSkipped } = await putMetrics(deps, config, digest, sendMetrics, status, alsoSkipped);
  await publishDigest(deps, config, digest, day, status, notes);
  await sendDigestEvent(deps, config, digest, status);
  return {
    day: digest.day,
    records: digest.records,
    noRecords: digest.noRecords,
    sigv2Requests: digest.sigv2Requests,
    sigv2Requesters: digest.sigv2Requesters,
    newSigv2Requesters: digest.newSigv2Requesters,
    ...(metricsSkipped.length > 0 ? { metricsSkipped } : {}),
    ...(status === 'over' ? {} : { unfinished: true as const }),
  };
}

/** The day's metrics, when the day is over and CloudWatch takes them; the notes that say which days have none, and why. */
async function putMetrics(
  deps: Deps,
  config: WatchConfig,
  digest: Sigv2Digest,
  sendMetrics: boolean,
  status: ReturnType<typeof dayStatus>,
  alsoSkipped: readonly string[],
): Promise<{ notes: string[]; metricsSkipped: string[] }> {
  if (sendMetrics) {
    await deps.cloudwatch.send(
      new PutMetricDataCommand({ Namespace: config.namespace, MetricData: digestMetrics(digest) }),
    );
  }
  const tooOld = [...alsoSkipped, ...(sendMetrics || status !== 'over' ? [] : [digest.day])];
  const notes: string[] = [];
  if (tooOld.length > 0) {
    notes.push(
      `No CloudWatch metrics for ${tooOld.join(', ')}: CloudWatch takes no data point older than ` +
        `${MAX_METRIC_AGE_DAYS} days, so the dashboard and the alarm do not show these days.`,
    );
  }
  if (status !== 'over') notes.push(`No CloudWatch metrics for ${digest.day}: the day is not over.`);
  return { notes, metricsSkipped: [...tooOld, ...(status === 'over' ? [] : [digest.day])] };
}

/** The digest as a message on the topic, with the query that shows the day's SigV2 requests. */
async function publishDigest(
  deps: Deps,
  config: WatchConfig,
  digest: Sigv2Digest,
  day: Date,
  status: ReturnType<typeof dayStatus>,
  notes: string[],
): Promise<void> {
  const details = detailsSql(athenaRelation(config), isoDay(day).replaceAll('-', '/'));
  await deps.sns.send(
    new PublishCommand({
      TopicArn: config.topicArn,
      Subject: digestSubject(digest, status),
      Message: digestText(digest, {
        detailsSql: details,
        detailsWhere: `Athena workgroup ${config.workGroupName}`,
        notes,
        dayStatus: status,
      }),
    }),
  );
}

/** The digest as an EventBridge event; an entry EventBridge refuses fails the digest (it is retried). */
async function sendDigestEvent(
  deps: Deps,
  config: WatchConfig,
  digest: Sigv2Digest,
  status: ReturnType<typeof dayStatus>,
): Promise<void> {
  const sent = await deps.events.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: EVENT_SOURCE,
          DetailType: EVENT_DETAIL_TYPE,
          Detail: JSON.stringify({
            ...eventDetail(digest),
            ...(status === 'over' ? {} : { unfinished: true }),
          }),
          EventBusName: config.eventBusName,
        },
      ],
    }),
  );
  if ((sent.FailedEntryCount ?? 0) > 0) {
    const entry = sent.Entries?.[0];
    throw new Error(`EventBridge refused the digest event: ${entry?.ErrorCode} ${entry?.ErrorMessage}`);
  }
}
