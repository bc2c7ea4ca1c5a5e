// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Athena location templates spell ${column} literally.
import { Duration, Size } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { KeyFormat } from '../../lib/conventions';
import { LogCompaction, type LogCompactionOptions } from '../../lib/log-compaction';
import { COMPACTED_COLUMNS } from '../../lib/log-compaction/sql';
import { runsMoreThanDaily } from '../../lib/log-compaction/validation';
import { ACCESS_LOG_REGEX } from '../../lib/log-format';
import { SAVED_QUERIES } from '../../lib/saved-queries';
import { testStack } from '../util/app';
import { resourceInventory } from '../util/inventory';
import { awsSolutionsFindings } from '../util/nag';

type Options = LogCompactionOptions & {
  keyFormat?: KeyFormat;
  prefixTemplate?: string;
  databaseName?: string;
};

function build(options: Options = {}) {
  const { stack, compaction } = construct(options);
  return { stack, compaction, template: Template.fromStack(stack) };
}

function construct(options: Options = {}) {
  const stack = testStack();
  const logBucket = s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs');
  const resultsBucket = s3.Bucket.fromBucketName(stack, 'Results', 'my-results');
  const compaction = new LogCompaction(stack, 'Compaction', {
    logBucket,
    resultsBucket,
    databaseName: 's3_access_logs',
    ...options,
  });
  return { stack, compaction };
}

// biome-ignore lint/suspicious/noExplicitAny: templates are untyped CloudFormation JSON.
type Json = Record<string, any>;

function glueTable(template: Template, name: string): Json {
  const tables = Object.values(template.findResources('AWS::Glue::Table')).filter(
    (t) => t.Properties.TableInput.Name === name,
  );
  expect(tables).toHaveLength(1);
  return tables[0].Properties.TableInput;
}

/** The state machine's definition as an object (its Fn::Join parts with tokens replaced by their names). */
function definition(template: Template): Json {
  const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
  const parts = machine.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  return JSON.parse(
    parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p).replaceAll('"', "'"))).join(''),
  );
}

/** Every IAM statement of the policies whose logical id starts with `prefix`. */
function statements(template: Template, prefix: string): Json[] {
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(prefix))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

