import { Template } from 'aws-cdk-lib/assertions';
import { AccessLogsStack } from '../lib/access-logs-stack';
import { testApp } from './util/app';
import { awsSolutionsFindings } from './util/nag';

function synth(region: string) {
  const app = testApp();
  const stack = new AccessLogsStack(app, `S3AccessLogs-${region}`, {
    env: { account: '111122223333', region },
  });
  return { stack, template: Template.fromStack(stack) };
}

describe('AccessLogsStack', () => {
  it.each(['us-east-1', 'us-west-2'])('matches the snapshot in %s', (region) => {
    expect(synth(region).template.toJSON()).toMatchSnapshot();
  });

  it('has termination protection on', () => {
    expect(synth('us-east-1').stack.terminationProtection).toBe(true);
  });

  it('has no unacknowledged cdk-nag AwsSolutions finding', () => {
    expect(awsSolutionsFindings(synth('us-east-1').stack)).toEqual([]);
  });
});
