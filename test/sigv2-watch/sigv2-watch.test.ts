import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import fc from 'fast-check';
import { LogCompaction } from '../../lib/log-compaction';
import { Sigv2Watch, type Sigv2WatchOptions } from '../../lib/sigv2-watch';
import { CONFIG_ENV, type WatchConfig } from '../../lib/sigv2-watch/types';
import { testStack } from '../util/app';
import { resourceInventory } from '../util/inventory';
import { awsSolutionsFindings } from '../util/nag';

function build(options: Sigv2WatchOptions & { metricNamespace?: string } = {}) {
  const stack = testStack();
  const compaction = new LogCompaction(stack, 'Compaction', {
    logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs'),
    resultsBucket: s3.Bucket.fromBucketName(stack, 'Results', 'my-results'),
    databaseName: 's3_access_logs',
  });
  const watch = new Sigv2Watch(stack, 'Watch', { compaction, ...options });
  return { stack, watch, compaction, template: Template.fromStack(stack) };
}

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Effect: string };

/** Every statement of every policy on the watch's function role (its own policy and the query grants). */
function handlerStatements(template: Template): Statement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    JSON.stringify(p.Properties.Roles).includes('WatchHandlerRole'),
  );
  expect(policies).toHaveLength(2);
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

function handlerConfig(template: Template): WatchConfig {
  const fns = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) =>
    String(f.Properties.Description).startsWith('Sigv2Watch'),
  );
  expect(fns).toHaveLength(1);
  const value = fns[0].Properties.Environment.Variables[CONFIG_ENV];
  // The topic ARN is a Ref: the JSON is a Fn::Join of text and that token.
  const text = (value['Fn::Join'][1] as unknown[])
    .map((part) => (typeof part === 'string' ? part : 'TOPIC'))
    .join('');
  return JSON.parse(text) as WatchConfig;
}

