import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CentralLake, OrgSigv2Watch } from '../../lib/central-lake';
import { orgWatchViewSql } from '../../lib/central-lake/queries';
import { LogCompaction } from '../../lib/log-compaction';
import { COMPACTED_COLUMNS } from '../../lib/log-compaction/sql';
import { Sigv2Watch } from '../../lib/sigv2-watch';
import { CONFIG_ENV } from '../../lib/sigv2-watch/types';
import { testApp } from '../util/app';
import { awsSolutionsFindings } from '../util/nag';

describe('OrgSigv2Watch', () => {
  const stack = new Stack(testApp(), 'Central', { env: { account: '222233334444', region: 'us-east-1' } });
  const lake = new CentralLake(stack, 'CentralLake', { organizationId: 'o-a1b2c3d4e5' });
  const watch = new OrgSigv2Watch(stack, 'Sigv2Watch', { lake, digestEmail: 'team@example.com' });
  const template = Template.fromStack(stack);

  it('reads a view, stored as Athena stores views, over the central table with the account in requester', () => {
    const view = template.findResources('AWS::Glue::Table', {
      Properties: { TableInput: { TableType: 'VIRTUAL_VIEW' } },
    });
    const input = Object.values(view)[0].Properties.TableInput;
    expect(input.Name).toBe('org_sigv2_watch');
    const encoded = /^\/\* Presto View: (.+) \*\/$/.exec(input.ViewOriginalText)?.[1] as string;
    const definition = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    expect(definition.originalSql).toBe(orgWatchViewSql('"s3_access_logs_org"."org_access_logs_daily"'));
    expect(definition.columns.map((c: { name: string }) => c.name)).toEqual([
      ...COMPACTED_COLUMNS.map((c) => c.name),
      'day',
    ]);
    expect(definition.columns.find((c: { name: string }) => c.name === 'request_time').type).toBe(
      'timestamp(3)',
    );
  });

  it('digests yesterday every day after the deliveries, through a state machine the watch waits for', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 10 * * ? *)' });
    const definition = JSON.stringify(
      template.findResources('AWS::StepFunctions::StateMachine')[
        stack.getLogicalId(watch.trigger.node.defaultChild as never)
      ],
    );
    expect(definition).toContain('$fromMillis($toMillis($states.context.Execution.StartTime) - 86400000');
    expect(definition).toContain('[Y0001]/[M01]/[D01]');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        detail: {
          status: ['SUCCEEDED'],
          stateMachineArn: [{ Ref: stack.getLogicalId(watch.trigger.node.defaultChild as never) }],
        },
      },
    });
  });

  it('refuses a view name Glue and Athena would not take, naming its path and the fix', () => {
    // A fresh stack each time: a construct that throws is already in its scope's tree.
    const build = () => {
      const s = new Stack(testApp(), 'Bad', { env: { account: '222233334444', region: 'us-east-1' } });
      const badLake = new CentralLake(s, 'CentralLake', { organizationId: 'o-a1b2c3d4e5' });
      return new OrgSigv2Watch(s, 'Watch', { lake: badLake, viewName: 'Bad View;drop' });
    };
    expect(build).toThrow(/^OrgSigv2Watch Bad\/Watch: /);
    expect(build).toThrow(
      /viewName 'Bad View;drop' must be 1 to 255 lower-case letters, digits or underscores/,
    );
  });

  it('passes cdk-nag', () => {
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });
});

describe('OrgSigv2Watch next to the account’s own Sigv2Watch, in one central account', () => {
  const stack = new Stack(testApp(), 'Central', { env: { account: '222233334444', region: 'us-east-1' } });
  const lake = new CentralLake(stack, 'CentralLake', { organizationId: 'o-a1b2c3d4e5' });
  const org = new OrgSigv2Watch(stack, 'OrgWatch', { lake });
  const compaction = new LogCompaction(stack, 'Compaction', {
    logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs'),
    resultsBucket: s3.Bucket.fromBucketName(stack, 'Results', 'my-results'),
    databaseName: 's3_access_logs',
  });
  const own = new Sigv2Watch(stack, 'OwnWatch', { compaction });
  const template = Template.fromStack(stack);
  const resolve = (value: unknown) => JSON.stringify(stack.resolve(value));

  /** The namespace each watch's function puts its metrics in, and the only one its policy allows. */
  function namespaces(watch: Sigv2Watch) {
    const fn =
      template.findResources('AWS::Lambda::Function')[
        stack.getLogicalId(watch.handler.node.defaultChild as never)
      ];
    const config = JSON.stringify(fn.Properties.Environment.Variables[CONFIG_ENV]);
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
      id.startsWith(stack.getLogicalId(watch.node.findChild('HandlerPolicy').node.defaultChild as never)),
    );
    const conditions = policies.flatMap(([, p]) =>
      (p.Properties.PolicyDocument.Statement as { Condition?: Record<string, Record<string, string>> }[])
        .map((st) => st.Condition?.StringEquals?.['cloudwatch:namespace'])
        .filter((c) => c !== undefined),
    );
    return { config, conditions };
  }

  it('puts the organization’s metrics in their own namespace, which its policy alone allows', () => {
    expect(org.watch.metricNamespace).toBe('S3AccessLogs/Organization');
    expect(own.metricNamespace).toBe('S3AccessLogs');
    const o = namespaces(org.watch);
    const a = namespaces(own);
    expect(o.conditions).toEqual(['S3AccessLogs/Organization']);
    expect(a.conditions).toEqual(['S3AccessLogs']);
    expect(o.config).toContain('\\"namespace\\":\\"S3AccessLogs/Organization\\"');
    expect(a.config).toContain('\\"namespace\\":\\"S3AccessLogs\\"');
  });

  it('has each alarm and dashboard read its own watch’s series only', () => {
    const alarm = (watch: Sigv2Watch) =>
      template.findResources('AWS::CloudWatch::Alarm')[
        stack.getLogicalId(watch.newRequestersAlarm.node.defaultChild as never)
      ].Properties;
    expect(alarm(org.watch)).toMatchObject({
      Namespace: 'S3AccessLogs/Organization',
      MetricName: 'NewSigV2Requesters',
    });
    expect(alarm(own)).toMatchObject({ Namespace: 'S3AccessLogs', MetricName: 'NewSigV2Requesters' });
    const body = (watch: Sigv2Watch) =>
      resolve(
        template.findResources('AWS::CloudWatch::Dashboard')[
          stack.getLogicalId(watch.dashboard.node.defaultChild as never)
        ].Properties.DashboardBody,
      );
    expect(body(org.watch)).toContain('S3AccessLogs/Organization');
    expect(body(own)).not.toContain('S3AccessLogs/Organization');
    expect(body(own)).toContain('\\"S3AccessLogs\\",\\"SigV2Requests\\"');
  });

  it('passes cdk-nag', () => {
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });
});
