import { Token } from 'aws-cdk-lib';
import { BUCKET_PLACEHOLDER, RESERVED_PREFIX, ROLE_TAG_KEY } from '../conventions';
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

export function validateBucketLoggingProps(props: ValidatedProps): void {
  const template = props.prefixTemplate;
  if (!Token.isUnresolved(template)) {
    if (!template.includes(BUCKET_PLACEHOLDER)) {
      throw new Error(
        `prefixTemplate '${template}' must contain ${BUCKET_PLACEHOLDER}: the Athena table finds each bucket's logs ` +
          `under its name. Example: 'logs/${BUCKET_PLACEHOLDER}/'.`,
      );
    }
    if (template.startsWith(RESERVED_PREFIX)) {
      throw new Error(
        `prefixTemplate '${template}' must not start with ${RESERVED_PREFIX}: that prefix of the log bucket is ` +
          'reserved for run reports. Use the default or another prefix.',
      );
    }
  }
  for (const [prop, patterns] of [
    ['include', props.include],
    ['exclude', props.exclude],
  ] as const) {
    for (const pattern of patterns) {
      if (Token.isUnresolved(pattern)) continue;
      const problem = patternProblem(pattern);
      if (problem) {
        throw new Error(
          `${prop} pattern '${pattern}' ${problem}. Write a bucket name, a prefix such as 'team-a-*', or a glob.`,
        );
      }
    }
  }
  const key = props.excludeTagKey;
  if (!Token.isUnresolved(key)) {
    if (key.length === 0 || key.length > 128 || key.startsWith('aws:')) {
      throw new Error(
        `excludeTagKey '${key}' is not a valid tag key: use 1 to 128 characters, not starting with 'aws:'.`,
      );
    }
    if (key === ROLE_TAG_KEY) {
      throw new Error(
        `excludeTagKey must not be ${ROLE_TAG_KEY}: that tag marks the project's own buckets, which are ` +
          'always left alone. Use the default s3-access-logs:exclude or a key of your own.',
      );
    }
  }
  const concurrency = props.concurrency;
  if (
    !Token.isUnresolved(concurrency) &&
    (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
  ) {
    throw new Error(`concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (got ${concurrency})`);
  }
  const typed = JSON.stringify([template, props.include, props.exclude, key]).length;
  if (typed > MAX_USER_CONFIG_LENGTH) {
    throw new Error(
      `include, exclude, prefixTemplate and excludeTagKey add up to ${typed} characters, over ` +
        `${MAX_USER_CONFIG_LENGTH} (Lambda's 4 KB environment limit): use prefixes or globs instead of long name lists.`,
    );
  }
}
