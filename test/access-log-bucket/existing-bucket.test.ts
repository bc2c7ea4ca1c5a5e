import { Annotations as CoreAnnotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessLogBucket, type AccessLogBucketProps, LogDeliveryMode } from '../../lib/access-log-bucket';
import { EXISTING_BUCKET_WARNING } from '../../lib/access-log-bucket/existing-bucket';
import { testStack } from '../util/app';
import { awsSolutionsFindings } from '../util/nag';
import { resolveStatements } from '../util/policy-evaluator';

const EXISTING = 'corp-central-logs-us-east-1';

function synth(props: AccessLogBucketProps = {}) {
  const stack = testStack();
  const construct = new AccessLogBucket(stack, 'LogBucket', { existingBucketName: EXISTING, ...props });
  return { stack, construct };
}

function warnings(stack: ReturnType<typeof synth>['stack']): string[] {
  return Annotations.fromStack(stack)
    .findWarning('*', Match.anyValue())
    .map((w) => String(w.entry.data));
}

describe('AccessLogBucket with existingBucketName', () => {
  it('creates no bucket and no bucket policy', () => {
    const template = Template.fromStack(synth().stack);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('AWS::S3::BucketPolicy', 0);
  });

  it('exposes the existing bucket by name', () => {
    expect(synth().construct.bucket.bucketName).toBe(EXISTING);
  });

  it('warns what the bucket policy must allow, since it is left unchanged', () => {
    const [warning, ...others] = warnings(synth().stack);
    expect(others).toEqual([]);
    expect(warning).toContain(`'${EXISTING}' is not managed by this app`);
    expect(warning).toContain('logging.s3.amazonaws.com s3:PutObject');
    expect(warning).toContain(`${EXISTING}/*`);
    expect(warning).toContain('aws:SourceAccount = 111122223333');
    expect(warning).toContain('s3-access-logs:role=log-target');
    expect(warning).toContain('not have S3 Object Lock');
  });

  it('prints, as JSON, the very statement it writes for a bucket it creates', () => {
    const [warning] = warnings(synth().stack);
    const printed = /Add this statement to its policy: (\{.*\}); it must/.exec(warning)?.[1];
    expect(printed).toBeDefined();

    // The same bucket created by the construct: its delivery statement, tokens resolved as AWS would.
    const created = testStack();
    new AccessLogBucket(created, 'LogBucket', { bucketName: EXISTING });
    const template = Template.fromStack(created).toJSON() as {
      Resources: Record<string, { Type: string; Properties: { PolicyDocument?: { Statement: unknown[] } } }>;
    };
    const [bucketId] = Object.keys(template.Resources).filter(
      (id) => template.Resources[id].Type === 'AWS::S3::Bucket',
    );
    const statements = Object.values(template.Resources).flatMap((r) =>
      r.Type === 'AWS::S3::BucketPolicy' ? (r.Properties.PolicyDocument?.Statement ?? []) : [],
    );
    const written = resolveStatements(statements, {
      bucketArns: { [bucketId]: `arn:aws:s3:::${EXISTING}` },
      account: '111122223333',
    }).find((st) => st.Sid === 'S3ServerAccessLogsPolicy');
    expect(JSON.parse(printed as string)).toEqual(written);
  });

  it('warns about the ACL instead in Acl delivery mode', () => {
    const [warning] = warnings(synth({ deliveryMode: LogDeliveryMode.ACL }).stack);
    expect(warning).toContain('LogDelivery group WRITE and READ_ACP');
    expect(warning).not.toContain('logging.s3.amazonaws.com');
  });

  it('lets the user acknowledge the warning once they have granted delivery', () => {
    const { stack, construct } = synth();
    CoreAnnotations.of(construct).acknowledgeWarning(EXISTING_BUCKET_WARNING, 'granted in the org baseline');
    expect(warnings(stack)).toEqual([]);
  });

  it('grants read access on the existing bucket', () => {
    const { stack, construct } = synth();
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    construct.grantRead(reader);
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    expect(JSON.stringify(statements)).toContain(`:s3:::${EXISTING}/*`);
  });

  it('has no unacknowledged cdk-nag AwsSolutions finding', () => {
    expect(awsSolutionsFindings(synth().stack)).toEqual([]);
  });

  it('rejects a name S3 would reject', () => {
    expect(() => synth({ existingBucketName: 'Corp_Logs' })).toThrow(
      /^AccessLogBucket [^ ]+: existingBucketName 'Corp_Logs' is not a valid S3 bucket name: it may contain only lowercase/,
    );
  });

  it('rejects, by name, the props that shape a bucket it would create', () => {
    expect(() =>
      synth({
        bucketName: 'other-logs',
        retention: Duration.days(30),
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    ).toThrow(
      'existingBucketName cannot be combined with bucketName, retention, removalPolicy: those shape a bucket',
    );
  });

  it('lets several constructs of one app use the same existing bucket', () => {
    const { stack } = synth();
    expect(() => new AccessLogBucket(stack, 'Again', { existingBucketName: EXISTING })).not.toThrow();
  });
});
