/**
 * The IAM actions the watch's function is granted besides querying the compacted table (which the compaction
 * grants), one named list per resource. Tests assert the statements.
 */

/** PutMetricData has no resource: IAM accepts only `*`, limited here by the `cloudwatch:namespace` condition. */
export const METRIC_ACTIONS = ['cloudwatch:PutMetricData'];

/** Publish the digest, on the topic only. */
export const TOPIC_ACTIONS = ['sns:Publish'];

/** What publishing to a KMS-encrypted topic needs, on its key only. */
export const KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];

/** The digest event, on the one event bus. */
export const EVENT_ACTIONS = ['events:PutEvents'];

/** Write the function's own log group (created by the construct, so no logs:CreateLogGroup). */
export const LOG_WRITE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
