import { ContextError, readAppConfig } from '../lib/app-config';

function config(context: Record<string, unknown>) {
  return readAppConfig((key: string) => ({ regions: 'us-east-1', ...context })[key]);
}

/** The ContextError thrown for `context`. */
function failure(context: Record<string, unknown>): ContextError {
  try {
    config(context);
  } catch (err) {
    if (err instanceof ContextError) return err;
    throw err;
  }
  throw new Error(`no error for ${JSON.stringify(context)}`);
}

describe('app config: whole numbers', () => {
  it.each([
    ['retention', '30'],
    ['retention', 30],
    ['concurrency', ' 100 '],
    ['compactionLateDays', '0'],
    ['lookbackDays', 45],
  ])('reads %s=%p', (key, value) => {
    const read = config({ [key]: value });
    const got = {
      retention: read.logBucket('us-east-1').retention?.toDays(),
      concurrency: read.bucketLogging.concurrency,
      compactionLateDays: read.logCompaction.lateDays,
      lookbackDays: read.sigv2WatchOptions.lookbackDays,
    }[key];
    expect(got).toBe(Number(value));
  });

  it.each([
    ['retention', '0x1E'],
    ['retention', '3e1'],
    ['queryResultsRetention', '0b111'],
    ['concurrency', '1e2'],
    ['compactionChunkSize', '1_000'],
    ['compactionConcurrency', '+4'],
    ['lookbackDays', '30.0'],
    ['concurrency', ' '],
    ['concurrency', -1],
    ['compactionLateDays', 1.5],
  ])('refuses %s=%p: digits only, naming the key', (key, value) => {
    const err = failure({ [key]: value });
    expect(err.key).toBe(key);
    expect(err.message).toMatch(new RegExp(`^Context ${key} must be a whole number`));
  });
});

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
