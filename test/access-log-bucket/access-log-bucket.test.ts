import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessLogBucket, type AccessLogBucketProps, LogDeliveryMode } from '../../lib/access-log-bucket';
import { testApp, testStack } from '../util/app';
import { awsSolutionsFindings } from '../util/nag';

function synth(props: AccessLogBucketProps = {}) {
  const stack = testStack();
  const construct = new AccessLogBucket(stack, 'LogBucket', props);
  return { stack, construct, template: Template.fromStack(stack) };
}

function bucketProperties(template: Template): Record<string, unknown> {
  const buckets = template.findResources('AWS::S3::Bucket');
  expect(Object.keys(buckets)).toHaveLength(1);
  return Object.values(buckets)[0].Properties;
}

function policyStatements(template: Template): Array<Record<string, unknown>> {
  const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('AccessLogBucket', () => {
  describe.each([LogDeliveryMode.BUCKET_POLICY, LogDeliveryMode.ACL])(
    'in %s delivery mode',
    (deliveryMode) => {
      const { template, stack } = synth({ deliveryMode });

      it('blocks all four kinds of public access', () => {
        expect(bucketProperties(template).PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
      });

      it('encrypts with SSE-S3', () => {
        expect(bucketProperties(template).BucketEncryption).toEqual({
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        });
      });

      it('expires logs after 90 days and aborts incomplete multipart uploads', () => {
        expect(bucketProperties(template).LifecycleConfiguration).toEqual({
          Rules: [
            {
              Id: 'ExpireAccessLogs',
              Status: 'Enabled',
              ExpirationInDays: 90,
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            },
          ],
        });
      });

      it('is retained when the stack is deleted', () => {
        template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      });

      it('is named after account and Region and tagged as a log target', () => {
        const props = bucketProperties(template);
        expect(props.BucketName).toBe('s3-access-logs-111122223333-us-east-1');
        expect(props.Tags).toEqual([{ Key: 's3-access-logs:role', Value: 'log-target' }]);
      });

      it('denies requests without TLS and with TLS older than 1.2', () => {
        const denies = policyStatements(template).filter((s) => s.Effect === 'Deny');
        expect(denies).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            expect.objectContaining({ Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          ]),
        );
      });

      it('has no unacknowledged cdk-nag finding', () => {
        expect(awsSolutionsFindings(stack)).toEqual([]);
      });
    },
  );

  describe('bucket-policy delivery (the default)', () => {
    const { template } = synth();

    it('enforces bucket-owner object ownership and sets no ACL', () => {
      const props = bucketProperties(template);
      expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      expect(props.AccessControl).toBeUndefined();
    });

    it('lets only the logging service put objects, for source buckets of this account', () => {
      const allows = policyStatements(template).filter((s) => s.Effect === 'Allow');
      expect(allows).toEqual([
        {
          Sid: 'S3ServerAccessLogsPolicy',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: {
            'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^LogBucket/), 'Arn'] }, '/*']],
          },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111122223333' },
            ArnLike: {
              'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::*']] },
            },
          },
        },
      ]);
    });
  });

  describe('ACL delivery (the seed guide’s way)', () => {
    const { template } = synth({ deliveryMode: LogDeliveryMode.ACL });

    it('grants the LogDelivery group with the canned LogDeliveryWrite ACL on an ACL-enabled bucket', () => {
      const props = bucketProperties(template);
      expect(props.AccessControl).toBe('LogDeliveryWrite');
      expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'ObjectWriter' }] });
    });

    it('adds no policy statement for the logging service', () => {
      const allows = policyStatements(template).filter((s) => s.Effect === 'Allow');
      expect(allows).toEqual([]);
    });
  });

  describe('options', () => {
    it('uses the given name', () => {
      expect(bucketProperties(synth({ bucketName: 'my-logs' }).template).BucketName).toBe('my-logs');
    });

    it('builds the default name from tokens when account and Region are unknown', () => {
      const app = testApp();
      const stack = new Stack(app, 'Agnostic');
      new AccessLogBucket(stack, 'LogBucket');
      const name = bucketProperties(Template.fromStack(stack)).BucketName;
      expect(name).toEqual({
        'Fn::Join': ['', ['s3-access-logs-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
      });
    });

    it('keeps logs for the given retention and moves them to STANDARD_IA', () => {
      const { template } = synth({
        retention: Duration.days(400),
        transitionToInfrequentAccessAfter: Duration.days(30),
      });
      const [rule] = (bucketProperties(template).LifecycleConfiguration as { Rules: object[] }).Rules;
      expect(rule).toMatchObject({
        ExpirationInDays: 400,
        Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
      });
    });

    it('expires noncurrent versions when versioning is on', () => {
      const { template } = synth({ versioned: true });
      const props = bucketProperties(template);
      expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      const [rule] = (props.LifecycleConfiguration as { Rules: object[] }).Rules;
      expect(rule).toMatchObject({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } });
    });

    it('never enables Object Lock, which S3 refuses on a log destination bucket', () => {
      const props = bucketProperties(synth({ versioned: true }).template);
      expect(props.ObjectLockEnabled).toBeUndefined();
      expect(props.ObjectLockConfiguration).toBeUndefined();
    });

    it('is deleted with its logs only when asked to', () => {
      const { template } = synth({ removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
      template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    });

    it('skips validation of unresolved tokens', () => {
      const stack = testStack();
      const days = Token.asNumber({ Ref: 'RetentionDays' });
      expect(() => new AccessLogBucket(stack, 'LogBucket', { retention: Duration.days(days) })).not.toThrow();
    });

    it('grants read access to the logs', () => {
      const stack = testStack();
      const construct = new AccessLogBucket(stack, 'LogBucket');
      const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
      construct.grantRead(role);
      const statements = Template.fromStack(stack).findResources('AWS::IAM::Policy');
      const actions = Object.values(statements).flatMap((p) =>
        p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string[] }) => s.Action),
      );
      expect(actions).toEqual(expect.arrayContaining(['s3:GetObject*', 's3:List*']));
      expect(actions.some((a: string) => a.startsWith('s3:Put') || a.startsWith('s3:Delete'))).toBe(false);
    });
  });

  describe('rejects at synth', () => {
    it.each<[string, AccessLogBucketProps, RegExp]>([
      [
        'a retention of 0 days',
        { retention: Duration.days(0) },
        /^retention must be at least 1 day \(got 0\)/,
      ],
      [
        'a retention of part of a day',
        { retention: Duration.hours(36) },
        /^retention must be a whole number of days/,
      ],
      [
        'an IA transition before 30 days',
        { transitionToInfrequentAccessAfter: Duration.days(29) },
        /^transitionToInfrequentAccessAfter must be at least 30 days.*\(got 29\)/,
      ],
      [
        'an IA transition that is not before expiry',
        { retention: Duration.days(60), transitionToInfrequentAccessAfter: Duration.days(60) },
        /^transitionToInfrequentAccessAfter \(60 days\) must be shorter than retention \(60 days\)/,
      ],
      [
        'an upper-case bucket name',
        { bucketName: 'My-Logs' },
        /^bucketName 'My-Logs' is not a valid S3 bucket name/,
      ],
      ['a too-short bucket name', { bucketName: 'ab' }, /^bucketName 'ab'.*3 to 63 characters/],
      ['a bucket name like an IP address', { bucketName: '192.168.1.1' }, /IP address/],
      ['a bucket name with a reserved suffix', { bucketName: 'logs-s3alias' }, /reserved suffix '-s3alias'/],
      [
        'auto-deleting a retained bucket',
        { autoDeleteObjects: true },
        /^autoDeleteObjects requires removalPolicy/,
      ],
      [
        'noncurrent expiry without versioning',
        { noncurrentVersionExpiration: Duration.days(5) },
        /^noncurrentVersionExpiration only applies with versioned: true/,
      ],
    ])('%s, naming the construct and its path', (_name, props, message) => {
      const named = new RegExp(message.source.replace(/^\^/, '^AccessLogBucket [^ ]+/LogBucket: '));
      expect(() => synth(props)).toThrow(named);
    });

    it('lists every problem in one message, each its own sentence', () => {
      expect(() =>
        synth({ retention: Duration.days(0), transitionToInfrequentAccessAfter: Duration.days(10) }),
      ).toThrow(/retention must be at least 1 day \(got 0\)\. transitionToInfrequentAccessAfter must be/);
    });

    it('a second log bucket of the same name in one app, naming its own path first, then the other', () => {
      const app = testApp();
      new AccessLogBucket(new Stack(app, 'First'), 'LogBucket', { bucketName: 'team-logs' });
      expect(
        () => new AccessLogBucket(new Stack(app, 'Second'), 'LogBucket', { bucketName: 'team-logs' }),
      ).toThrow(
        /^AccessLogBucket Second\/LogBucket: bucketName 'team-logs' is already used by First\/LogBucket\. /,
      );
    });
  });
});

describe('AccessLogBucket props removed after the 0.1.0 preview', () => {
  it.each([
    ['encryption', 'KMS'],
    ['objectLockEnabled', true],
    ['objectLockDefaultRetention', 1],
  ])('refuses %s from JavaScript instead of building a bucket without it', (name, value) => {
    expect(() => synth({ [name]: value } as AccessLogBucketProps)).toThrow(
      new RegExp(`^AccessLogBucket TestStack/LogBucket: ${name} was removed: .* Remove ${name}\\.$`),
    );
  });
});
