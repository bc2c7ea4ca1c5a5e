import { awsSolutionsFindings } from '../util/nag';
import { maskDigests } from '../util/snapshot';
import { synthStack } from '../util/stack';

/**
 * The whole default stack. The one snapshot shows every change to what a default deployment creates; what
 * each part must do is asserted as properties in the other files of this folder.
 */
describe('AccessLogsStack with its defaults', () => {
  it('matches the snapshot (asset hashes and digests masked)', () => {
    expect(maskDigests(synthStack().template.toJSON())).toMatchSnapshot();
  });

  it('has termination protection on', () => {
    expect(synthStack().stack.terminationProtection).toBe(true);
  });

  it('has no unacknowledged cdk-nag AwsSolutions finding', () => {
    expect(awsSolutionsFindings(synthStack().stack)).toEqual([]);
  });

  // In place of a second snapshot per Region: the Region is the only thing that differs between Regions.
  it('names its own Region in the log bucket, the ARNs and the handler’s settings, and no other Region', () => {
    const { template } = synthStack({}, 'us-west-2');
    const text = JSON.stringify(template.toJSON());
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 's3-access-logs-111122223333-us-west-2',
    });
    expect(text).toContain(':glue:us-west-2:111122223333:table/s3_access_logs/access_logs');
    expect(text).toContain('\\"region\\":\\"us-west-2\\"');
    expect(text).not.toMatch(/us-east-1/);
  });
});
