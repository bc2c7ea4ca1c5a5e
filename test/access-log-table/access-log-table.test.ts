// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Athena location templates spell ${column} literally.
import { Duration, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLogTable, type AccessLogTableOptions } from '../../lib/access-log-table';
import {
  ATHENA_RESULTS_ROLE,
  BUCKET_PROJECTION_VALUES_PARAMETER,
  KeyFormat,
  NO_BUCKETS_PLACEHOLDER,
  ROLE_TAG_KEY,
} from '../../lib/conventions';
import { ACCESS_LOG_REGEX, COLUMN_NAMES, COLUMNS } from '../../lib/log-format';
import { SAVED_QUERIES } from '../../lib/saved-queries';
import { isKnownMalformed, peerLines } from '../log-format/peer-lines';
import { testStack } from '../util/app';
import { resourceInventory } from '../util/inventory';
import { awsSolutionsFindings } from '../util/nag';

function build(options: AccessLogTableOptions = {}) {
  const stack = testStack();
  const logBucket = s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs');
  const table = new AccessLogTable(stack, 'Table', { logBucket, ...options });
  return { stack, table };
}

function synth(options: AccessLogTableOptions = {}) {
  const { stack, table } = build(options);
  return { stack, table, template: Template.fromStack(stack) };
}

/** The one Glue table's TableInput. */
function tableInput(template: Template) {
  const tables = Object.values(template.findResources('AWS::Glue::Table'));
  expect(tables).toHaveLength(1);
  return tables[0].Properties.TableInput;
}

