import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { DuckDBConnection } from '@duckdb/node-api';
import { mockClient } from 'aws-sdk-client-mock';
import { runDigestQueries as runLocally } from '../../cli/src/commands/digest';
import { digestDays, parseDay } from '../../lib/sigv2-watch/days';
import { buildDigest, type Sigv2Digest, type SqlValue } from '../../lib/sigv2-watch/digest';
import { DIGEST_QUERIES, digestSql } from '../../lib/sigv2-watch/digest-sql';
import { dayOfEvent, daysOfEvent } from '../../lib/sigv2-watch/handler/event';
import { handler } from '../../lib/sigv2-watch/handler/index';
import { type Deps, digestDay } from '../../lib/sigv2-watch/handler/run';
import { digestMetrics } from '../../lib/sigv2-watch/metrics';
import { CONFIG_ENV, type WatchConfig } from '../../lib/sigv2-watch/types';
import { type CompactedTable, openCompactedTable, TABLE } from './compacted-rows';
import { DIGEST_DAY, scenarioLogsByDay } from './scenario';

const CONFIG: WatchConfig = {
  databaseName: 's3_access_logs',
  tableName: 'access_logs_daily',
  workGroupName: 's3-access-logs',
  lookbackDays: 30,
  topicArn: 'arn:aws:sns:us-east-1:111122223333:digest',
  namespace: 'S3AccessLogs',
  eventBusName: 'default',
};
const RELATION = '"s3_access_logs"."access_logs_daily"';

const athena = mockClient(AthenaClient);
const cloudwatch = mockClient(CloudWatchClient);
const sns = mockClient(SNSClient);
const events = mockClient(EventBridgeClient);
/** The digest runs the morning after DIGEST_DAY unless a test says otherwise. */
const MORNING_AFTER = new Date('2026-11-30T06:00:00Z');
let now = MORNING_AFTER;
const deps: Deps = {
  athena: new AthenaClient({}),
  cloudwatch: new CloudWatchClient({}),
  sns: new SNSClient({}),
  events: new EventBridgeClient({}),
  sleep: async () => undefined,
  now: () => now,
};

/**
 * CloudWatch's PutMetricData as it refuses data points: timestamps more than two weeks before now, or more than
 * two hours after, fail the whole call with InvalidParameterValue.
 */
function cloudwatchRefusingOldTimestamps() {
  cloudwatch.on(PutMetricDataCommand).callsFake((input) => {
    (input.MetricData ?? []).forEach((datum: { Timestamp?: Date }, i: number) => {
      const at = datum.Timestamp?.getTime() ?? now.getTime();
      const where = `The parameter MetricData.member.${i + 1}.Timestamp`;
      const fail = (message: string) => {
        const error = new Error(message);
        error.name = 'InvalidParameterValue';
        throw error;
      };
      if (at < now.getTime() - 14 * 86_400_000)
        fail(`${where} must specify a time no more than two weeks in the past.`);
      if (at > now.getTime() + 2 * 3_600_000)
        fail(`${where} must specify a time no more than two hours in the future.`);
    });
    return {};
  });
}

let table: CompactedTable;
let connection: DuckDBConnection;
beforeAll(async () => {
  table = await openCompactedTable([...scenarioLogsByDay().values()].join(''));
  connection = table.connection;
});
afterAll(() => table.close());

/** A value as Athena's GetQueryResults writes it: text, timestamps as `yyyy-MM-dd HH:mm:ss.SSS`, NULL absent. */
function athenaText(value: SqlValue): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  return String(value);
}

/**
 * Athena, played by DuckDB: a started query runs the same SQL (the literal parameters unquoted) over the scenario
 * in the compacted table's shape, and its results come back as Athena gives them: text, a header row first,
 * two rows a page. A query text that is not one of the digest's fails, as Athena fails on a bad table name.
 */
