import {
  ContextError,
  type ContextReader,
  ORGANIZATION_CONTEXT_KEYS,
  optionalEnum,
  optionalInteger,
  optionalList,
  optionalRegion,
  optionalString,
} from './app-config';
import {
  accountIdProblem,
  assetBucketPrefixProblem,
  deploymentTargetsProblem,
  organizationIdProblem,
} from './organization-rollout/organization-ids';
import { CallAs, RegionConcurrency } from './organization-rollout/organization-rollout';

/**
 * The organization settings of the app (`-c organizationId=o-... -c targetOus=... -c centralAccount=...`).
 * Without `organizationId` the app is the per-account app and none of these keys may be set.
 */
export interface OrganizationConfig {
  readonly organizationId: string;
  readonly targetOus: string[];
  readonly centralAccount: string;
  /** The central bucket's and table's Region. */
  readonly centralRegion: string;
  readonly callAs?: CallAs;
  readonly failureTolerancePercentage?: number;
  readonly maxConcurrentPercentage?: number;
  readonly regionConcurrency?: RegionConcurrency;
  readonly assetBucketPrefix?: string;
}

const CALL_AS: Record<string, CallAs> = { self: CallAs.SELF, 'delegated-admin': CallAs.DELEGATED_ADMIN };
/** Spelled in lowercase like every other choice of the app (callAs, keyFormat), whatever the enum's values. */
const REGION_CONCURRENCY: Record<string, RegionConcurrency> = {
  parallel: RegionConcurrency.PARALLEL,
  sequential: RegionConcurrency.SEQUENTIAL,
};

/** The organization settings, or undefined when `organizationId` is not set (the per-account app). */
export function readOrganizationConfig(
  read: ContextReader,
  regions: readonly string[],
): OrganizationConfig | undefined {
  const organizationId = optionalString(read, 'organizationId');
  if (organizationId === undefined) {
    const keys = Object.keys(ORGANIZATION_CONTEXT_KEYS) as (keyof typeof ORGANIZATION_CONTEXT_KEYS)[];
    const stray = keys.filter((k) => read(k) !== undefined && read(k) !== '');
    if (stray.length > 0) {
      throw new ContextError(
        `Context ${stray.join(', ')} only apply to an organization rollout: add -c organizationId=o-... or remove them.`,
        stray[0],
      );
    }
    return undefined;
  }
  // Duplicates dropped like regions': CloudFormation warns on an OU listed twice.
  const targetOus = [...new Set(optionalList(read, 'targetOus') ?? [])];
  const centralAccount = readCentralAccount(read);
  const problems = [
    organizationIdProblem('Context organizationId', organizationId),
    deploymentTargetsProblem('Context targetOus', targetOus),
    centralAccount === undefined
      ? 'Context centralAccount is missing: pass -c centralAccount=<12-digit id> (the account of the central view).'
      : accountIdProblem('Context centralAccount', centralAccount),
  ].filter((p) => p !== undefined);
  // Every member account fills the name with its own values: without {account}, all would want one bucket.
  for (const key of ['bucketName', 'existingBucketName'] as const) {
    const name = optionalString(read, key);
    if (name !== undefined && !name.includes('{account}')) {
      problems.push(
        `Context ${key} '${name}' must contain {account} in an organization rollout: every account ` +
          `${key === 'bucketName' ? 'creates its own log bucket' : 'delivers into its own log bucket, which only it can own'}` +
          ` and bucket names are global. Example: -c ${key}=logs-{account}-{region}`,
      );
    }
  }
  if (problems.length > 0) throw new ContextError(problems.join(' '));
  const callAs = optionalEnum(read, 'callAs', Object.keys(CALL_AS));
  const regionConcurrency = optionalEnum(read, 'regionConcurrency', Object.keys(REGION_CONCURRENCY));
  return {
    organizationId,
    targetOus,
    centralAccount: centralAccount as string,
    centralRegion: optionalRegion(read, 'centralRegion') ?? regions[0],
    callAs: callAs === undefined ? undefined : CALL_AS[callAs],
    failureTolerancePercentage: optionalInteger(read, 'failureTolerancePercentage'),
    maxConcurrentPercentage: optionalInteger(read, 'maxConcurrentPercentage'),
    regionConcurrency: regionConcurrency === undefined ? undefined : REGION_CONCURRENCY[regionConcurrency],
    assetBucketPrefix: readAssetBucketPrefix(read),
  };
}

/**
 * `centralAccount` as a string, or as a JSON number from cdk.json. A number has lost any leading zeros, so one
 * of fewer than 12 digits is refused with that said.
 */
function readCentralAccount(read: ContextReader): string | undefined {
  const value = read('centralAccount');
  if (typeof value !== 'number') return optionalString(read, 'centralAccount');
  const digits = Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  if (digits === undefined || digits.length !== 12) {
    throw new ContextError(
      `Context centralAccount must be a 12-digit AWS account id (got the number ${JSON.stringify(value)}): ` +
        'a JSON number loses leading zeros, so write an account id that starts with 0 as a string in cdk.json ' +
        '("centralAccount": "012345678901").',
      'centralAccount',
    );
  }
  return digits;
}

/** `assetBucketPrefix`, checked here so that the message names the context key rather than the construct prop. */
function readAssetBucketPrefix(read: ContextReader): string | undefined {
  const prefix = optionalString(read, 'assetBucketPrefix');
  const problem =
    prefix === undefined ? undefined : assetBucketPrefixProblem('Context assetBucketPrefix', prefix);
  if (problem !== undefined) throw new ContextError(problem, 'assetBucketPrefix');
  return prefix;
}
