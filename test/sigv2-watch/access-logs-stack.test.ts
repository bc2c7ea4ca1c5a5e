import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccessLogsStack, type AccessLogsStackProps } from '../../lib/access-logs-stack';
import { CONTEXT_KEYS, readAppConfig } from '../../lib/app-config';
import { KeyFormat } from '../../lib/conventions';
import { testApp } from '../util/app';
import { awsSolutionsFindings } from '../util/nag';

/** The SigV2 watch inside the Region's stack: on with the compaction, wired to it. */

function synth(props: AccessLogsStackProps = {}) {
  const stack = new AccessLogsStack(testApp(), 'S3AccessLogs-us-east-1', {
    env: { account: '111122223333', region: 'us-east-1' },
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}

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

  it('leaves the watch out with sigv2Watch false, and without the compaction', () => {
    expect(synth({ sigv2Watch: false }).stack.sigv2Watch).toBeUndefined();
    expect(synth({ bucketLogging: { keyFormat: KeyFormat.SIMPLE } }).stack.sigv2Watch).toBeUndefined();
  });

  it('refuses sigv2Watch true without the compaction, saying what to change', () => {
    expect(() => synth({ sigv2Watch: true, athena: false })).toThrow(
      /sigv2Watch needs the compaction .* or set sigv2Watch to false/,
    );
  });
});

describe('app config: SigV2 watch context keys', () => {
  const config = (context: Record<string, unknown>) => {
    const all: Record<string, unknown> = { regions: 'us-east-1', ...context };
    return readAppConfig((key) => all[key]);
  };

  it('reads sigv2Watch, digestEmail and lookbackDays from context keys named like the props', () => {
    const read = config({ sigv2Watch: 'true', digestEmail: 'team@example.com', lookbackDays: '45' });
    expect(read.sigv2Watch).toBe(true);
    expect(config({ sigv2Watch: 'false' }).sigv2Watch).toBe(false);
    expect(read.sigv2WatchOptions).toEqual({ digestEmail: 'team@example.com', lookbackDays: 45 });
    for (const key of ['sigv2Watch', ...Object.keys(read.sigv2WatchOptions)])
      expect(CONTEXT_KEYS).toHaveProperty(key);
  });

  it('leaves them to the stack’s defaults when unset', () => {
    expect(config({})).toMatchObject({ sigv2Watch: undefined, sigv2WatchOptions: {} });
  });

  it.each([
    [{ lookbackDays: 'thirty' }, /Context lookbackDays must be a whole number \(got "thirty"\)/],
    [{ sigv2Watch: 'yes' }, /Context sigv2Watch must be true or false \(got "yes"\)/],
    [{ lookbackDays: '0' }, /Context lookbackDays must be a whole number of days from 1 to 366 \(got 0\)/],
  ])('refuses %j naming the key', (context, message) => {
    expect(() => config(context)).toThrow(message);
  });
});
