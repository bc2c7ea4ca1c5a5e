import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLogBucket } from '../../lib/access-log-bucket';
import { BucketLogging, type BucketLoggingOptions } from '../../lib/bucket-logging';
import { CONFIG_ENV, parseConfig } from '../../lib/bucket-logging/types';
import { KeyFormat } from '../../lib/conventions';
import { testApp, testStack } from '../util/app';
import { resourceInventory } from '../util/inventory';
import { awsSolutionsFindings } from '../util/nag';

function synth(options: BucketLoggingOptions = {}) {
  const stack = testStack(testApp());
  const logBucket = new AccessLogBucket(stack, 'LogBucket');
  const construct = new BucketLogging(stack, 'BucketLogging', { targetBucket: logBucket.bucket, ...options });
  return { stack, construct, template: Template.fromStack(stack) };
}

interface Statement {
  Action: string | string[];
  [key: string]: unknown;
}

/** The handler's own policy (not the log-group policies), with actions sorted. */
function handlerStatements(template: Template): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { PolicyName: Match.stringLikeRegexp('HandlerPolicy') },
  });
  const [policy] = Object.values(policies) as Array<{
    Properties: { PolicyDocument: { Statement: Statement[] } };
  }>;
  return policy.Properties.PolicyDocument.Statement.map((s) => ({
    ...s,
    Action: Array.isArray(s.Action) ? [...s.Action].sort() : s.Action,
  }));
}

const bucketArn = { 'Fn::GetAtt': [expect.stringMatching(/^LogBucket/), 'Arn'] };