describe('Sigv2Watch', () => {
  const { template } = build();

  it('has no cdk-nag finding', () => {
    expect(awsSolutionsFindings(build().watch)).toEqual([]);
  });

  it('runs after each successful execution of the compaction, and only of that state machine', () => {
    const { stack, compaction, template: t } = build();
    const machine = stack.getLogicalId(compaction.stateMachine.node.defaultChild as never);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['SUCCEEDED'], stateMachineArn: [{ Ref: machine }] },
      },
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WatchHandler'), 'Arn'] } }),
      ],
    });
  });

  it('encrypts the topic with a rotated key that CloudWatch alarms may use, and refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WatchTopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
          }),
        ]),
      },
    });
  });

  it('limits cloudwatch:PutMetricData to the S3AccessLogs namespace, in the only statement that grants it', () => {
    const metric = handlerStatements(template).filter((s) =>
      actions(s).some((a) => a === 'cloudwatch:PutMetricData' || a === 'cloudwatch:*' || a === '*'),
    );
    expect(metric).toEqual([
      {
        Effect: 'Allow',
        Action: 'cloudwatch:PutMetricData',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'S3AccessLogs' } },
      },
    ]);
  });

  it('grants Athena on the compaction’s workgroup only, sns:Publish on the topic, events on the default bus', () => {
    const statements = handlerStatements(template);
    const on = (prefix: string) => statements.filter((s) => actions(s).some((a) => a.startsWith(prefix)));
    const athena = on('athena:');
    expect(athena).toHaveLength(1);
    expect(JSON.stringify(athena[0]?.Resource)).toMatch(
      /:athena:us-east-1:111122223333:workgroup\/[^"*]+"\]\]\}$/,
    );
    expect(JSON.stringify(athena[0]?.Resource)).toContain(`workgroup/${build().compaction.workGroupName}`);
    const publish = on('sns:');
    expect(publish).toHaveLength(1);
    expect(publish[0]).toMatchObject({
      Action: 'sns:Publish',
      Resource: { Ref: expect.stringMatching(/^WatchTopic/) },
    });
    expect(on('events:').map((s) => s.Resource)).toEqual([
      {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':events:us-east-1:111122223333:event-bus/default'],
        ],
      },
    ]);
    expect(statements.some((s) => actions(s).some((a) => a.endsWith(':*') || a === '*'))).toBe(false);
  });

  it('reads only the compacted files and the compaction’s query results, not the raw logs', () => {
    const reads = handlerStatements(template).filter((s) => actions(s).includes('s3:GetObject'));
    const resources = reads.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    expect(resources.map((r) => JSON.stringify(r))).toEqual([
      expect.stringContaining(':s3:::my-logs/_s3-access-logs/daily/*'),
      expect.stringContaining(':s3:::my-results/compaction/*'),
    ]);
  });

  it('alarms on new SigV2 requesters: Maximum per day >= 1, missing data not breaching, to the topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'S3AccessLogs',
      MetricName: 'NewSigV2Requesters',
      Statistic: 'Maximum',
      Period: 86400,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^WatchTopic') }],
    });
  });

  it('has a dashboard with the SigV2 requests, requesters, new requesters and records per day, and a text', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0].Properties.DashboardBody);
    for (const name of ['SigV2Requests', 'SigV2Requesters', 'NewSigV2Requesters', 'Records']) {
      expect(body).toContain(`\\"S3AccessLogs\\",\\"${name}\\"`);
    }
    expect(body).toContain('# SigV2 watch');
    expect(body).toContain('not a clean day');
    expect(body).toContain('-P90D');
  });

  it('passes the compacted table, workgroup and lookback to the function', () => {
    expect(handlerConfig(template)).toEqual({
      databaseName: 's3_access_logs',
      tableName: 'access_logs_daily',
      workGroupName: 's3-access-logs-compaction',
      lookbackDays: 30,
      topicArn: 'TOPIC',
      namespace: 'S3AccessLogs',
      eventBusName: 'default',
    });
  });

  it('subscribes digestEmail to the topic, and nobody without it', () => {
    expect(template.findResources('AWS::SNS::Subscription')).toEqual({});
    build({ digestEmail: 'team@example.com' }).template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'team@example.com',
    });
  });

  it('adds its topic and key, function, rule, alarm and dashboard to the compaction’s resources', () => {
    const watchOnly = build().template;
    const stack = testStack();
    new LogCompaction(stack, 'Compaction', {
      logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs'),
      resultsBucket: s3.Bucket.fromBucketName(stack, 'Results', 'my-results'),
      databaseName: 's3_access_logs',
    });
    const compactionOnly = resourceInventory(Template.fromStack(stack));
    const added = Object.fromEntries(
      Object.entries(resourceInventory(watchOnly))
        .map(([type, n]) => [type, n - (compactionOnly[type] ?? 0)] as const)
        .filter(([, n]) => n !== 0),
    );
    expect(added).toEqual({
      'AWS::SNS::Topic': 1,
      'AWS::SNS::TopicPolicy': 1,
      'AWS::KMS::Key': 1,
      'AWS::Lambda::Function': 1,
      'AWS::Lambda::Permission': 1,
      'AWS::Logs::LogGroup': 1,
      'AWS::IAM::Role': 1,
      'AWS::IAM::Policy': 2,
      'AWS::Events::Rule': 1,
      'AWS::CloudWatch::Alarm': 1,
      'AWS::CloudWatch::Dashboard': 1,
    });
  });

  it('runs its function for up to 15 minutes on the newest Node.js runtime, logging for a year', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('SigV2'),
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });
});

describe('Sigv2Watch validation', () => {
  it('takes any lookbackDays from 1 to 366 and hands it to the function', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 366 }), (days) => {
        expect(handlerConfig(build({ lookbackDays: days }).template).lookbackDays).toBe(days);
      }),
      { numRuns: 5 },
    );
  });

  it('refuses a lookbackDays that is not a whole number from 1 to 366, naming the prop', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 367 }), fc.double({ noInteger: true })),
        (days) => {
          expect(() => build({ lookbackDays: days })).toThrow(
            /lookbackDays must be a whole number of days from 1 to 366/,
          );
        },
      ),
      { numRuns: 20 },
    );
  });

  it.each([
    [{ digestEmail: 'not an address' }, /digestEmail must be an email address .* \(got 'not an address'\)/],
    [{ newRequestersThreshold: 0 }, /newRequestersThreshold must be a whole number of at least 1 \(got 0\)/],
    [{ dashboardRange: Duration.hours(1) }, /dashboardRange must be at least 1 day \(got 1 hour\)/],
    [{ metricNamespace: 'AWS/S3' }, /metricNamespace must be .* not start with AWS\/ \(got 'AWS\/S3'\)/],
    [{ metricNamespace: "it's" }, /metricNamespace must be 1 to 255 letters/],
  ])('refuses %j', (options, message) => {
    expect(() => build(options)).toThrow(message);
  });
});
