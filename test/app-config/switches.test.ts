import { configFrom as config, contextFailure as failure } from '../util/app-config';

describe('app config: parts turned off', () => {
  it('refuses compaction=true with athena=false, which would deploy no compaction', () => {
    const err = failure({ athena: 'false', compaction: 'true' });
    expect(err.key).toBe('compaction');
    expect(err.message).toBe(
      'Context compaction=true needs athena (the compaction reads and writes Athena tables), but athena=false: ' +
        'remove athena=false, or set compaction=false.',
    );
  });

  it.each<[Record<string, unknown>, string, string]>([
    [{ athena: 'false', compactionLateDays: '5' }, 'compactionLateDays', 'athena=false'],
    [{ athena: false, tableName: 'logs' }, 'tableName', 'athena=false'],
    [{ athena: 'false', lookbackDays: '10' }, 'lookbackDays', 'athena=false'],
    [{ compaction: 'false', compactionConcurrency: '8' }, 'compactionConcurrency', 'compaction=false'],
    [{ keyFormat: 'simple', compactionChunkSize: '10' }, 'compactionChunkSize', 'keyFormat=simple'],
    [{ compaction: 'false', digestEmail: 'a@example.com' }, 'digestEmail', 'compaction=false'],
    [{ sigv2Watch: 'false', lookbackDays: '10' }, 'lookbackDays', 'sigv2Watch=false'],
    [{ enableBucketLogging: 'false', include: 'team-a-*' }, 'include', 'enableBucketLogging=false'],
  ])('refuses a setting of a part that is off: %j', (context, key, reason) => {
    const err = failure(context);
    expect(err.key).toBe(key);
    expect(err.message).toBe(
      `Context ${key}=${String(context[key])} has no effect: the part it configures is off (${reason}). ` +
        `Remove ${key}, or turn the part on.`,
    );
  });

  it.each<Record<string, unknown>>([
    { athena: 'false', enableBucketLogging: 'true', include: 'team-a-*', retention: '30' },
    { keyFormat: 'simple', compaction: 'false', athena: 'true', tableName: 'logs' },
    { compaction: 'true', compactionLateDays: '3', sigv2Watch: 'true', lookbackDays: '10' },
    {
      enableBucketLogging: 'false',
      keyFormat: 'simple',
      prefixTemplate: 'logs/{bucket}/',
      compaction: 'false',
    },
    // In an organization rollout the central watch reads the SigV2 settings, whatever the members' sigv2Watch.
    { sigv2Watch: 'false', digestEmail: 'a@example.com', organizationId: 'o-a1b2c3d4e5' },
  ])('accepts the settings of the parts that are on: %j', (context) => {
    expect(() => config(context)).not.toThrow();
  });
});
