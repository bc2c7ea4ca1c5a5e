import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { AccessLogsStack, type AccessLogsStackProps } from '../../lib/access-logs-stack';
import { testApp } from '../util/app';

function synth(props: AccessLogsStackProps = {}) {
  const stack = new AccessLogsStack(testApp(), 'S3AccessLogs-eu-west-1', {
    env: { account: '111122223333', region: 'eu-west-1' },
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}

describe('AccessLogsStack with bucket logging', () => {
  it('has the custom resource, the CreateBucket rule, the sweep and the state table by default', () => {
    const { stack, template } = synth();
    template.resourceCountIs('Custom::S3BucketLogging', 1);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['aws.s3'] } });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)' });
    // Every source bucket logs into this stack's log bucket.
    const [resource] = Object.values(template.findResources('Custom::S3BucketLogging'));
    expect(JSON.stringify(resource.Properties.Config)).toContain(
      stack.getLogicalId(stack.logBucket.bucket.node.defaultChild as never),
    );
    expect(stack.bucketLogging).toBeDefined();
  });

  it('passes its bucketLogging options to the construct', () => {
    const { template } = synth({
      bucketLogging: { sweepSchedule: events.Schedule.rate(Duration.hours(12)) },
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(12 hours)' });
  });

  it('deploys the log bucket alone with enableBucketLogging false', () => {
    const { stack, template } = synth({ enableBucketLogging: false });
    template.resourceCountIs('Custom::S3BucketLogging', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    expect(stack.bucketLogging).toBeUndefined();
  });
});
