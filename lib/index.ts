/**
 * AWS CDK constructs that find the S3 clients still signing requests with Signature Version 2: a hardened
 * bucket for S3 server access logs, an Athena table that reads every real log line, and the stack that deploys
 * everything for one Region; plus the definition of the log record, for parsing logs in your own code.
 *
 * @remarks
 * Everything exported here is the public API; anything else is internal and may change in any release.
 * api/s3-access-logs.api.md records this surface, and `npm test` fails until `npm run api:update` records a
 * change to it.
 *
 * @packageDocumentation
 */
// First: a clear error when the peers are missing, before any construct module fails to load them.
import './peers';

export { AccessLogBucket, type AccessLogBucketProps, LogDeliveryMode } from './access-log-bucket';
export { AccessLogTable, type AccessLogTableOptions, type AccessLogTableProps } from './access-log-table';
export { AccessLogsStack, type AccessLogsStackProps } from './access-logs-stack';
export {
  BucketLogging,
  type BucketLoggingOptions,
  type BucketLoggingProps,
  COUNT_NAMES,
  type CountName,
  type GlueTableRef,
} from './bucket-logging';
export {
  CentralDelivery,
  type CentralDeliveryProps,
  CentralLake,
  type CentralLakeProps,
  type CentralLakeTarget,
  ORG_QUERIES,
  type OrgQuery,
  type OrgQueryParameter,
  OrgSigv2Watch,
  type OrgSigv2WatchProps,
  renderOrgQuery,
} from './central-lake';
export { KeyFormat } from './conventions';
export {
  COMPACTED_COLUMNS,
  type CompactedColumn,
  type CompactedColumnType,
  LogCompaction,
  type LogCompactionOptions,
  type LogCompactionProps,
} from './log-compaction';
export {
  ACCESS_LOG_PATTERN,
  ACCESS_LOG_REGEX,
  COLUMN_NAMES,
  COLUMNS,
  type Column,
  type ColumnList,
  type ColumnName,
  type ColumnType,
  type LogRecord,
  parseLineWithRegex,
} from './log-format';
export {
  CallAs,
  type MemberStackProps,
  OrganizationAssetBucket,
  type OrganizationAssetBucketProps,
  OrganizationRollout,
  type OrganizationRolloutProps,
  RegionConcurrency,
  StackSetTemplateSynthesizer,
  type StackSetTemplateSynthesizerProps,
} from './organization-rollout';
export {
  type CompactedTableSource,
  type DisappearedRequester,
  EVENT_DETAIL_TYPE,
  EVENT_SOURCE,
  type FacetName,
  type FacetSummary,
  type FacetValue,
  METRIC_NAMES,
  METRIC_NAMESPACE,
  type MetricKey,
  type RequesterDigest,
  type Sigv2Digest,
  Sigv2Watch,
  type Sigv2WatchOptions,
  type Sigv2WatchProps,
} from './sigv2-watch';