describe('BucketLogging', () => {
  it('creates the custom resource with its Provider, two functions, the state table and the two rules', () => {
    expect(resourceInventory(synth().template)).toEqual({
      'Custom::S3BucketLogging': 1,
      // onEvent, the handler, the Provider's onEvent, isComplete and timeout functions.
      'AWS::Lambda::Function': 5,
      'AWS::Lambda::Permission': 2,
      'AWS::StepFunctions::StateMachine': 1,
      'AWS::DynamoDB::Table': 1,
      'AWS::Events::Rule': 2,
      // Its own two functions', the Provider's onEvent and isComplete/timeout roles, the waiter's.
      'AWS::IAM::Role': 5,
      'AWS::IAM::Policy': 7,
      // onEvent, handler, Provider (shared by its functions), waiter.
      'AWS::Logs::LogGroup': 4,
      // The AccessLogBucket of the test, not the construct's.
      'AWS::S3::Bucket': 1,
      'AWS::S3::BucketPolicy': 1,
    });
  });

  it('logs the Provider waiter’s every state, for a year', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('has no unacknowledged cdk-nag AwsSolutions finding, with or without a Glue table', () => {
    expect(awsSolutionsFindings(synth().stack)).toEqual([]);
    expect(awsSolutionsFindings(synth({ glueTable: { databaseName: 'db', tableName: 't' } }).stack)).toEqual(
      [],
    );
  });

  it('grants the handler exactly the S3, report and state-table statements it needs', () => {
    expect(handlerStatements(synth().template)).toEqual([
      { Action: 's3:ListAllMyBuckets', Effect: 'Allow', Resource: '*' },
      {
        Action: ['s3:GetBucketLocation', 's3:GetBucketLogging', 's3:GetBucketTagging', 's3:PutBucketLogging'],
        Condition: { StringEquals: { 's3:ResourceAccount': '111122223333' } },
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::*']] },
      },
      {
        Action: 's3:PutObject',
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', [bucketArn, '/_s3-access-logs/reports/*']] },
      },
      {
        Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/StateTable/), 'Arn'] },
      },
    ]);
  });

  it('grants glue:GetTable and glue:UpdateTable on the one table, its database and the catalog', () => {
    const statements = handlerStatements(
      synth({ glueTable: { databaseName: 'logs_db', tableName: 'access' } }).template,
    );
    const arn = (suffix: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:glue:us-east-1:111122223333:${suffix}`]],
    });
    expect(statements[4]).toEqual({
      Action: ['glue:GetTable', 'glue:UpdateTable'],
      Effect: 'Allow',
      Resource: [arn('catalog'), arn('database/logs_db'), arn('table/logs_db/access')],
    });
    expect(statements).toHaveLength(5);
  });

  it('logs JSON at the levels the handler writes, from both functions', () => {
    const functions = synth().template.findResources('AWS::Lambda::Function', {
      Properties: { Handler: Match.stringLikeRegexp('^index\\.') },
    });
    expect(Object.keys(functions)).toHaveLength(2);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.LoggingConfig).toMatchObject({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        SystemLogLevel: 'INFO',
      });
    }
  });

  it("starts logging only after the log bucket's policy allows delivery, and restores before it goes", () => {
    const { template } = synth();
    const [resource] = Object.values(template.findResources('Custom::S3BucketLogging'));
    const [policyId] = Object.keys(template.findResources('AWS::S3::BucketPolicy'));
    expect(policyId).toMatch(/^LogBucket/);
    expect(resource.DependsOn).toContain(policyId);
  });

  it('lets each function write only its own log group, with no managed policy', () => {
    const { template } = synth();
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('HandlerLogsPolicy'),
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: {
              'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('HandlerLogs'), 'Arn'] }, ':*']],
            },
          },
        ],
      },
    });
  });

  it('runs CloudTrail CreateBucket events of successful calls through the handler', () => {
    synth().template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['s3.amazonaws.com'],
          eventName: ['CreateBucket'],
          errorCode: [{ exists: false }],
        },
      },
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('BucketLoggingHandler'), 'Arn'] } }),
      ],
    });
  });

  it('sweeps daily by default, on the schedule given otherwise', () => {
    synth().template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)' });
    synth({ sweepSchedule: events.Schedule.rate(Duration.hours(6)) }).template.hasResourceProperties(
      'AWS::Events::Rule',
      { ScheduleExpression: 'rate(6 hours)' },
    );
  });

  it('creates the rules after the custom resource, so that they are deleted before it restores', () => {
    const { template } = synth();
    const [resourceId] = Object.keys(template.findResources('Custom::S3BucketLogging'));
    const rules = template.findResources('AWS::Events::Rule');
    expect(Object.keys(rules)).toHaveLength(2);
    for (const rule of Object.values(rules)) expect(rule.DependsOn).toContain(resourceId);
  });

  it('runs the custom resource only after every policy of its functions exists', () => {
    const { template } = synth();
    const [resource] = Object.values(template.findResources('Custom::S3BucketLogging'));
    const policies = Object.keys(
      template.findResources('AWS::IAM::Policy', {
        Properties: { PolicyName: Match.stringLikeRegexp('(HandlerPolicy|LogsPolicy)') },
      }),
    );
    expect(policies).toHaveLength(4);
    expect(resource.DependsOn).toEqual(expect.arrayContaining(policies));
  });

  it('gives the handler 15 minutes on the newest Node.js runtime, and the Provider an hour', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Timeout: 900,
      MemorySize: 1024,
      Environment: { Variables: { [CONFIG_ENV]: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.onEvent',
      Runtime: 'nodejs24.x',
      Timeout: 60,
    });
    // The waiter polls every 10 s for up to one hour: 360 attempts.
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(JSON.stringify(machine.Properties.DefinitionString)).toContain('\\"MaxAttempts\\":360');
  });

  it('keeps state in an on-demand table with point-in-time recovery that outlives the stack', () => {
    synth().template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('passes the same configuration to the custom resource and the sweep', () => {
    const { stack, template } = synth({
      include: ['app-*'],
      keyFormat: KeyFormat.SIMPLE,
      overwriteExisting: true,
    });
    const [resource] = Object.values(template.findResources('Custom::S3BucketLogging'));
    const [fn] = Object.values(
      template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } }),
    );
    expect(fn.Properties.Environment.Variables[CONFIG_ENV]).toEqual(resource.Properties.Config);
    const json = (Stack.of(stack).resolve(resource.Properties.Config)['Fn::Join'][1] as unknown[])
      .map((part) => (typeof part === 'string' ? part : 'TOKEN'))
      .join('');
    expect(parseConfig(json)).toMatchObject({
      region: 'us-east-1',
      targetBucket: 'TOKEN',
      prefixTemplate: '{bucket}/',
      keyFormat: 'simple',
      include: ['app-*'],
      exclude: [],
      excludeTagKey: 's3-access-logs:exclude',
      overwriteExisting: true,
      concurrency: 64,
      failOnErrors: false,
      restoreOnDelete: true,
    });
  });

  it('exposes the counts and the report key as custom resource attributes', () => {
    const { stack, construct } = synth();
    const resourceId = expect.stringMatching(/^BucketLogging[0-9A-F]{8}$/);
    expect(stack.resolve(construct.count('configured'))).toEqual({
      'Fn::GetAtt': [resourceId, 'configured'],
    });
    expect(stack.resolve(construct.count('failed'))).toEqual({ 'Fn::GetAtt': [resourceId, 'failed'] });
    expect(stack.resolve(construct.reportKey)).toEqual({ 'Fn::GetAtt': [resourceId, 'reportKey'] });
  });

  it('accepts an imported log bucket and stays cdk-nag clean', () => {
    const stack = testStack(testApp());
    const targetBucket = s3.Bucket.fromBucketName(stack, 'Imported', 'central-logs-111122223333-us-east-1');
    new BucketLogging(stack, 'BucketLogging', { targetBucket });
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });

  describe('rejects at synth', () => {
    it.each<[string, BucketLoggingOptions, RegExp]>([
      [
        'a prefix template without {bucket}',
        { prefixTemplate: 'logs/' },
        /prefixTemplate 'logs\/' must contain \{bucket\}/,
      ],
      [
        'a prefix template in the reserved prefix',
        { prefixTemplate: '_s3-access-logs/{bucket}/' },
        /must not start with _s3-access-logs\//,
      ],
      [
        'an include pattern no bucket name can match',
        { include: ['Team_A*'] },
        /include pattern 'Team_A\*' may only contain lower-case letters/,
      ],
      ['an empty exclude pattern', { exclude: [''] }, /exclude pattern '' is empty/],
      [
        'an opt-out tag key in the aws: namespace',
        { excludeTagKey: 'aws:opt-out' },
        /excludeTagKey 'aws:opt-out' is not a valid tag key/,
      ],
      [
        'the role tag as opt-out tag',
        { excludeTagKey: 's3-access-logs:role' },
        /excludeTagKey must not be s3-access-logs:role/,
      ],
      ['no concurrency', { concurrency: 0 }, /concurrency must be a whole number from 1 to 256 \(got 0\)/],
      [
        'a fractional concurrency',
        { concurrency: 2.5 },
        /concurrency must be a whole number from 1 to 256 \(got 2.5\)/,
      ],
      [
        'name lists too long for the environment',
        { exclude: Array.from({ length: 200 }, (_, i) => `a-very-long-bucket-name-number-${i}`) },
        /over 3000/,
      ],
      ['an empty table revision', { tableRevision: '' }, /tableRevision must not be empty/],
    ])('%s', (_case, options, message) => {
      expect(() => synth(options)).toThrow(message);
    });

    it('names the construct and its path first, then every problem', () => {
      expect(() => synth({ concurrency: 0, exclude: [''] })).toThrow(
        /^BucketLogging TestStack\/BucketLogging: exclude pattern '' is empty\..* concurrency must be a whole number/,
      );
    });

    it.each([
      ['a customer key', s3.BucketEncryption.KMS],
      ['the AWS managed key', s3.BucketEncryption.KMS_MANAGED],
      ['dual-layer KMS', s3.BucketEncryption.DSSE_MANAGED],
    ])('a log bucket encrypted with %s, into which S3 cannot deliver logs', (_, encryption) => {
      const stack = testStack(testApp());
      const targetBucket = new s3.Bucket(stack, 'KmsBucket', { encryption });
      expect(() => new BucketLogging(stack, 'BucketLogging', { targetBucket })).toThrow(
        /^BucketLogging TestStack\/BucketLogging: targetBucket is encrypted with KMS.*SSE-S3/,
      );
    });

    it.each([
      ['SSE-S3', s3.BucketEncryption.S3_MANAGED],
      ['the default encryption', undefined],
    ])('accepts a log bucket with %s', (_, encryption) => {
      const stack = testStack(testApp());
      const targetBucket = new s3.Bucket(stack, 'SseS3Bucket', { encryption });
      expect(() => new BucketLogging(stack, 'BucketLogging', { targetBucket })).not.toThrow();
    });
  });

  describe('tableRevision', () => {
    it('is a property of the custom resource, so that a new one runs bucket logging again', () => {
      synth({ tableRevision: 'abc123' }).template.hasResourceProperties('Custom::S3BucketLogging', {
        TableRevision: 'abc123',
      });
    });

    it('is left out without one, and stays out of the function environment either way', () => {
      const { template } = synth();
      const [resource] = Object.values(template.findResources('Custom::S3BucketLogging'));
      expect(Object.keys(resource.Properties).sort()).toEqual(['Config', 'ServiceToken']);
      const withRevision = synth({ tableRevision: 'abc123' }).template;
      const env = (t: Template) =>
        Object.values(
          t.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } }),
        )[0].Properties.Environment;
      expect(env(withRevision)).toEqual(env(template));
    });
  });
});
