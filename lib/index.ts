/**
 * AWS CDK constructs that find the S3 clients still signing requests with Signature Version 2: a hardened
 * bucket for S3 server access logs, and the stack that deploys everything for one Region.
 *
 * @remarks
 * Everything exported here is the public API; anything else is internal and may change in any release.
 * api/s3-access-logs.api.md records this surface, and `npm test` fails until `npm run api:update` records a
 * change to it.
 *
 * @packageDocumentation
 */
export { AccessLogBucket, type AccessLogBucketProps, LogDeliveryMode } from './access-log-bucket';
export { AccessLogsStack, type AccessLogsStackProps } from './access-logs-stack';
