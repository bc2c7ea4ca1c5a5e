import { type App, Aws, Stack } from 'aws-cdk-lib';
import type { AppConfig } from '../lib/app-config';
import { CentralLake, defaultCentralBucketName, OrgSigv2Watch } from '../lib/central-lake';
import type { OrganizationConfig } from '../lib/organization-app-config';
import { OrganizationAssetBucket, OrganizationRollout } from '../lib/organization-rollout';

/**
 * The organization app: in the account whose credentials run `cdk deploy` (management or delegated
 * administrator), one asset bucket stack per Region and the StackSet stack in the first Region; in the central
 * account, the central stack. The per-Region stack itself is the StackSet's template.
 */
export function addOrganizationStacks(app: App, config: AppConfig, organization: OrganizationConfig): void {
  const adminAccount = process.env.CDK_DEFAULT_ACCOUNT;
  const central = {
    account: organization.centralAccount,
    region: organization.centralRegion,
    bucketName: defaultCentralBucketName(organization.centralAccount, organization.centralRegion),
  };
  const homeRegion = config.regions[0];
  const rollout = new Stack(app, 'S3AccessLogs-Organization', {
    env: { account: adminAccount, region: homeRegion },
    description: `s3-access-logs in every account of ${organization.targetOus.join(', ')} (StackSet)`,
    terminationProtection: true,
  });
  for (const region of config.regions) {
    const assets = new Stack(app, `S3AccessLogs-OrgAssets-${region}`, {
      env: { account: adminAccount, region },
      description: `Lambda bundles of the s3-access-logs StackSet for ${region}, readable inside the organization`,
    });
    new OrganizationAssetBucket(assets, 'Assets', {
      organizationId: organization.organizationId,
      bucketNamePrefix: organization.assetBucketPrefix,
      publishingRegion: homeRegion,
    });
    rollout.addStackDependency(assets, 'the bundles are published into its bucket');
  }
  new OrganizationRollout(rollout, 'Rollout', {
    organizationId: organization.organizationId,
    targetOrganizationalUnitIds: organization.targetOus,
    regions: config.regions,
    assetBucketNamePrefix: organization.assetBucketPrefix,
    callAs: organization.callAs,
    failureTolerancePercentage: organization.failureTolerancePercentage,
    maxConcurrentPercentage: organization.maxConcurrentPercentage,
    regionConcurrency: organization.regionConcurrency,
    // The StackSet deploys one template to every Region: the log bucket's name takes the Region at deploy time.
    memberStack: { ...config.stackProps(Aws.REGION), centralLake: central },
  });

  const centralStack = new Stack(app, 'S3AccessLogs-Central', {
    env: { account: central.account, region: central.region },
    description: 'The organization’s central SigV2 view: every account’s compacted days (s3-access-logs)',
    terminationProtection: true,
  });
  const lake = new CentralLake(centralStack, 'CentralLake', {
    organizationId: organization.organizationId,
    bucketName: central.bucketName,
  });
  new OrgSigv2Watch(centralStack, 'Sigv2Watch', {
    ...config.sigv2Watch,
    lake,
  });
}
