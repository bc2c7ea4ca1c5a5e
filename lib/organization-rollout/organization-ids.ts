/**
 * Shapes of AWS Organizations identifiers and the names derived from them, checked before anything is
 * synthesized so that a typo fails synth with the input named, not a StackSet operation hours later.
 * No aws-cdk-lib import: the app configuration and the constructs both use it.
 */

/** `o-` and 10 to 32 lowercase letters or digits (AWS Organizations' pattern). */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
/** An organizational unit (`ou-<root>-<unit>`) or the root (`r-...`). */
const DEPLOYMENT_TARGET = /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/;
const ACCOUNT_ID = /^\d{12}$/;

/** A message naming `name` when `value` is not an organization id; undefined when it is. */
export function organizationIdProblem(name: string, value: string): string | undefined {
  if (ORGANIZATION_ID.test(value)) return undefined;
  return `${name} must be an organization id such as o-a1b2c3d4e5 (got '${value}'): see the Organizations console, Settings.`;
}

/** A message naming `name` when one of `values` is neither an OU id nor a root id; undefined when all are. */
export function deploymentTargetsProblem(name: string, values: readonly string[]): string | undefined {
  if (values.length === 0) {
    return `${name} is empty: list the organizational units (ou-...) or the root (r-...) to deploy to.`;
  }
  const bad = values.filter((v) => !DEPLOYMENT_TARGET.test(v));
  if (bad.length === 0) return undefined;
  return (
    `${name} must list organizational unit ids (ou-ab12-cdefgh34) or the root id (r-ab12) ` +
    `(got ${bad.map((b) => `'${b}'`).join(', ')}).`
  );
}

/** A message naming `name` when `value` is not a 12-digit account id; undefined when it is. */
export function accountIdProblem(name: string, value: string): string | undefined {
  if (ACCOUNT_ID.test(value)) return undefined;
  return `${name} must be a 12-digit AWS account id (got '${value}').`;
}

/**
 * Name of the bucket that holds the Lambda bundles for one Region. The stack set template spells it with its own
 * `AWS::Region`, so every member reads the bucket of the Region it deploys in (Lambda reads code only from a
 * bucket in the function's Region).
 */
export function assetBucketName(prefix: string, region: string): string {
  return `${prefix}-${region}`;
}

/** The asset bucket prefix used when none is given: unique because organization ids are. */
export function defaultAssetBucketPrefix(organizationId: string): string {
  return `s3al-assets-${organizationId}`;
}

/** The longest Region code in use (ap-southeast-2, ap-northeast-3, ...), for the bucket name length check. */
export const LONGEST_REGION_LENGTH = 14;

/** A message when `<prefix>-<region>` could not be a bucket name for every Region; undefined when it can. */
export function assetBucketPrefixProblem(name: string, prefix: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(prefix)) {
    return `${name} may hold only lowercase letters, digits and hyphens, starting with a letter or digit (got '${prefix}').`;
  }
  const longest = prefix.length + 1 + LONGEST_REGION_LENGTH;
  if (longest > 63) {
    return (
      `${name} '${prefix}' is ${prefix.length} characters: with '-<region>' a bucket name could reach ` +
      `${longest} (S3 allows 63). Use at most ${63 - 1 - LONGEST_REGION_LENGTH} characters.`
    );
  }
  return undefined;
}
