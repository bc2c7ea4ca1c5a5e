import { Duration, Tags, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ATHENA_RESULTS_ROLE, ROLE_TAG_KEY } from '../conventions';

/** How an Athena workgroup's results bucket differs from one workgroup to another. */
export interface AthenaResultsBucketOptions {
  /** How long query results are kept. */
  readonly retention: Duration;
  /** Why the bucket has no server access logging (the cdk-nag AwsSolutions-S1 acknowledgement). */
  readonly noLoggingReason: string;
}

/**
 * An Athena workgroup's results bucket, hardened like every bucket of the project (SSE-S3, public access blocked,
 * TLS 1.2 or later, owner-enforced objects), its results expiring, and tagged with the role that keeps bucket
 * logging away from it. Every results bucket is made here, so none misses the tag.
 */
export function athenaResultsBucket(
  scope: Construct,
  id: string,
  options: AthenaResultsBucketOptions,
): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [
      {
        id: 'ExpireQueryResults',
        expiration: options.retention,
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ],
  });
  Tags.of(bucket).add(ROLE_TAG_KEY, ATHENA_RESULTS_ROLE);
  Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: options.noLoggingReason });
  return bucket;
}
