import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { propsError } from '../construct-errors';
import { bucketNameProblem } from '../conventions';

/** The literal bucket names created so far in each app, with the construct path that created each one. */
const claimedNames = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that `scope` (an AccessLogBucket) creates a bucket named `name`, and fails when another construct of
 * the same app already did. Bucket names are global, so two default-named log buckets for the same account and
 * Region would collide at deploy time; saying so at synth names both constructs (this one's path first, as in
 * every AccessLogBucket error) and the fix. Names with tokens cannot be compared.
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
    throw propsError(
      scope,
      'AccessLogBucket',
      `bucketName '${name}' is already used by ${owner}. Bucket names are global, so two log buckets in the ` +
        'same account and Region need different names: pass bucketName to one of them.',
    );
  }
  names.set(name, scope.node.path);
}

/** The problem with a bucket name prop, worded for the user; none for a token (CloudFormation checks it). */
export function bucketNamePropProblem(prop: string, name: string): string | undefined {
  if (Token.isUnresolved(name)) return undefined;
  const problem = bucketNameProblem(name);
  return problem && `${prop} '${name}' is not a valid S3 bucket name: it ${problem}.`;
}
