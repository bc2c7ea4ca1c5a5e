import { App, Annotations as CoreAnnotations, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessLogBucket, AccessLogsStack } from '../../lib';
import { LOG_TARGET_ROLE, ROLE_TAG_KEY } from '../../lib/conventions';
import { testApp } from '../util/app';
import { awsSolutionsFindings } from '../util/nag';

/** How platform teams compose the constructs in their own apps, through the package's public API. */

/** Names of the stack's log buckets (tagged as log targets; a stack may have other buckets too). */
function bucketNames(stack: Stack): unknown[] {
  const buckets = Template.fromStack(stack).findResources('AWS::S3::Bucket', {
    Properties: { Tags: Match.arrayWith([{ Key: ROLE_TAG_KEY, Value: LOG_TARGET_ROLE }]) },
  });
  return Object.values(buckets).map((b) => b.Properties.BucketName);
}

describe('composing the constructs', () => {
  describe('two AccessLogsStacks in one app', () => {
    it('name their log buckets after their own account and Region', () => {
      const app = testApp();
      const us = new AccessLogsStack(app, 'Us', { env: { account: '111111111111', region: 'us-east-1' } });
      const eu = new AccessLogsStack(app, 'Eu', { env: { account: '222222222222', region: 'eu-west-1' } });
      expect(bucketNames(us)).toEqual(['s3-access-logs-111111111111-us-east-1']);
      expect(bucketNames(eu)).toEqual(['s3-access-logs-222222222222-eu-west-1']);
    });

    it('fail at synth, naming both, when they would create the same bucket name', () => {
      const app = testApp();
      const env = { account: '111111111111', region: 'us-east-1' };
      new AccessLogsStack(app, 'First', { env });
      expect(() => new AccessLogsStack(app, 'Second', { env })).toThrow(
        "AccessLogBucket Second/LogBucket: bucketName 's3-access-logs-111111111111-us-east-1' is already used " +
          'by First/LogBucket. Bucket names are global',
      );
    });

    it('coexist in one account and Region when the user passes names', () => {
      const app = testApp();
      const env = { account: '111111111111', region: 'us-east-1' };
      const a = new AccessLogsStack(app, 'A', { env, logBucket: { bucketName: 'team-a-access-logs' } });
      const b = new AccessLogsStack(app, 'B', { env, logBucket: { bucketName: 'team-b-access-logs' } });
      expect([...bucketNames(a), ...bucketNames(b)]).toEqual(['team-a-access-logs', 'team-b-access-logs']);
    });
  });

  describe("inside a user's own Stack", () => {
    const app = testApp();
    const stack = new Stack(app, 'Platform', { env: { account: '111111111111', region: 'eu-west-1' } });
    const logs = new AccessLogBucket(stack, 'AccessLogs');
    const auditors = new iam.Role(stack, 'Auditors', { assumedBy: new iam.AccountRootPrincipal() });
    logs.grantRead(auditors);
    const template = Template.fromStack(stack);

    it("creates the log bucket in the user's stack, named after its account and Region", () => {
      expect(bucketNames(stack)).toEqual(['s3-access-logs-111111111111-eu-west-1']);
    });

    it("grants the user's role read access to the logs", () => {
      const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
        (p) => p.Properties.PolicyDocument.Statement,
      );
      expect(statements.flatMap((s) => s.Action)).toEqual(
        expect.arrayContaining(['s3:GetObject*', 's3:List*']),
      );
    });

    it('adds no cdk-nag finding of its own', () => {
      // The user's role is theirs to check; the log bucket and its policy are ours.
      expect(awsSolutionsFindings(logs)).toEqual([]);
    });
  });

  describe('inside a Stage', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stage = new Stage(app, 'Prod', { env: { account: '333333333333', region: 'eu-central-1' } });
    const accessLogs = new AccessLogsStack(stage, 'AccessLogs');
    const own = new Stack(stage, 'Own');
    new AccessLogBucket(own, 'Logs', { bucketName: 'prod-own-access-logs' });

    it("takes the account and Region of the Stage's environment", () => {
      expect(bucketNames(accessLogs)).toEqual(['s3-access-logs-333333333333-eu-central-1']);
    });

    it("synthesizes both stacks into the Stage's nested assembly, named after the Stage", () => {
      const assembly = stage.synth();
      expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['Prod-AccessLogs', 'Prod-Own']);
    });
  });

  describe('with an existing bucket as the log target', () => {
    const app = testApp();
    const stack = new AccessLogsStack(app, 'AccessLogs', {
      env: { account: '111111111111', region: 'us-east-1' },
      logBucket: { existingBucketName: 'corp-logs-us-east-1' },
    });

    it('creates no bucket and points the stack at the existing one', () => {
      expect(bucketNames(stack)).toEqual([]);
      expect(stack.logBucket.bucket.bucketName).toBe('corp-logs-us-east-1');
    });

    it('has no unacknowledged cdk-nag AwsSolutions finding', () => {
      expect(awsSolutionsFindings(stack)).toEqual([]);
    });

    it('lets the user acknowledge the policy warning on the whole stack, as the README shows', () => {
      const other = new AccessLogsStack(testApp(), 'Acknowledged', {
        env: { account: '111111111111', region: 'us-east-1' },
        logBucket: { existingBucketName: 'corp-logs-us-east-1' },
      });
      expect(Annotations.fromStack(other).findWarning('*', Match.anyValue())).toHaveLength(1);
      CoreAnnotations.of(other).acknowledgeWarning(
        's3-access-logs:existingLogBucket',
        'granted in the baseline',
      );
      expect(Annotations.fromStack(other).findWarning('*', Match.anyValue())).toEqual([]);
    });
  });
});
