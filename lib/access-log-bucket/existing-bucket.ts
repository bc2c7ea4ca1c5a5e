import { Annotations, Stack, StringConcat, Token, Tokenization } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { Construct } from 'constructs';
import { LOG_TARGET_ROLE, ROLE_TAG_KEY } from '../conventions';
import type { AccessLogBucketProps } from './index';
import { bucketNamePropProblem } from './validation';

/** Id of the synth warning about an existing log bucket; acknowledge it with `Annotations.acknowledgeWarning`. */
export const EXISTING_BUCKET_WARNING = 's3-access-logs:existingLogBucket';

/** Props that shape a bucket the construct creates, so they mean nothing with `existingBucketName`. */
const CREATED_BUCKET_PROPS = [
  'bucketName',
  'retention',
  'transitionToInfrequentAccessAfter',
  'versioned',
  'noncurrentVersionExpiration',
  'removalPolicy',
  'autoDeleteObjects',
] as const satisfies ReadonlyArray<keyof AccessLogBucketProps>;

/** The problems with props given together with `existingBucketName`, as sentences naming the prop and the fix. */
export function existingBucketProblems(props: AccessLogBucketProps): Array<string | undefined> {
  const conflicting = CREATED_BUCKET_PROPS.filter((p) => props[p] !== undefined);
  return [
    bucketNamePropProblem('existingBucketName', props.existingBucketName!),
    conflicting.length === 0
      ? undefined
      : `existingBucketName cannot be combined with ${conflicting.join(', ')}: those shape a bucket this ` +
        'construct creates. Configure them on the existing bucket, or remove existingBucketName.',
  ];
}

/**
 * Imports a bucket the user owns and says, as a synth warning, what they must configure on it. The bucket is
 * never changed from here: CloudFormation's AWS::S3::BucketPolicy replaces a bucket's whole policy, so writing
 * one for an imported bucket would silently drop every statement it already has.
 */
export function useExistingBucket(scope: Construct, bucketName: string, acl: boolean): s3.IBucket {
  const bucket = s3.Bucket.fromBucketName(scope, 'Resource', bucketName);
  const stack = Stack.of(scope);
  // A StackSet's member stack names the bucket with AWS::AccountId and AWS::Region: say so, not ${Token[...]}.
  const shown = readable(stack, bucketName);
  const sourceAccount = Token.isUnresolved(stack.account) ? 'this account' : stack.account;
  const statement = deliveryStatement(shown, stack.account, stack.region);
  const grant = acl
    ? 'Object Ownership ObjectWriter and an ACL that grants the LogDelivery group WRITE and READ_ACP'
    : 'a bucket policy statement that allows the service principal logging.s3.amazonaws.com s3:PutObject on ' +
      `its objects (${shown}/*), with the condition aws:SourceAccount = ${sourceAccount}. Add this ` +
      `statement to its policy: ${JSON.stringify(statement)}`;
  Annotations.of(scope).addWarningV2(
    EXISTING_BUCKET_WARNING,
    `Log bucket '${shown}' is not managed by this app and is left unchanged. For S3 to deliver server ` +
      `access logs into it, it needs ${grant}; it must be in the same account and Region as the source ` +
      "buckets, use SSE-S3 and not have S3 Object Lock (S3 can't deliver logs into a bucket with Object Lock); " +
      `and tag it ${ROLE_TAG_KEY}=${LOG_TARGET_ROLE} so that bucket logging never makes it log into ` +
      'itself.',
  );
  return bucket;
}

/**
 * The statement AccessLogBucket writes into the policy of a bucket it creates, spelled out with literals for the
 * user to add to an existing bucket's policy. An account or Region unknown at synth (no credentials) is left as
 * a placeholder for the user to fill.
 */
export function deliveryStatement(
  bucketName: string,
  account: string,
  region: string,
): Record<string, unknown> {
  const partition = Token.isUnresolved(region) ? 'aws' : (RegionInfo.get(region).partition ?? 'aws');
  return {
    Sid: 'S3ServerAccessLogsPolicy',
    Effect: 'Allow',
    Principal: { Service: 'logging.s3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `arn:${partition}:s3:::${bucketName}/*`,
    Condition: {
      StringEquals: { 'aws:SourceAccount': Token.isUnresolved(account) ? '<account id>' : account },
      ArnLike: { 'aws:SourceArn': `arn:${partition}:s3:::*` },
    },
  };
}

/** `value` with the account and Region tokens shown as `<account id>` and `<region>`. */
function readable(stack: Stack, value: string): string {
  if (!Token.isUnresolved(value)) return value;
  const placeholders: Record<string, string> = {
    'AWS::AccountId': '<account id>',
    'AWS::Region': '<region>',
  };
  return Tokenization.reverseString(value)
    .mapTokens({
      mapToken: (token) => {
        const ref = (stack.resolve(token) as { Ref?: string } | undefined)?.Ref;
        return (ref !== undefined ? placeholders[ref] : undefined) ?? '<token>';
      },
    })
    .join(new StringConcat());
}
