export { type CentralBucketPolicyInput, centralBucketPolicyStatements } from './bucket-policy';
export { CentralDelivery, type CentralDeliveryProps, type CentralLakeTarget } from './central-delivery';
export { CentralLake, type CentralLakeProps } from './central-lake';
export { CENTRAL_DATA_PREFIX, centralDayPrefix, defaultCentralBucketName } from './layout';
export { OrgSigv2Watch, type OrgSigv2WatchProps } from './org-watch';
export {
  CENTRAL_PLACEHOLDER,
  ORG_QUERIES,
  type OrgQuery,
  type OrgQueryParameter,
  orgRelation,
  renderOrgQuery,
} from './queries';