describe('AccessLogTable', () => {
  it('creates the s3_access_logs Glue database by default', () => {
    synth().template.hasResourceProperties('AWS::Glue::Database', {
      CatalogId: '111122223333',
      DatabaseInput: { Name: 's3_access_logs' },
    });
  });

  it("declares exactly the log module's 27 columns, in order, with their types", () => {
    const input = tableInput(synth().template);
    expect(input.StorageDescriptor.Columns).toEqual(COLUMNS.map((c) => ({ Name: c.name, Type: c.type })));
    expect(input.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual(COLUMN_NAMES);
  });

  it("reads lines with RegexSerDe, TextInputFormat and the log module's regex, whose groups are the columns", () => {
    const sd = tableInput(synth().template).StorageDescriptor;
    expect(sd.SerdeInfo).toEqual({
      SerializationLibrary: 'org.apache.hadoop.hive.serde2.RegexSerDe',
      Parameters: { 'input.regex': ACCESS_LOG_REGEX },
    });
    expect(sd.InputFormat).toBe('org.apache.hadoop.mapred.TextInputFormat');
    const groups = new RegExp(`${sd.SerdeInfo.Parameters['input.regex']}|`).exec('')!.length - 1;
    expect(groups).toBe(sd.Columns.length);
  });

  it('reads every valid peer fixture line with the regex exactly as synthesized, and not the malformed one', () => {
    const regex = tableInput(synth().template).StorageDescriptor.SerdeInfo.Parameters['input.regex'];
    const wholeLine = new RegExp(`^(?:${regex})$`);
    const lines = peerLines();
    const read = lines.filter((l) => wholeLine.test(l.text));
    expect(read).toEqual(lines.filter((l) => !isKnownMalformed(l)));
    expect(read).toHaveLength(1109);
  });

  it('projects bucket as an enum that starts as the placeholder, and day by date from the start to NOW', () => {
    const input = tableInput(synth().template);
    expect(input.PartitionKeys.map((k: { Name: string; Type: string }) => [k.Name, k.Type])).toEqual([
      ['bucket', 'string'],
      ['day', 'string'],
    ]);
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.bucket.type': 'enum',
      [BUCKET_PROJECTION_VALUES_PARAMETER]: NO_BUCKETS_PLACEHOLDER,
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy/MM/dd',
      'projection.day.range': 'NOW-90DAYS,NOW',
      'projection.day.interval': '1',
      'projection.day.interval.unit': 'DAYS',
    });
  });

  it('reads the partitioned layout: the bucket in the prefix and again before the day', () => {
    const input = tableInput(synth().template);
    expect(input.Parameters['storage.location.template']).toBe(
      's3://my-logs/${bucket}/111122223333/us-east-1/${bucket}/${day}',
    );
    expect(input.StorageDescriptor.Location).toBe('s3://my-logs/');
  });

  it('follows a custom prefix template', () => {
    const input = tableInput(synth({ prefixTemplate: 'logs/{bucket}/' }).template);
    expect(input.Parameters['storage.location.template']).toBe(
      's3://my-logs/logs/${bucket}/111122223333/us-east-1/${bucket}/${day}',
    );
    expect(input.StorageDescriptor.Location).toBe('s3://my-logs/logs/');
  });

  it('projects only bucket on the simple layout, which has no date folders', () => {
    const input = tableInput(synth({ keyFormat: KeyFormat.SIMPLE }).template);
    expect(input.PartitionKeys.map((k: { Name: string }) => k.Name)).toEqual(['bucket']);
    expect(input.Parameters['storage.location.template']).toBe('s3://my-logs/${bucket}/');
    expect(Object.keys(input.Parameters).filter((k) => k.startsWith('projection.day'))).toEqual([]);
  });

  it('takes a fixed first day for the day projection', () => {
    const input = tableInput(synth({ projectionStart: '2024/01/01' }).template);
    expect(input.Parameters['projection.day.range']).toBe('2024/01/01,NOW');
  });

  it('creates an engine v3 workgroup that enforces its settings, caps a query at 10 GiB and encrypts results', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 's3-access-logs',
      RecursiveDeleteOption: true,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          ExpectedBucketOwner: '111122223333',
          OutputLocation: Match.anyValue(),
        },
      },
    });
  });

  it('takes a different scan cap', () => {
    synth({ bytesScannedCutoffPerQuery: Size.gibibytes(1) }).template.hasResourceProperties(
      'AWS::Athena::WorkGroup',
      { WorkGroupConfiguration: { BytesScannedCutoffPerQuery: 1024 ** 3 } },
    );
  });

  it('keeps results in a dedicated, tagged, encrypted, private, TLS-only bucket that expires them', () => {
    const { template } = synth({ queryResultsRetention: Duration.days(3) });
    template.hasResourceProperties('AWS::S3::Bucket', {
      Tags: [{ Key: ROLE_TAG_KEY, Value: ATHENA_RESULTS_ROLE }],
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 3, Status: 'Enabled' })]),
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('saves every saved query as a named query in the workgroup, on the table', () => {
    const { template } = synth();
    const named = Object.values(template.findResources('AWS::Athena::NamedQuery'));
    expect(named.length).toBeGreaterThanOrEqual(9);
    expect(named.map((q) => q.Properties.Name).sort()).toEqual(SAVED_QUERIES.map((q) => q.name).sort());
    for (const q of named) {
      expect(q.Properties.Database).toBe('s3_access_logs');
      expect(q.Properties.WorkGroup).toEqual({ Ref: expect.stringMatching(/^TableWorkGroup/) });
      expect(q.Properties.QueryString).toContain('FROM "s3_access_logs"."access_logs"');
      expect(q.Properties.QueryString).not.toContain('{{table}}');
      expect(q.Properties.Description.length).toBeLessThanOrEqual(1024);
      expect(q.Properties.Description).toMatch(/Parameters: 1\. first_day/);
    }
  });

  it('exposes the names bucket logging needs to keep the enum current', () => {
    const { table } = synth({ databaseName: 'logs_db', tableName: 'logs' });
    expect([table.databaseName, table.tableName]).toEqual(['logs_db', 'logs']);
  });

  it('grants querying: Athena on its workgroup, Glue reads of its table, the log and results buckets', () => {
    const { stack, table } = build();
    const role = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
    table.grantQuery(role);
    const policy = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const statements = Object.values(policy).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const athena = statements.find((s) => [s.Action].flat().includes('athena:StartQueryExecution'));
    expect(athena.Resource).toEqual({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':athena:us-east-1:111122223333:workgroup/s3-access-logs'],
      ],
    });
    const glue = statements.find((s) => [s.Action].flat().includes('glue:GetTable'));
    expect(JSON.stringify(glue.Resource)).toContain('table/s3_access_logs/access_logs');
    expect(statements.some((s) => [s.Action].flat().includes('s3:PutObject'))).toBe(true);
  });

  it('has no unacknowledged cdk-nag AwsSolutions finding', () => {
    const stack = testStack();
    const logBucket = s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs');
    new AccessLogTable(stack, 'Table', { logBucket });
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });

  it('creates the database, the table, the workgroup with its results bucket, and one named query per saved query', () => {
    const stack = testStack();
    new AccessLogTable(stack, 'Table', { logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs') });
    expect(resourceInventory(Template.fromStack(stack))).toEqual({
      'AWS::Glue::Database': 1,
      'AWS::Glue::Table': 1,
      'AWS::Athena::WorkGroup': 1,
      'AWS::Athena::NamedQuery': SAVED_QUERIES.length,
      'AWS::S3::Bucket': 1,
      'AWS::S3::BucketPolicy': 1,
    });
  });

  it.each<[string, AccessLogTableOptions, RegExp]>([
    ['databaseName', { databaseName: 'S3-Logs' }, /databaseName 'S3-Logs' must be 1 to 255 lower-case/],
    ['tableName', { tableName: 'a.b' }, /tableName 'a\.b' must be/],
    ['workGroupName', { workGroupName: 'a b' }, /workGroupName 'a b' must be/],
    [
      'projectionStart',
      { projectionStart: '2024-01-01' },
      /projectionStart '2024-01-01' must be a day as yyyy\/MM\/dd/,
    ],
    ['projectionStart', { projectionStart: '2023/02/29' }, /projectionStart '2023\/02\/29'/],
    ['bytesScannedCutoffPerQuery', { bytesScannedCutoffPerQuery: Size.mebibytes(1) }, /at least 10 MB/],
    [
      'queryResultsRetention',
      { queryResultsRetention: Duration.hours(12) },
      /whole number of days, at least 1/,
    ],
    [
      'prefixTemplate',
      { keyFormat: KeyFormat.SIMPLE, prefixTemplate: 'logs/' },
      /must contain \{bucket\} and end/,
    ],
    [
      'prefixTemplate',
      { prefixTemplate: '_s3-access-logs/{bucket}/' },
      /must not start with _s3-access-logs\//,
    ],
  ])('rejects a bad %s with a message that names it and the fix', (_prop, options, message) => {
    expect(() => synth(options)).toThrow(message);
  });
});

describe('AccessLogTable in a stack with unresolved account and Region', () => {
  it('builds the location template from the stack’s account and Region tokens', () => {
    const stack = new Stack();
    new AccessLogTable(stack, 'Table', { logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs') });
    const input = tableInput(Template.fromStack(stack));
    expect(input.Parameters['storage.location.template']).toEqual({
      'Fn::Join': [
        '',
        [
          's3://my-logs/${bucket}/',
          { Ref: 'AWS::AccountId' },
          '/',
          { Ref: 'AWS::Region' },
          '/${bucket}/${day}',
        ],
      ],
    });
  });
});
