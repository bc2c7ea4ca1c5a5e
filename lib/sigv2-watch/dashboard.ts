import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { MetricKey } from './metrics';
import type { CompactedTableSource } from './sigv2-watch';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE } from './types';

/** What the dashboard shows. */
export interface DashboardSpec {
  readonly compaction: CompactedTableSource;
  readonly lookbackDays: number;
  /** How many days the graphs show. */
  readonly range: Duration;
  /** One of the watch's daily metrics. */
  readonly metric: (key: MetricKey, options?: cloudwatch.MetricOptions) => cloudwatch.IMetric;
  /** The new-requesters alarm. */
  readonly alarm: cloudwatch.IAlarm;
}

const GRAPH_HEIGHT = 6;

/**
 * The watch's dashboard: what the numbers mean, SigV2 requests per day, SigV2 and new SigV2 requesters per day,
 * log records per day (the honest zero), and the alarm's state. One-day periods over the range.
 */
export function createDashboard(scope: Construct, id: string, spec: DashboardSpec): cloudwatch.Dashboard {
  const { compaction, metric } = spec;
  const dashboard = new cloudwatch.Dashboard(scope, id, {
    defaultInterval: spec.range,
    periodOverride: cloudwatch.PeriodOverride.INHERIT,
  });
  const graph = (title: string, metrics: cloudwatch.IMetric[]) =>
    new cloudwatch.GraphWidget({
      title,
      left: metrics,
      width: 12,
      height: GRAPH_HEIGHT,
      period: Duration.days(1),
      leftYAxis: { min: 0 },
    });
  dashboard.addWidgets(
    new cloudwatch.TextWidget({
      width: 24,
      height: 5,
      markdown: [
        '# SigV2 watch',
        `One data point a day per metric, computed after the nightly compaction from table \`${compaction.databaseName}.${compaction.tableName}\` ` +
          `(Athena workgroup \`${compaction.workGroupName}\`). **New** requesters made no SigV2 request in the previous ${spec.lookbackDays} days.`,
        '**Records** counts every log record of the day: at zero, logging or the compaction is broken and the SigV2 graphs show a gap, not a clean day.',
        `The day's digest (who, user agents, source IPs, buckets, operations, header or presigned URL) goes to the SNS topic and to EventBridge (\`${EVENT_SOURCE}\` / \`${EVENT_DETAIL_TYPE}\`). ` +
          `Saved queries for the details: Athena, workgroup \`${compaction.workGroupName}\`, e.g. \`sigv2-requesters\`.`,
      ].join('\n\n'),
    }),
  );
  dashboard.addWidgets(
    graph('SigV2 requests per day', [metric('sigv2Requests', { label: 'SigV2 requests' })]),
    graph('SigV2 requesters per day', [
      metric('sigv2Requesters', { label: 'SigV2 requesters' }),
      metric('newSigv2Requesters', { label: 'New SigV2 requesters' }),
    ]),
  );
  dashboard.addWidgets(
    graph('Log records per day (0: no logs, not "no SigV2")', [metric('records', { label: 'Records' })]),
    new cloudwatch.AlarmStatusWidget({
      title: 'New SigV2 requesters',
      alarms: [spec.alarm],
      width: 12,
      height: GRAPH_HEIGHT,
    }),
  );
  return dashboard;
}
