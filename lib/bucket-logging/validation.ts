import { Token } from 'aws-cdk-lib';
import { CfnBucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BUCKET_PLACEHOLDER, ROLE_TAG_KEY, reservedPrefixProblem } from '../conventions';
import { patternProblem } from './patterns';

/** What the construct checks before creating anything; unresolved tokens are left to deploy time. */
export interface ValidatedProps {
  readonly prefixTemplate: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly excludeTagKey: string;
  readonly concurrency: number;
}

/** Most buckets worked on at once: beyond it S3 throttles harder and the Lambda's memory grows, nothing more. */
export const MAX_CONCURRENCY = 256;
/**
 * Lambda allows 4 KB for all environment variables, and the function's configuration travels in one: the
 * parts a user types must leave room for the rest.
 */
const MAX_USER_CONFIG_LENGTH = 3_000;

/** Every problem with the props, each naming the prop and the fix; unresolved tokens are skipped. */
export function bucketLoggingProblems(props: ValidatedProps): string[] {
  return [
    ...prefixTemplateProblems(props.prefixTemplate),
    ...patternProblems('include', props.include),
    ...patternProblems('exclude', props.exclude),
    excludeTagKeyProblem(props.excludeTagKey),
    concurrencyProblem(props.concurrency),
    configLengthProblem(props),
  ].filter((p): p is string => p !== undefined);
}

function prefixTemplateProblems(template: string): Array<string | undefined> {
  if (Token.isUnresolved(template)) return [];
  return [
    template.includes(BUCKET_PLACEHOLDER)
      ? undefined
      : `prefixTemplate '${template}' must contain ${BUCKET_PLACEHOLDER}: the Athena table finds each bucket's ` +
        `logs under its name. Example: 'logs/${BUCKET_PLACEHOLDER}/'.`,
    reservedPrefixProblem(template),
  ];
}

function patternProblems(
  prop: 'include' | 'exclude',
  patterns: readonly string[],
): Array<string | undefined> {
  return patterns
    .filter((pattern) => !Token.isUnresolved(pattern))
    .map((pattern) => {
      const problem = patternProblem(pattern);
      return (
        problem &&
        `${prop} pattern '${pattern}' ${problem}. Write a bucket name, a prefix such as 'team-a-*', or a glob.`
      );
    });
}

function excludeTagKeyProblem(key: string): string | undefined {
  if (Token.isUnresolved(key)) return undefined;
  if (key.length === 0 || key.length > 128 || key.startsWith('aws:')) {
    return `excludeTagKey '${key}' is not a valid tag key: use 1 to 128 characters, not starting with 'aws:'.`;
  }
  if (key === ROLE_TAG_KEY) {
    return (
      `excludeTagKey must not be ${ROLE_TAG_KEY}: that tag marks the project's own buckets, which are ` +
      'always left alone. Use the default s3-access-logs:exclude or a key of your own.'
    );
  }
  return undefined;
}

function concurrencyProblem(concurrency: number): string | undefined {
  if (Token.isUnresolved(concurrency)) return undefined;
  if (Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= MAX_CONCURRENCY) return undefined;
  return `concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (got ${concurrency})`;
}

function configLengthProblem(props: ValidatedProps): string | undefined {
  const typed = JSON.stringify([
    props.prefixTemplate,
    props.include,
    props.exclude,
    props.excludeTagKey,
  ]).length;
  if (typed <= MAX_USER_CONFIG_LENGTH) return undefined;
  return (
    `include, exclude, prefixTemplate and excludeTagKey add up to ${typed} characters, over ` +
    `${MAX_USER_CONFIG_LENGTH} (Lambda's 4 KB environment limit): use prefixes or globs instead of long name lists.`
  );
}

/**
 * S3 delivers server access logs only into buckets whose default encryption is SSE-S3: a log bucket encrypted
 * with KMS (a customer key, the AWS managed `aws/s3` key, or dual-layer DSSE-KMS) silently receives nothing.
 * A bucket object says so by its key or, when this app defines it, by its CloudFormation encryption settings;
 * one imported by name says nothing and is left to the deploy.
 */
export function targetBucketProblem(bucket: IBucket): string | undefined {
  const kms =
    bucket.encryptionKey !== undefined || defaultAlgorithms(bucket).some((a) => a.startsWith('aws:kms'));
  if (!kms) return undefined;
  return (
    'targetBucket is encrypted with KMS, but S3 server access log delivery writes only to buckets ' +
    'encrypted with SSE-S3 (BucketEncryption.S3_MANAGED): use an AccessLogBucket, or a bucket with SSE-S3.'
  );
}

/** The default encryption algorithms (`AES256`, `aws:kms`, `aws:kms:dsse`) of a bucket this app defines. */
function defaultAlgorithms(bucket: IBucket): string[] {
  const cfn = bucket.node.defaultChild;
  if (!(cfn instanceof CfnBucket)) return [];
  const encryption = cfn.bucketEncryption;
  if (encryption === undefined || Token.isUnresolved(encryption)) return [];
  const rules = (encryption as CfnBucket.BucketEncryptionProperty).serverSideEncryptionConfiguration;
  if (Token.isUnresolved(rules)) return [];
  return (rules as CfnBucket.ServerSideEncryptionRuleProperty[]).flatMap((rule) => {
    const byDefault = rule.serverSideEncryptionByDefault;
    if (byDefault === undefined || Token.isUnresolved(byDefault)) return [];
    const algorithm = (byDefault as CfnBucket.ServerSideEncryptionByDefaultProperty).sseAlgorithm;
    return Token.isUnresolved(algorithm) ? [] : [algorithm];
  });
}

/** A `tableRevision` that re-runs nothing would be a mistake; an unresolved token is left to deploy time. */
export function tableRevisionProblem(revision: string | undefined): string | undefined {
  if (revision === undefined || Token.isUnresolved(revision) || revision.length > 0) return undefined;
  return 'tableRevision must not be empty: leave it unset, or pass a value that changes with the table.';
}
