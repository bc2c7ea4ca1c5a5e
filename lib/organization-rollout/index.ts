export { OrganizationAssetBucket, type OrganizationAssetBucketProps } from './organization-asset-bucket';
export { assetBucketName, defaultAssetBucketPrefix } from './organization-ids';
export {
  CallAs,
  type MemberStackProps,
  OrganizationRollout,
  type OrganizationRolloutProps,
  RegionConcurrency,
} from './organization-rollout';
export { StackSetTemplateSynthesizer, type StackSetTemplateSynthesizerProps } from './stack-set-synthesizer';
