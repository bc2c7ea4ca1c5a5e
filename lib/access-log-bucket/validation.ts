import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Why `name` is not a valid general purpose S3 bucket name, or undefined when it is (or is a token).
 * Rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function bucketNameProblem(name: string): string | undefined {
  if (Token.isUnresolved(name)) return undefined;
  if (name.length < 3 || name.length > 63) return `must be 3 to 63 characters long (got ${name.length})`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
    return 'may contain only lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit';
  }
  if (name.includes('..')) return 'must not contain two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'must not be formatted as an IP address';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) return `must not start with the reserved prefix '${prefix}'`;
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (name.endsWith(suffix)) return `must not end with the reserved suffix '${suffix}'`;
  }
  return undefined;
}

/** The literal bucket names created so far in each app, with the construct path that created each one. */
const claimedNames = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that `scope` creates a bucket named `name`, and fails when another construct of the same app already
 * did. Bucket names are global, so two default-named log buckets for the same account and Region would collide
 * at deploy time; saying so at synth names both constructs and the fix. Names with tokens cannot be compared.
 */
export function claimBucketName(scope: IConstruct, name: string): void {
  if (Token.isUnresolved(name)) return;
  let names = claimedNames.get(scope.node.root);
  if (names === undefined) {
    names = new Map();
    claimedNames.set(scope.node.root, names);
  }
  const owner = names.get(name);
  if (owner !== undefined) {
    throw new Error(
      `bucketName '${name}' of ${scope.node.path} is already used by ${owner}: bucket names are global, so two ` +
        'log buckets in the same account and Region need different names. Pass bucketName to one of them.',
    );
  }
  names.set(name, scope.node.path);
}
