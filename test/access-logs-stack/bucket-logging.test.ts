import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { AccessLogsStackProps } from '../../lib/access-logs-stack';
import { synthStack } from '../util/stack';

const synth = (props: AccessLogsStackProps = {}) => synthStack(props, 'eu-west-1');

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

  it('deploys the log bucket alone with bucketLoggingEnabled and accessLogTableEnabled false', () => {
    const { stack, template } = synth({ bucketLoggingEnabled: false, accessLogTableEnabled: false });
    template.resourceCountIs('Custom::S3BucketLogging', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    expect(stack.bucketLogging).toBeUndefined();
  });

  describe('with the Athena table', () => {
    it('keeps the table’s bucket list: the handler gets the table and may update only it', () => {
      const { template } = synth();
      const [resource] = Object.values(template.findResources('Custom::S3BucketLogging'));
      const config = JSON.parse(JSON.stringify(resource.Properties.Config));
      expect(JSON.stringify(config)).toContain(
        '"glueTable\\":{\\"databaseName\\":\\"s3_access_logs\\",\\"tableName\\":\\"access_logs\\"}',
      );
    });

    it('runs after the table, again whenever the table’s definition changes', () => {
      const revisionOf = (props: AccessLogsStackProps) => {
        const { template } = synth(props);
        const [resource] = Object.values(template.findResources('Custom::S3BucketLogging'));
        expect(resource.DependsOn).toEqual(
          expect.arrayContaining([expect.stringMatching(/^AccessLogTable/)]),
        );
        return resource.Properties.TableRevision;
      };
      const base = revisionOf({});
      expect(base).toMatch(/^[0-9a-f]{16}$/);
      expect(revisionOf({})).toBe(base);
      expect(revisionOf({ accessLogTable: { projectionStart: '2024/01/01' } })).not.toBe(base);
    });

    it('runs after the Athena results bucket exists with its role tag, so that it never configures it', () => {
      const { stack, template } = synth();
      const [resource] = Object.values(template.findResources('Custom::S3BucketLogging'));
      const resultsBucket = stack.accessLogTable!.resultsBucket.node.defaultChild as never;
      expect(resource.DependsOn).toContain(stack.getLogicalId(resultsBucket));
    });

    it('gives the table the key layout that bucket logging writes', () => {
      const { template } = synth({ bucketLogging: { prefixTemplate: 'logs/{bucket}/' } });
      const [table] = Object.values(template.findResources('AWS::Glue::Table'));
      const location = JSON.stringify(table.Properties.TableInput.Parameters['storage.location.template']);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's projection placeholders, not JavaScript's.
      expect(location).toContain('/logs/${bucket}/111122223333/eu-west-1/${bucket}/${day}');
    });

    it('rejects a table layout that differs from bucket logging’s', () => {
      expect(() =>
        synth({
          bucketLogging: { prefixTemplate: 'a/{bucket}/' },
          accessLogTable: { prefixTemplate: 'b/{bucket}/' },
        }),
      ).toThrow(
        /accessLogTable.prefixTemplate \(b\/\{bucket\}\/\) differs from bucketLogging.prefixTemplate/,
      );
    });
  });
});
