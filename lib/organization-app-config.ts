import {
  ContextError,
  type ContextReader,
  ORGANIZATION_CONTEXT_KEYS,
  optionalEnum,
  optionalInteger,
  optionalList,
  optionalString,
  parseRegions,
} from './app-config';
import {
  accountIdProblem,
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
  const targetOus = optionalList(read, 'targetOus') ?? [];
  const centralAccount = optionalString(read, 'centralAccount');
  const problems = [
    organizationIdProblem('Context organizationId', organizationId),
    deploymentTargetsProblem('Context targetOus', targetOus),
    centralAccount === undefined
      ? 'Context centralAccount is missing: pass -c centralAccount=<12-digit id> (the account of the central view).'
      : accountIdProblem('Context centralAccount', centralAccount),
  ].filter((p) => p !== undefined);
  const bucketName = optionalString(read, 'bucketName');
  if (bucketName !== undefined && !bucketName.includes('{account}')) {
    problems.push(
      `Context bucketName '${bucketName}' must contain {account} in an organization rollout: every account ` +
        'creates its own log bucket and bucket names are global. Example: -c bucketName=logs-{account}-{region}',
    );
  }
  if (problems.length > 0) throw new ContextError(problems.join(' '));
  const centralRegion = optionalString(read, 'centralRegion');
  const callAs = optionalEnum(read, 'callAs', Object.keys(CALL_AS));
  return {
    organizationId,
    targetOus,
    centralAccount: centralAccount as string,
    centralRegion: centralRegion === undefined ? regions[0] : parseRegions(centralRegion)[0],
    callAs: callAs === undefined ? undefined : CALL_AS[callAs],
    failureTolerancePercentage: optionalInteger(read, 'failureTolerancePercentage'),
    maxConcurrentPercentage: optionalInteger(read, 'maxConcurrentPercentage'),
    regionConcurrency: optionalEnum(read, 'regionConcurrency', Object.values(RegionConcurrency)),
    assetBucketPrefix: optionalString(read, 'assetBucketPrefix'),
  };
}