function athenaOnDuckDb(state: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED', runningFirst = true) {
  const results = new Map<string, Promise<{ columns: string[]; rows: (string | undefined)[][] }>>();
  let started = 0;
  athena.on(StartQueryExecutionCommand).callsFake((input) => {
    const query = DIGEST_QUERIES.find((q) => digestSql(q, RELATION) === input.QueryString);
    if (query === undefined) throw new Error(`unexpected query ${input.QueryString}`);
    const parameters = (input.ExecutionParameters ?? []).map((p: string) => p.replace(/^'(.*)'$/, '$1'));
    const id = `${query.name}-${++started}`;
    results.set(
      id,
      connection.runAndReadAll(digestSql(query, TABLE), parameters).then((reader) => ({
        columns: reader.columnNames(),
        rows: (reader.getRowsJS() as SqlValue[][]).map((row) => row.map(athenaText)),
      })),
    );
    return { QueryExecutionId: id };
  });
  const polls = new Map<string, number>();
  athena.on(GetQueryExecutionCommand).callsFake(({ QueryExecutionId }) => {
    const n = (polls.get(QueryExecutionId) ?? 0) + 1;
    polls.set(QueryExecutionId, n);
    const current = n === 1 && runningFirst ? 'RUNNING' : state;
    return {
      QueryExecution: {
        Status: { State: current, StateChangeReason: current === 'FAILED' ? 'TABLE_NOT_FOUND' : undefined },
      },
    };
  });
  athena.on(GetQueryResultsCommand).callsFake(async ({ QueryExecutionId, NextToken }) => {
    const result = await results.get(QueryExecutionId);
    if (result === undefined) throw new Error(`no query ${QueryExecutionId}`);
    const all = [result.columns, ...result.rows];
    const start = NextToken === undefined ? 0 : Number(NextToken);
    const page = all.slice(start, start + 2);
    return {
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: result.columns.map((Name) => ({ Name, Type: 'varchar' })) },
        Rows: page.map((row) => ({ Data: row.map((v) => (v === undefined ? {} : { VarCharValue: v })) })),
      },
      NextToken: start + 2 < all.length ? String(start + 2) : undefined,
    };
  });
}

async function localDigest(day: string): Promise<Sigv2Digest> {
  const rows = await runLocally(connection, TABLE, digestDays(parseDay(day) as Date, 30));
  return buildDigest({ day, lookbackDays: 30, rows });
}

beforeEach(() => {
  now = MORNING_AFTER;
  athena.reset();
  cloudwatch.reset();
  sns.reset();
  events.reset();
  cloudwatchRefusingOldTimestamps();
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
});

