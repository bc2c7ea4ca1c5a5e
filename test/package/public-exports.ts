/**
 * The names the package root exports at run time (types and interfaces vanish at run time; the API report,
 * api/s3-access-logs.api.md, records them). Checked against lib/index.ts in the repository and against the
 * installed package by the outside-in test. A new public construct adds its name here.
 */
export const PUBLIC_EXPORTS: readonly string[] = [
  'ACCESS_LOG_PATTERN',
  'ACCESS_LOG_REGEX',
  'AccessLogBucket',
  'AccessLogTable',
  'AccessLogsStack',
  'BucketLogging',
  'COUNT_NAMES',
  'COLUMN_NAMES',
  'COLUMNS',
  'COMPACTED_COLUMNS',
  'EVENT_DETAIL_TYPE',
  'EVENT_SOURCE',
  'KeyFormat',
  'LogCompaction',
  'LogDeliveryMode',
  'METRIC_NAMES',
  'METRIC_NAMESPACE',
  'parseLineWithRegex',
  'Sigv2Watch',
];
