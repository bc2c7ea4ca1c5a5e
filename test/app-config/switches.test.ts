import { configFrom as config, contextFailure as failure } from '../util/app-config';

describe('app config: parts turned off', () => {
  it('refuses logCompactionEnabled=true with accessLogTableEnabled=false, which would deploy no compaction', () => {
    const err = failure({ accessLogTableEnabled: 'false', logCompactionEnabled: 'true' });
    expect(err.key).toBe('logCompactionEnabled');
    expect(err.message).toBe(
      'Context logCompactionEnabled=true needs the Athena table (the compaction reads and writes Athena tables), ' +
        'but accessLogTableEnabled=false: remove accessLogTableEnabled=false, or set logCompactionEnabled=false.',
    );
  });

  it.each<[Record<string, unknown>, string, string]>([
    [
      { accessLogTableEnabled: 'false', compactionLateDays: '5' },
      'compactionLateDays',
      'accessLogTableEnabled=false',
    ],
    [{ accessLogTableEnabled: false, tableName: 'logs' }, 'tableName', 'accessLogTableEnabled=false'],
    [{ accessLogTableEnabled: 'false', lookbackDays: '10' }, 'lookbackDays', 'accessLogTableEnabled=false'],
    [
      { logCompactionEnabled: 'false', compactionConcurrency: '8' },
      'compactionConcurrency',
      'logCompactionEnabled=false',
    ],
    [{ keyFormat: 'simple', compactionChunkSize: '10' }, 'compactionChunkSize', 'keyFormat=simple'],
    [
      { logCompactionEnabled: 'false', digestEmail: 'a@example.com' },
      'digestEmail',
      'logCompactionEnabled=false',
    ],
    [{ sigv2WatchEnabled: 'false', lookbackDays: '10' }, 'lookbackDays', 'sigv2WatchEnabled=false'],
    [{ bucketLoggingEnabled: 'false', include: 'team-a-*' }, 'include', 'bucketLoggingEnabled=false'],
  ])('refuses a setting of a part that is off: %j', (context, key, reason) => {
    const err = failure(context);
    expect(err.key).toBe(key);
    expect(err.message).toBe(
      `Context ${key}=${String(context[key])} has no effect: the part it configures is off (${reason}). ` +
        `Remove ${key}, or turn the part on.`,
    );
  });

  it.each<Record<string, unknown>>([
    { accessLogTableEnabled: 'false', bucketLoggingEnabled: 'true', include: 'team-a-*', retention: '30' },
    { keyFormat: 'simple', logCompactionEnabled: 'false', accessLogTableEnabled: 'true', tableName: 'logs' },
    { logCompactionEnabled: 'true', compactionLateDays: '3', sigv2WatchEnabled: 'true', lookbackDays: '10' },
    {
      bucketLoggingEnabled: 'false',
      keyFormat: 'simple',
      prefixTemplate: 'logs/{bucket}/',
      logCompactionEnabled: 'false',
    },
    // In an organization rollout the central watch reads the SigV2 settings, whatever the members' sigv2WatchEnabled.
    { sigv2WatchEnabled: 'false', digestEmail: 'a@example.com', organizationId: 'o-a1b2c3d4e5' },
  ])('accepts the settings of the parts that are on: %j', (context) => {
    expect(() => config(context)).not.toThrow();
  });
});