describe('digestDay', () => {
  it('reads Athena’s text results into the same digest the local engine builds, and sends it everywhere', async () => {
    athenaOnDuckDb();
    const expected = await localDigest(DIGEST_DAY);

    const summary = await digestDay(deps, CONFIG, parseDay(DIGEST_DAY) as Date);

    expect(summary).toEqual({
      day: DIGEST_DAY,
      records: 24,
      noRecords: false,
      sigv2Requests: 17,
      sigv2Requesters: 5,
      newSigv2Requesters: 3,
    });
    expect(cloudwatch.commandCalls(PutMetricDataCommand)[0]?.args[0].input).toEqual({
      Namespace: 'S3AccessLogs',
      MetricData: digestMetrics(expected),
    });
    const published = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(published).toMatchObject({
      TopicArn: CONFIG.topicArn,
      Subject: 'SigV2 digest 2026-11-29: 17 requests from 5 requesters, 3 new',
    });
    expect(published?.Message).toContain(`FROM ${RELATION}\n  WHERE day = '2026/11/29'`);
    const entry = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({
      Source: 's3-access-logs',
      DetailType: 'SigV2 Digest',
      EventBusName: 'default',
    });
    expect(JSON.parse(entry?.Detail ?? '{}')).toEqual({ ...expected, truncated: false });
  });

  it('runs the queries in the workgroup with the days as literals, so Athena prunes partitions', async () => {
    athenaOnDuckDb();
    await digestDay(deps, CONFIG, parseDay(DIGEST_DAY) as Date);

    const inputs = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    expect(
      inputs.map((i) => [i.WorkGroup, i.QueryExecutionContext?.Database, i.ExecutionParameters]),
    ).toEqual([
      ['s3-access-logs', 's3_access_logs', ["'2026/10/30'", "'2026/11/29'"]],
      ['s3-access-logs', 's3_access_logs', ["'2026/11/29'", "'2026/11/29'", "'2026/10/30'", "'2026/11/29'"]],
      ['s3-access-logs', 's3_access_logs', Array(5).fill("'2026/11/29'")],
    ]);
  });

  it('fails naming the query and Athena’s reason when a query fails, and publishes nothing', async () => {
    athenaOnDuckDb('FAILED');

    await expect(digestDay(deps, CONFIG, parseDay(DIGEST_DAY) as Date)).rejects.toThrow(
      /The digest's days query days-1 failed: TABLE_NOT_FOUND/,
    );
    expect(cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('fails when EventBridge refuses the event', async () => {
    athenaOnDuckDb();
    events
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDenied', ErrorMessage: 'no' }] });

    await expect(digestDay(deps, CONFIG, parseDay(DIGEST_DAY) as Date)).rejects.toThrow(
      'EventBridge refused the digest event: AccessDenied no',
    );
  });
});

describe('digestDay of a day not over', () => {
  it('sends the partial digest of today, flagged, without metrics', async () => {
    athenaOnDuckDb('SUCCEEDED', false);
    now = new Date('2026-11-29T15:00:00Z');

    const summary = await digestDay(deps, CONFIG, parseDay(DIGEST_DAY) as Date);

    expect(summary).toMatchObject({ day: DIGEST_DAY, unfinished: true, metricsSkipped: [DIGEST_DAY] });
    expect(cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    const published = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(published?.Subject).toMatch(/\(so far: day not over\)$/);
    expect(published?.Message).toContain('NOTE: 2026-11-29 (UTC) is not over');
    expect(published?.Message).toContain('No CloudWatch metrics for 2026-11-29: the day is not over.');
    const entry = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({ day: DIGEST_DAY, unfinished: true });
  });

  it('says a later day has not begun, and puts no metric CloudWatch would refuse', async () => {
    athenaOnDuckDb('SUCCEEDED', false);
    now = new Date('2026-11-27T15:00:00Z');

    await digestDay(deps, CONFIG, parseDay(DIGEST_DAY) as Date);

    expect(cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject).toMatch(/the day has not begun/);
  });
});

describe('dayOfEvent', () => {
  const compaction = (status: string, output: unknown) => ({
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: { status, output: typeof output === 'string' ? output : JSON.stringify(output) },
  });

  it.each([
    [
      'the compaction’s output',
      compaction('SUCCEEDED', { day: '2026/11/29', days: ['2026/11/28', '2026/11/29'] }),
    ],
    ['a manual run with an ISO day', { day: '2026-11-29' }],
    ['a manual run with a partition day', { day: '2026/11/29' }],
  ])('reads the day from %s', (_, event) => {
    expect(dayOfEvent(event)).toEqual(new Date('2026-11-29T00:00:00Z'));
  });

  it.each([
    ['a failed execution', compaction('FAILED', { day: '2026/11/29' }), /did not succeed \(status FAILED\)/],
    ['output that is not JSON', compaction('SUCCEEDED', '{oops'), /output is not JSON: \{oops/],
    ['output without a day', compaction('SUCCEEDED', { days: [] }), /No day to digest/],
    ['a day that does not exist', { day: '2026-02-30' }, /Not a day: '2026-02-30'/],
    ['nothing', undefined, /No day to digest/],
  ])('refuses %s', (_, event, message) => {
    expect(() => dayOfEvent(event)).toThrow(message);
  });
});

describe('daysOfEvent', () => {
  const output = (value: unknown) => ({ detail: { status: 'SUCCEEDED', output: JSON.stringify(value) } });
  const iso = (dates: readonly Date[]) => dates.map((d) => d.toISOString().slice(0, 10));

  it('lists the other days the compaction compacted again, oldest first, without the day itself', () => {
    const { day, recompacted } = daysOfEvent(
      output({ day: '2026/11/29', days: ['2026/11/28', '2026/11/27', '2026/11/29', '2026/11/28'] }),
    );
    expect(day).toEqual(new Date('2026-11-29T00:00:00Z'));
    expect(iso(recompacted)).toEqual(['2026-11-27', '2026-11-28']);
  });

  it('leaves out later days and non-days, and keeps old days (which get metrics is decided from now)', () => {
    const { recompacted } = daysOfEvent(
      output({ day: '2026/11/29', days: ['2026/11/15', '2026/11/16', '2026/11/30', 'soon', 7] }),
    );
    expect(iso(recompacted)).toEqual(['2026-11-15', '2026-11-16']);
  });

  it('has nothing to refresh on a manual run', () => {
    expect(daysOfEvent({ day: '2026-11-29' }).recompacted).toEqual([]);
  });
});

describe('handler', () => {
  // The handler reads the clock itself: only Date is faked, the timers stay real.
  beforeEach(() => {
    jest.useFakeTimers({
      now: MORNING_AFTER,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
  });
  afterEach(() => jest.useRealTimers());

  it('refreshes the metrics of the days compacted again, then sends the newest day’s digest', async () => {
    athenaOnDuckDb('SUCCEEDED', false);
    process.env[CONFIG_ENV] = JSON.stringify(CONFIG);
    const event = {
      source: 'aws.states',
      detail: {
        status: 'SUCCEEDED',
        output: JSON.stringify({ day: '2026/11/29', days: ['2026/11/27', '2026/11/28', '2026/11/29'] }),
      },
    };

    const summary = await handler(event);

    expect(summary).toMatchObject({
      day: '2026-11-29',
      sigv2Requests: 17,
      refreshed: ['2026-11-27', '2026-11-28'],
    });
    const metricDays = cloudwatch
      .commandCalls(PutMetricDataCommand)
      .map((c) => c.args[0].input.MetricData?.[0]?.Timestamp?.toISOString().slice(0, 10));
    expect(metricDays).toEqual(['2026-11-27', '2026-11-28', '2026-11-29']);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  const compacted = (day: string, days: string[]) => ({
    source: 'aws.states',
    detail: { status: 'SUCCEEDED', output: JSON.stringify({ day, days }) },
  });
  const metricDays = () =>
    cloudwatch
      .commandCalls(PutMetricDataCommand)
      .map((c) => c.args[0].input.MetricData?.[0]?.Timestamp?.toISOString().slice(0, 10));

  it('publishes the digest of a day re-compacted weeks later without its metrics, and says so', async () => {
    athenaOnDuckDb('SUCCEEDED', false);
    process.env[CONFIG_ENV] = JSON.stringify(CONFIG);

    const summary = await handler({ day: '2026-10-25' });

    expect(summary).toMatchObject({ day: '2026-10-25', refreshed: [], metricsSkipped: ['2026-10-25'] });
    expect(metricDays()).toEqual([]);
    const published = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(published?.Message).toContain(
      'NOTE: No CloudWatch metrics for 2026-10-25: CloudWatch takes no data point older than 14 days',
    );
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('refreshes only the re-compacted days CloudWatch still takes, counted from now with a day to spare', async () => {
    athenaOnDuckDb('SUCCEEDED', false);
    process.env[CONFIG_ENV] = JSON.stringify(CONFIG);

    const summary = await handler(
      compacted('2026/11/29', ['2026/11/16', '2026/11/17', '2026/11/18', '2026/11/29']),
    );

    expect(summary).toMatchObject({
      day: '2026-11-29',
      refreshed: ['2026-11-18'],
      metricsSkipped: ['2026-11-16', '2026-11-17'],
    });
    expect(metricDays()).toEqual(['2026-11-18', '2026-11-29']);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message).toContain(
      'NOTE: No CloudWatch metrics for 2026-11-16, 2026-11-17:',
    );
  });

  it('backfills an old day in a compaction run without metrics for any of its days', async () => {
    athenaOnDuckDb('SUCCEEDED', false);
    process.env[CONFIG_ENV] = JSON.stringify(CONFIG);

    const summary = await handler(compacted('2026/10/31', ['2026/10/30', '2026/10/31']));

    expect(summary).toMatchObject({ refreshed: [], metricsSkipped: ['2026-10-30', '2026-10-31'] });
    expect(metricDays()).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });
});