describe('LogCompaction', () => {
  it('creates its two tables, workgroup, function, state machine and schedule, with their roles and logs', () => {
    expect(resourceInventory(build().template)).toEqual({
      // The compacted table and the source table it reads through.
      'AWS::Glue::Table': 2,
      'AWS::Athena::WorkGroup': 1,
      'AWS::Athena::NamedQuery': SAVED_QUERIES.filter((q) => q.reads === 'compacted').length,
      'AWS::Lambda::Function': 1,
      'AWS::StepFunctions::StateMachine': 1,
      'AWS::Events::Rule': 1,
      'AWS::IAM::Role': 3,
      'AWS::IAM::Policy': 5,
      'AWS::Logs::LogGroup': 2,
    });
  });

  it('gives the handler 15 minutes and 1 GB on the newest Node.js runtime, and the run a day, traced and logged', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 900,
      MemorySize: 1024,
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(JSON.stringify(machine.Properties.DefinitionString)).toContain('\\"TimeoutSeconds\\":86400');
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('has no unacknowledged cdk-nag AwsSolutions finding', () => {
    expect(awsSolutionsFindings(build().stack)).toEqual([]);
  });

  it('defines the compacted table: ZSTD Parquet, the compacted columns, day projected, no bucket partition', () => {
    const input = glueTable(build().template, 'access_logs_daily');
    expect(input.PartitionKeys).toEqual([{ Name: 'day', Type: 'string', Comment: expect.any(String) }]);
    expect(input.StorageDescriptor.Columns.map((c: Json) => [c.Name, c.Type])).toEqual(
      COMPACTED_COLUMNS.map((c) => [c.name, c.type]),
    );
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    expect(input.Parameters).toMatchObject({
      'parquet.compression': 'ZSTD',
      'projection.enabled': 'true',
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy/MM/dd',
      'projection.day.range': 'NOW-90DAYS,NOW',
      'storage.location.template': 's3://my-logs/_s3-access-logs/daily/${day}/',
    });
    expect(Object.keys(input.Parameters).filter((k) => k.includes('bucket'))).toEqual([]);
  });

  it('reads the raw logs through a source table whose bucket is injected, so no bucket list is kept', () => {
    const input = glueTable(build().template, 'access_logs_compaction_source');
    expect(input.Parameters).toMatchObject({
      'projection.bucket.type': 'injected',
      'projection.day.type': 'date',
      'storage.location.template': 's3://my-logs/${bucket}/111122223333/us-east-1/${bucket}/${day}',
    });
    expect(input.Parameters['projection.bucket.values']).toBeUndefined();
    expect(input.StorageDescriptor.SerdeInfo.Parameters['input.regex']).toBe(ACCESS_LOG_REGEX);
  });

  it('runs nightly at 06:00 UTC by default, with an empty input, and takes another schedule', () => {
    build().template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 6 * * ? *)',
      Targets: [Match.objectLike({ Input: '{}' })],
    });
    build({ schedule: events.Schedule.expression('cron(30 9 * * ? *)') }).template.hasResourceProperties(
      'AWS::Events::Rule',
      { ScheduleExpression: 'cron(30 9 * * ? *)' },
    );
  });

  it('plans, runs the chunk queries with Athena’s .sync integration in its workgroup, then publishes', () => {
    const def = definition(build({ maxConcurrency: 3 }).template);
    expect(def.StartAt).toBe('Plan');
    expect(def.States.Plan.Next).toBe('CompactChunks');
    const map = def.States.CompactChunks;
    expect(map.MaxConcurrency).toBe(3);
    expect(map.ItemReader.Resource).toMatch(/:states:::s3:getObject$/);
    expect(map.ItemReader.ReaderConfig.InputType).toBe('JSON');
    expect(map.ItemReader.Parameters).toEqual({ 'Bucket.$': '$.itemsBucket', 'Key.$': '$.itemsKey' });
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    const unload = map.ItemProcessor.States.Unload;
    expect(unload.Resource).toMatch(/:states:::athena:startQueryExecution\.sync$/);
    expect(unload.Parameters['QueryString.$']).toBe('$.query');
    expect(unload.Parameters.QueryExecutionContext).toEqual({ Database: 's3_access_logs' });
    expect(map.Next).toBe('Publish');
    expect(map.Catch[0].Next).toBe('CleanupAfterFailure');
    const publish = def.States.Publish;
    expect(publish.ItemsPath).toBe('$.days');
    expect(publish.ItemProcessor.States.PublishDay.Parameters).toEqual({
      action: 'publish',
      'run.$': '$.run',
      'days.$': 'States.Array($.day)',
    });
    expect(publish.Next).toBe('Cleanup');
    expect(def.States.CleanupAfterFailure.Next).toBe('Failed');
  });

  it('after a Publish that finally failed, removes the run’s half-published days and staged files, then fails', () => {
    const def = definition(build().template);
    const publish = def.States.Publish;
    expect(publish.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'AbandonRun' },
    ]);
    const abandon = def.States.AbandonRun;
    expect(abandon.Parameters).toEqual({ action: 'abandon', 'run.$': '$.run', 'days.$': '$.days' });
    expect(abandon.Retry.some((r: Json) => r.ErrorEquals.includes('States.ALL'))).toBe(true);
    expect(abandon.Next).toBe('PublishFailed');
    expect(abandon.Catch[0].Next).toBe('PublishFailed');
    expect(def.States.PublishFailed.Type).toBe('Fail');
  });

  it('ends a successful run with the days it compacted, for the SigV2 watch', () => {
    const def = definition(build().template);
    expect(def.States.Compacted.Type).toBe('Pass');
    expect(def.States.Compacted.Parameters).toMatchObject({ 'day.$': '$.day', 'days.$': '$.days' });
    expect(def.States.Compacted.End).toBe(true);
  });

  it('has its own workgroup with a larger scan cap than the raw one, engine v3, results under compaction/', () => {
    build().template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 's3-access-logs-compaction',
      WorkGroupConfiguration: Match.objectLike({
        BytesScannedCutoffPerQuery: Size.tebibytes(1).toBytes(),
        EnforceWorkGroupConfiguration: true,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: Match.objectLike({ OutputLocation: 's3://my-results/compaction/' }),
      }),
    });
  });

  it('gives the state machine Athena on its workgroup only, and Glue reads of the source table only', () => {
    const query = statements(build().template, 'CompactionQueryPolicy');
    const athena = query.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('athena:')));
    expect(athena).toHaveLength(1);
    expect(athena[0].Resource).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':athena:us-east-1:111122223333:workgroup/s3-access-logs-compaction',
        ],
      ],
    });
    const glue = query.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('glue:')));
    expect(glue).toHaveLength(1);
    expect(glue[0].Action).toEqual(['glue:GetDatabase', 'glue:GetTable']);
    expect(JSON.stringify(glue[0].Resource)).toContain('table/s3_access_logs/access_logs_compaction_source');
    // Writes only under the staging prefix and the workgroup's results prefix.
    const writes = query.filter((s) => [s.Action].flat().includes('s3:PutObject'));
    expect(JSON.stringify(writes)).toContain('/_s3-access-logs/compaction-runs/*');
    expect(JSON.stringify(writes)).not.toMatch(/my-logs\/\*"/);
  });

  it('lets the handler write and delete only under the daily and run prefixes', () => {
    const handler = statements(build().template, 'CompactionHandlerPolicy');
    const deletes = handler.filter((s) => [s.Action].flat().includes('s3:DeleteObject'));
    expect(JSON.stringify(deletes[0].Resource)).toContain('/_s3-access-logs/daily/*');
    expect(JSON.stringify(deletes[0].Resource)).toContain('/_s3-access-logs/compaction-runs/*');
    expect(deletes).toHaveLength(1);
    expect(JSON.stringify(deletes[0].Resource).match(/arn:/g)?.length ?? 0).toBeLessThanOrEqual(2);
  });

  it('grants querying the compacted table: its workgroup, its Glue table and its files, not the raw logs', () => {
    const { stack, compaction } = construct();
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    compaction.grantQuery(role);
    const statements = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const reader = Object.entries(statements).find(([id]) => id.startsWith('ReaderDefaultPolicy'));
    const text = JSON.stringify(reader?.[1].Properties.PolicyDocument.Statement);
    expect(text).toContain('workgroup/s3-access-logs-compaction');
    expect(text).toContain('table/s3_access_logs/access_logs_daily');
    expect(text).not.toContain('access_logs_compaction_source');
    expect(text).toContain('my-logs/_s3-access-logs/daily/*');
    expect(text).not.toMatch(/my-logs\/\*"/);
  });

  it('saves the fleet-wide queries on the compacted table, in its workgroup, and no forensic one', () => {
    const template = build().template;
    const named = Object.values(template.findResources('AWS::Athena::NamedQuery'));
    const fleet = SAVED_QUERIES.filter((q) => q.reads === 'compacted').map((q) => q.name);
    expect(named.map((n) => n.Properties.Name).sort()).toEqual([...fleet].sort());
    expect(fleet).toEqual(
      expect.arrayContaining([
        'sigv2-requesters',
        'sigv2-by-bucket',
        'sigv2-per-day',
        'requests-by-signature-version',
      ]),
    );
    for (const n of named) {
      expect(n.Properties.QueryString).toContain('FROM "s3_access_logs"."access_logs_daily"');
      expect(n.Properties.WorkGroup).toEqual({ Ref: expect.stringMatching(/^CompactionWorkGroup/) });
    }
  });

  it('passes the handler the listing that finds the source buckets and the chunk settings', () => {
    const fn = Object.values(
      build({ chunkSize: 500, lateDays: 3 }).template.findResources('AWS::Lambda::Function'),
    )[0];
    const config = JSON.parse(fn.Properties.Environment.Variables.COMPACTION_CONFIG);
    expect(config).toEqual({
      logBucketName: 'my-logs',
      listPrefix: '',
      nameSuffix: '',
      source: '"s3_access_logs"."access_logs_compaction_source"',
      chunkSize: 500,
      lateDays: 3,
    });
  });

  it.each([
    [
      { keyFormat: KeyFormat.SIMPLE },
      /keyFormat 'simple' has no day folders.*use keyFormat 'partitioned', or leave LogCompaction out \(an AccessLogsStack's logCompactionEnabled: false\)/,
    ],
    [{ lateDays: -1 }, /lateDays must be a whole number from 0 to 30 \(got -1\)/],
    [{ chunkSize: 0 }, /chunkSize must be a whole number from 1 to 5000/],
    [{ maxConcurrency: 100 }, /maxConcurrency must be a whole number from 1 to 40/],
    [{ tableName: 'Daily-Logs' }, /tableName 'Daily-Logs' must be 1 to 255 lower-case/],
    [{ bytesScannedCutoffPerQuery: Size.mebibytes(1) }, /at least 10 MB/],
    [{ projectionStart: '2026-01-01' }, /projectionStart '2026-01-01' must be/],
    [
      { schedule: events.Schedule.rate(Duration.hours(1)) },
      /schedule 'rate\(1 hour\)' runs more than once a day: each run compacts 3 day\(s\) again.*e\.g\. cron\(0 6 \* \* \? \*\)/,
    ],
    [{ schedule: events.Schedule.expression('cron(0 6,18 * * ? *)') }, /runs more than once a day/],
    [{ schedule: events.Schedule.expression('cron(*/30 6 * * ? *)') }, /runs more than once a day/],
  ])('refuses %j, naming the prop and the fix', (options, message) => {
    expect(() => build(options as LogCompactionOptions)).toThrow(message);
  });

  it('reports a bad database name alongside every other problem, in one error', () => {
    const attempt = () => build({ databaseName: 'Bad DB', lateDays: -1 });
    expect(attempt).toThrow(/^LogCompaction TestStack\/Compaction: /);
    expect(attempt).toThrow(
      /databaseName 'Bad DB' must be 1 to 255 lower-case letters, digits or underscores/,
    );
    expect(attempt).toThrow(/lateDays must be a whole number from 0 to 30 \(got -1\)/);
  });

  it('names a required name left out from JavaScript, instead of failing inside aws-cdk-lib', () => {
    expect(() => build({ databaseName: undefined } as unknown as Options)).toThrow(
      /^LogCompaction TestStack\/Compaction: databaseName is required: a Glue name such as s3_access_logs \(got undefined\)\.$/,
    );
  });

  it.each([
    ['rate(1 hour)', true],
    ['rate(720 minutes)', true],
    ['rate(23 hours)', true],
    ['rate(1 day)', false],
    ['rate(24 hours)', false],
    ['rate(2 days)', false],
    ['cron(0 6 * * ? *)', false],
    ['cron(30 9 ? * MON-FRI *)', false],
    ['cron(0 * * * ? *)', true],
    ['cron(0 0-23 * * ? *)', true],
  ])('tells whether %s runs more than once a day', (expression, more) => {
    expect(runsMoreThanDaily(expression)).toBe(more);
  });
});
