import { Annotations, Duration, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { throwIfProblems } from '../construct-errors';
import { LOG_TARGET_ROLE, ROLE_TAG_KEY } from '../conventions';
import { existingBucketProblems, useExistingBucket } from './existing-bucket';
import { bucketNamePropProblem, claimBucketName } from './validation';

/** How S3 is allowed to write server access logs into the bucket. */
export enum LogDeliveryMode {
  /**
   * A bucket policy lets the logging service principal `logging.s3.amazonaws.com` put objects, only for source
   * buckets of this account. ACLs stay disabled (Object Ownership `BucketOwnerEnforced`). AWS's recommendation,
   * and the only mode that works on buckets created with S3's defaults since April 2023.
   */
  BUCKET_POLICY = 'BucketPolicy',
  /**
   * The seed guide's way: Object Ownership `ObjectWriter` and the canned ACL `LogDeliveryWrite` (WRITE and
   * READ_ACP for the LogDelivery group). Choose it only where an organisation's policy or tooling still requires
   * ACL-based delivery; it cannot restrict which account's buckets deliver.
   */
  ACL = 'Acl',
}

/** Properties of an {@link AccessLogBucket}. */
export interface AccessLogBucketProps {
  /**
   * Physical name of the bucket. Bucket names are global: two instances in the same account and Region need
   * different names.
   * @default `s3-access-logs-<account>-<region>`
   */
  readonly bucketName?: string;

  /**
   * Deliver logs into this existing bucket (same account and Region as the stack) instead of creating one.
   * Nothing is created and the bucket is left as it is: a policy written by this stack would replace the
   * bucket's whole policy, so you grant `logging.s3.amazonaws.com` `s3:PutObject` yourself (the ACL in Acl
   * mode) and tag the bucket `s3-access-logs:role=log-target`; synth shows a warning that says so. Only
   * `deliveryMode` may be combined with it: the other props shape a bucket this construct creates.
   * @default - a new bucket is created
   */
  readonly existingBucketName?: string;

  /**
   * How S3 is allowed to deliver logs.
   * @default LogDeliveryMode.BUCKET_POLICY
   */
  readonly deliveryMode?: LogDeliveryMode;

  /**
   * How long log objects are kept before they expire. Whole days, at least 1.
   * @default Duration.days(90)
   */
  readonly retention?: Duration;

  /**
   * Move log objects to STANDARD_IA after this long. Whole days, at least 30 (S3's minimum for STANDARD_IA),
   * and shorter than `retention`.
   * @default - no transition
   */
  readonly transitionToInfrequentAccessAfter?: Duration;

  /**
   * Keep object versions, so that a deleted or overwritten log can be recovered.
   * @default false
   */
  readonly versioned?: boolean;

  /**
   * With `versioned`, how long a version is kept after it stops being current.
   * @default Duration.days(30)
   */
  readonly noncurrentVersionExpiration?: Duration;

  /**
   * What happens to the bucket when it is removed from the stack. Logs are audit evidence: by default the
   * bucket and every log in it stay.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Delete every log when the bucket is destroyed. Only allowed with `removalPolicy: RemovalPolicy.DESTROY`.
   * @default false
   */
  readonly autoDeleteObjects?: boolean;
}

const DEFAULT_RETENTION_DAYS = 90;
const DEFAULT_NONCURRENT_DAYS = 30;
/** S3 refuses a transition to STANDARD_IA earlier than 30 days after creation. */
const MIN_IA_TRANSITION_DAYS = 30;
const ABORT_INCOMPLETE_UPLOADS_DAYS = 7;
const LOGGING_SERVICE_PRINCIPAL = 'logging.s3.amazonaws.com';
/**
 * The bucket that receives the S3 server access logs of every bucket in one Region: hardened (SSE-S3, all
 * public access blocked, TLS 1.2+ only), with a lifecycle rule, retained on delete, and tagged
 * `s3-access-logs:role=log-target` so that bucket logging never makes it log into itself or into another
 * log bucket.
 *
 * Its encryption is always SSE-S3 and it never has S3 Object Lock, so neither is a prop: S3 log delivery writes
 * only to SSE-S3 buckets, and "S3 buckets with Object Lock can't be used as destination buckets for server
 * access logs" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html,
 * checked 2026-11-30). For immutable copies, replicate the log bucket into a bucket with Object Lock.
 */
export class AccessLogBucket extends Construct {
  /** The log bucket. */
  public readonly bucket: s3.IBucket;
  /** How S3 is allowed to deliver logs into {@link AccessLogBucket.bucket}. */
  public readonly deliveryMode: LogDeliveryMode;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps = {}) {
    super(scope, id);
    this.validate(props);
    this.deliveryMode = props.deliveryMode ?? LogDeliveryMode.BUCKET_POLICY;
    this.bucket =
      props.existingBucketName !== undefined
        ? useExistingBucket(this, props.existingBucketName, this.deliveryMode === LogDeliveryMode.ACL)
        : this.createBucket(props);
  }

  /** Grants read access to the logs (list the bucket and get its objects). */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantRead(grantee);
  }

  /** Checks every prop before anything is created. Unresolved tokens are left to CloudFormation. */
  private validate(props: AccessLogBucketProps): void {
    throwIfProblems(this, 'AccessLogBucket', removedPropProblems(props));
    if (props.existingBucketName !== undefined) {
      throwIfProblems(this, 'AccessLogBucket', existingBucketProblems(props));
      return;
    }
    throwIfProblems(this, 'AccessLogBucket', [
      props.bucketName === undefined ? undefined : bucketNamePropProblem('bucketName', props.bucketName),
      props.autoDeleteObjects && props.removalPolicy !== RemovalPolicy.DESTROY
        ? 'autoDeleteObjects requires removalPolicy: RemovalPolicy.DESTROY; logs are kept by default because ' +
          'they are audit evidence.'
        : undefined,
      ...lifecycleProblems(props),
    ]);
  }

  /** The hardened bucket, tagged as a log target, with its lifecycle and (BucketPolicy mode) delivery policy. */
  private createBucket(props: AccessLogBucketProps): s3.Bucket {
    const stack = Stack.of(this);
    const acl = this.deliveryMode === LogDeliveryMode.ACL;
    const bucketName = props.bucketName ?? `s3-access-logs-${stack.account}-${stack.region}`;
    claimBucketName(this, bucketName);
    const bucket = new s3.Bucket(this, 'Resource', {
      bucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: props.versioned ?? false,
      objectOwnership: acl ? s3.ObjectOwnership.OBJECT_WRITER : s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      accessControl: acl ? s3.BucketAccessControl.LOG_DELIVERY_WRITE : undefined,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      autoDeleteObjects: props.autoDeleteObjects ?? false,
      lifecycleRules: [this.lifecycleRule(props)],
    });
    this.markAsLogTarget(bucket);
    if (!acl) this.allowLogDelivery(bucket);
    if (props.versioned && props.noncurrentVersionExpiration === undefined) {
      Annotations.of(this).addInfo(
        `Noncurrent log versions expire after ${DEFAULT_NONCURRENT_DAYS} days (noncurrentVersionExpiration).`,
      );
    }
    return bucket;
  }

  /** Expiry, the optional move to STANDARD_IA, and (versioned) the noncurrent versions' expiry. */
  private lifecycleRule(props: AccessLogBucketProps): s3.LifecycleRule {
    return {
      id: 'ExpireAccessLogs',
      expiration: props.retention ?? Duration.days(DEFAULT_RETENTION_DAYS),
      abortIncompleteMultipartUploadAfter: Duration.days(ABORT_INCOMPLETE_UPLOADS_DAYS),
      transitions: props.transitionToInfrequentAccessAfter
        ? [
            {
              storageClass: s3.StorageClass.INFREQUENT_ACCESS,
              transitionAfter: props.transitionToInfrequentAccessAfter,
            },
          ]
        : undefined,
      noncurrentVersionExpiration: props.versioned
        ? (props.noncurrentVersionExpiration ?? Duration.days(DEFAULT_NONCURRENT_DAYS))
        : undefined,
    };
  }

  /** The role tag that keeps bucket logging away from it, and why it does not log itself. */
  private markAsLogTarget(bucket: s3.Bucket): void {
    Tags.of(bucket).add(ROLE_TAG_KEY, LOG_TARGET_ROLE);
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the server access log bucket itself: logging it into itself would write a log for every log ' +
        'delivered, without end, and into another bucket would only move the question.',
    });
  }

  /** Lets the logging service write, for source buckets of this account only. */
  private allowLogDelivery(bucket: s3.Bucket): void {
    const stack = Stack.of(this);
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3ServerAccessLogsPolicy',
        principals: [new iam.ServicePrincipal(LOGGING_SERVICE_PRINCIPAL)],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:s3:::*` },
        },
      }),
    );
  }
}

/**
 * Props of the 0.1.0 preview that could only fail: TypeScript refuses them now, JavaScript would pass them and
 * get a bucket without what it asked for.
 */
const REMOVED_PROPS = ['encryption', 'objectLockEnabled', 'objectLockDefaultRetention'] as const;

function removedPropProblems(props: AccessLogBucketProps): string[] {
  return REMOVED_PROPS.filter((name) => Object.hasOwn(props, name)).map(
    (name) =>
      `${name} was removed: the log bucket is always encrypted with SSE-S3 and has no Object Lock, because S3 ` +
      `delivers server access logs into no other bucket. Remove ${name}.`,
  );
}

/** The lifecycle props' problems: whole days, S3's minimum for STANDARD_IA, and an order that makes sense. */
function lifecycleProblems(props: AccessLogBucketProps): Array<string | undefined> {
  const retention = wholeDays('retention', props.retention, DEFAULT_RETENTION_DAYS);
  const ia = wholeDays('transitionToInfrequentAccessAfter', props.transitionToInfrequentAccessAfter);
  const noncurrent = wholeDays('noncurrentVersionExpiration', props.noncurrentVersionExpiration);
  const iaDays = ia.days;
  return [
    retention.problem,
    ia.problem,
    noncurrent.problem,
    retention.days !== undefined && retention.days < 1
      ? `retention must be at least 1 day (got ${retention.days})`
      : undefined,
    iaDays !== undefined && iaDays < MIN_IA_TRANSITION_DAYS
      ? `transitionToInfrequentAccessAfter must be at least ${MIN_IA_TRANSITION_DAYS} days, S3's minimum for ` +
        `STANDARD_IA (got ${iaDays})`
      : undefined,
    iaDays !== undefined &&
    iaDays >= MIN_IA_TRANSITION_DAYS &&
    retention.days !== undefined &&
    iaDays >= retention.days
      ? `transitionToInfrequentAccessAfter (${iaDays} days) must be shorter than retention (${retention.days} ` +
        'days): objects would expire before they move. Raise retention or remove the transition.'
      : undefined,
    noncurrent.days !== undefined && noncurrent.days < 1
      ? `noncurrentVersionExpiration must be at least 1 day (got ${noncurrent.days})`
      : undefined,
    props.noncurrentVersionExpiration !== undefined && !props.versioned
      ? 'noncurrentVersionExpiration only applies with versioned: true; set versioned or remove it.'
      : undefined,
  ];
}

/** The duration in whole days; no days for an unresolved token (checked by CloudFormation instead). */
function wholeDays(
  prop: string,
  value: Duration | undefined,
  fallback?: number,
): { days?: number; problem?: string } {
  if (value === undefined) return { days: fallback };
  if (value.isUnresolved()) return {};
  const days = value.toHours() / 24;
  if (!Number.isInteger(days)) {
    return { problem: `${prop} must be a whole number of days (got ${value.toHumanString()})` };
  }
  return { days };
}
