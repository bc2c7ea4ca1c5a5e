import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CentralLake, OrgSigv2Watch } from '../../lib/central-lake';
import { orgWatchViewSql } from '../../lib/central-lake/queries';
import { COMPACTED_COLUMNS } from '../../lib/log-compaction/sql';
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

  it('passes cdk-nag', () => {
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });
});
