import type { BucketLoggingConfig } from '../../lib/bucket-logging/types';
import { DEFAULT_EXCLUDE_TAG_KEY, KeyFormat } from '../../lib/conventions';

/** The bucket-logging handler's configuration as the construct writes it by default, with `overrides`. */
export function bucketLoggingConfig(overrides: Partial<BucketLoggingConfig> = {}): BucketLoggingConfig {
  return {
    region: 'us-east-1',
    targetBucket: 's3-access-logs-111122223333-us-east-1',
    prefixTemplate: '{bucket}/',
    keyFormat: KeyFormat.PARTITIONED,
    include: [],
    exclude: [],
    excludeTagKey: DEFAULT_EXCLUDE_TAG_KEY,
    overwriteExisting: false,
    concurrency: 4,
    failOnErrors: false,
    restoreOnDelete: true,
    stateTableName: 'state',
    ...overrides,
  };
}
