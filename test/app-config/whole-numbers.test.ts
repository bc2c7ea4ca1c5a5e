import { configFrom as config, contextFailure as failure } from '../util/app-config';

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
      lookbackDays: read.sigv2Watch.lookbackDays,
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
