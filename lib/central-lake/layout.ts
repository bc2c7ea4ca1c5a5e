/**
 * Where each account's compacted days land in the central bucket, and how a key names its account and Region.
 * The bucket policy, the member-side delivery, the central table and the queries all read these; no
 * aws-cdk-lib import, so the tests and a Lambda handler can use it.
 *
 * Layout: `daily/<yyyy>/<MM>/<dd>/<account>/<region>/<file>.parquet`. The day comes first so that the central
 * table projects one partition per day over every account (no enum of accounts); the account comes right after a
 * fixed-length day, so the bucket policy can pin it to the writer's own account with a `?`-pattern that no
 * deeper folder can imitate. The account and Region are read from the key (`"$path"`), never from the data:
 * the policy makes the key authoritative, while a member could write any value into a column.
 */

/** The prefix under which every delivered day sits. */
export const CENTRAL_DATA_PREFIX = 'daily/';

/** The policy pattern of a day: exactly `yyyy/MM/dd` (10 characters), as IAM's one-character wildcard spells it. */
export const DAY_PATTERN = '????/??/??';

/**
 * IAM path of every member's delivery role. Role names are generated per stack instance (a fixed name would
 * collide between the Regions of one account), but a path is free and shared, so the central bucket policy can
 * admit writes from the delivery roles only: `arn:<partition>:iam::*:role/s3-access-logs/central-delivery/*`.
 */
export const DELIVERY_ROLE_PATH = '/s3-access-logs/central-delivery/';

const DAY = /^\d{4}\/\d{2}\/\d{2}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The prefix where `account` delivers `day` from `region`: `daily/2026/11/29/111122223333/us-east-1/`. */
export function centralDayPrefix(day: string, account: string, region: string): string {
  if (!DAY.test(day)) throw new Error(`day '${day}' must be yyyy/MM/dd, e.g. 2026/11/29`);
  if (!ACCOUNT.test(account)) throw new Error(`account '${account}' must be a 12-digit account id`);
  if (!REGION.test(region)) throw new Error(`region '${region}' must be a Region code such as us-east-1`);
  return `${CENTRAL_DATA_PREFIX}${day}/${account}/${region}/`;
}

/** Default name of the central bucket: bucket names are global, so it carries the central account and Region. */
export function defaultCentralBucketName(account: string, region: string): string {
  return `s3-access-logs-central-${account}-${region}`;
}

/** Trino/DuckDB regular expression whose group 1 is the account of a central object's path. */
export const ACCOUNT_FROM_PATH = '/daily/[0-9]{4}/[0-9]{2}/[0-9]{2}/([0-9]{12})/';
/** Trino/DuckDB regular expression whose group 1 is the Region of a central object's path. */
export const REGION_FROM_PATH = '/daily/[0-9]{4}/[0-9]{2}/[0-9]{2}/[0-9]{12}/([a-z0-9-]+)/';
/** Trino/DuckDB regular expression whose group 1 is the day (`yyyy/MM/dd`) of a central object's path. */
export const DAY_FROM_PATH = '/daily/([0-9]{4}/[0-9]{2}/[0-9]{2})/';
