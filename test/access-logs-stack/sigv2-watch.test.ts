import { Duration } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { AccessLogsStackProps } from '../../lib/access-logs-stack';
import { KeyFormat } from '../../lib/conventions';
import { awsSolutionsFindings } from '../util/nag';
import { synthStack } from '../util/stack';

/** The SigV2 watch inside the Region's stack: on with the compaction, wired to it. */

const synth = (props: AccessLogsStackProps = {}) => synthStack(props);

describe('AccessLogsStack with the SigV2 watch', () => {
  const { stack, template } = synth();

  it('deploys the watch by default, started by the stack’s own compaction state machine', () => {
    expect(stack.sigv2Watch).toBeDefined();
    const machine = stack.logCompaction?.stateMachine.node.defaultChild;
    const machineId = stack.getLogicalId(machine as never);
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter(
      (r) => r.Properties.EventPattern?.source?.[0] === 'aws.states',
    );
    expect(rules.map((r) => r.Properties.EventPattern.detail)).toEqual([
      { status: ['SUCCEEDED'], stateMachineArn: [{ Ref: machineId }] },
    ]);
  });

  it('queries the compacted table in the compaction’s workgroup', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((f) =>
      String(f.Properties.Description).startsWith('Sigv2Watch'),
    );
    const config = JSON.stringify(fn?.Properties.Environment.Variables);
    expect(config).toContain(`\\"tableName\\":\\"${stack.logCompaction?.tableName}\\"`);
    expect(config).toContain(`\\"workGroupName\\":\\"${stack.logCompaction?.workGroupName}\\"`);
  });

  it('shows as many days on the dashboard as the log bucket keeps', () => {
    const body = (t: Template) =>
      JSON.stringify(
        Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
      );
    expect(body(template)).toContain('-P90D');
    expect(body(synth({ logBucket: { retention: Duration.days(400) } }).template)).toContain('-P400D');
  });

  it('has no cdk-nag finding in the watch', () => {
    expect(awsSolutionsFindings(stack.sigv2Watch as never)).toEqual([]);
  });

  it('leaves the watch out with sigv2WatchEnabled false, and without the compaction', () => {
    expect(synth({ sigv2WatchEnabled: false }).stack.sigv2Watch).toBeUndefined();
    expect(synth({ bucketLogging: { keyFormat: KeyFormat.SIMPLE } }).stack.sigv2Watch).toBeUndefined();
  });

  it('refuses sigv2WatchEnabled true without the compaction, saying what to change', () => {
    expect(() => synth({ sigv2WatchEnabled: true, accessLogTableEnabled: false })).toThrow(
      /^AccessLogsStack S3AccessLogs-us-east-1: sigv2WatchEnabled needs the compaction .* or set sigv2WatchEnabled to false\.$/,
    );
  });
});
