import type { AthenaClient } from '@aws-sdk/client-athena';
import { type CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { digestDays, isoDay } from '../days';
import { buildDigest, type Sigv2Digest } from '../digest';
import { detailsSql } from '../digest-sql';
import { digestSubject, digestText, eventDetail } from '../message';
import { digestMetrics } from '../metrics';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE, type WatchConfig } from '../types';
import { athenaRelation, runDigestQueries } from './athena';

/** The clients the digest uses, and a way to wait between looks at a running query. */
export interface Deps {
  readonly athena: AthenaClient;
  readonly cloudwatch: CloudWatchClient;
  readonly sns: SNSClient;
  readonly events: EventBridgeClient;
  readonly sleep: (ms: number) => Promise<void>;
}

/** What the function returns and logs. */
export type DigestSummary = Pick<
  Sigv2Digest,
  'day' | 'records' | 'noRecords' | 'sigv2Requests' | 'sigv2Requesters' | 'newSigv2Requesters'
> & {
  /** Days compacted again whose metrics were sent anew, `yyyy-mm-dd`. */
  readonly refreshed?: readonly string[];
};

/**
 * The metrics of days the compaction compacted again (late logs): the same digest, metrics only. Sent before
 * the day's own digest; the dashboard's Maximum shows the later, more complete values.
 */
export async function refreshMetrics(
  deps: Deps,
  config: WatchConfig,
  days: readonly Date[],
): Promise<string[]> {
  const refreshed: string[] = [];
  for (const day of days) {
    const rows = await runDigestQueries(deps, config, digestDays(day, config.lookbackDays));
    const digest = buildDigest({ day: isoDay(day), lookbackDays: config.lookbackDays, rows });
    await deps.cloudwatch.send(
      new PutMetricDataCommand({ Namespace: config.namespace, MetricData: digestMetrics(digest) }),
    );
    refreshed.push(digest.day);
  }
  return refreshed;
}

/**
 * The digest of one day, sent everywhere it goes. The metrics go first: they are what the dashboard and the
 * alarm read, and a digest that fails to publish afterwards is retried as a whole (the same values again).
 */
export async function digestDay(deps: Deps, config: WatchConfig, day: Date): Promise<DigestSummary> {
  const rows = await runDigestQueries(deps, config, digestDays(day, config.lookbackDays));
  const digest = buildDigest({ day: isoDay(day), lookbackDays: config.lookbackDays, rows });

  await deps.cloudwatch.send(
    new PutMetricDataCommand({ Namespace: config.namespace, MetricData: digestMetrics(digest) }),
  );
  const details = detailsSql(athenaRelation(config), isoDay(day).replaceAll('-', '/'));
  await deps.sns.send(
    new PublishCommand({
      TopicArn: config.topicArn,
      Subject: digestSubject(digest),
      Message: digestText(digest, {
        detailsSql: details,
        detailsWhere: `Athena workgroup ${config.workGroupName}`,
      }),
    }),
  );
  const sent = await deps.events.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: EVENT_SOURCE,
          DetailType: EVENT_DETAIL_TYPE,
          Detail: JSON.stringify(eventDetail(digest)),
          EventBusName: config.eventBusName,
        },
      ],
    }),
  );
  if ((sent.FailedEntryCount ?? 0) > 0) {
    const entry = sent.Entries?.[0];
    throw new Error(`EventBridge refused the digest event: ${entry?.ErrorCode} ${entry?.ErrorMessage}`);
  }
  return {
    day: digest.day,
    records: digest.records,
    noRecords: digest.noRecords,
    sigv2Requests: digest.sigv2Requests,
    sigv2Requesters: digest.sigv2Requesters,
    newSigv2Requesters: digest.newSigv2Requesters,
  };
}
