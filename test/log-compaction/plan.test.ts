import fc from 'fast-check';
import {
  bucketListing,
  bucketsFromPrefixes,
  DAILY_PREFIX,
  daysToCompact,
  InvalidInputError,
  MAX_DAYS_PER_RUN,
  planItems,
  publishSteps,
  runId,
} from '../../lib/log-compaction/plan';

const START = '2026-11-30T06:00:00.000Z';

describe('daysToCompact', () => {
  it.each([
    ['nightly: yesterday and the lateDays before it', {}, 2, ['2026/11/27', '2026/11/28', '2026/11/29']],
    ['nightly without late days: yesterday only', {}, 0, ['2026/11/29']],
    ['one day, with dashes', { day: '2026-11-02' }, 2, ['2026/11/02']],
    ['one day, with slashes', { day: '2026/11/02' }, 2, ['2026/11/02']],
    [
      'a backfill over a month end',
      { from: '2026-10-30', to: '2026-11-02' },
      2,
      ['2026/10/30', '2026/10/31', '2026/11/01', '2026/11/02'],
    ],
    ['yesterday itself', { day: '2026-11-29' }, 2, ['2026/11/29']],
  ])('%s', (_name, input, lateDays, expected) => {
    expect(daysToCompact(input, START, lateDays)).toEqual(expected);
  });

  it('counts yesterday from the execution’s start, in UTC, just after midnight too', () => {
    expect(daysToCompact({}, '2026-12-01T00:00:01Z', 0)).toEqual(['2026/11/30']);
  });

  it.each([
    [{ day: '2026-11-30' }, /2026\/11\/30 is not over yet.*up to 2026\/11\/29/],
    [
      { day: '2026-02-30' },
      /"day" must be a day as yyyy-MM-dd, e.g. \{"day": "2026-11-29"\} \(got "2026-02-30"\)/,
    ],
    [{ day: 20261129 }, /"day" must be a day as yyyy-MM-dd/],
    [{ from: '2026-11-02' }, /"to" must be a day/],
    [{ from: '2026-11-05', to: '2026-11-02' }, /"from" \(2026-11-05\) is after "to" \(2026-11-02\)/],
    [{ day: '2026-11-02', from: '2026-11-01' }, /either "day" or "from" and "to"/],
    [
      { from: '2026-10-01', to: '2026-11-01' },
      new RegExp(`32 days asked for; one execution compacts at most ${MAX_DAYS_PER_RUN}: split the range`),
    ],
  ])('refuses %j with a message naming the field and the fix', (input, message) => {
    expect(() => daysToCompact(input, START, 2)).toThrow(message);
    expect(() => daysToCompact(input, START, 2)).toThrow(InvalidInputError);
  });
});

describe('finding the source buckets', () => {
  it.each([
    ['the default {bucket}/: the top level', '{bucket}/', { prefix: '', suffix: '' }],
    ['a folder first', 'logs/{bucket}/', { prefix: 'logs/', suffix: '' }],
    ['a suffix after the name', 'logs/{bucket}-s3/', { prefix: 'logs/', suffix: '-s3' }],
    [
      'no {bucket}: the partitioned layout’s own bucket folder',
      'logs/',
      { prefix: 'logs/111122223333/us-east-1/', suffix: '' },
    ],
  ])('lists %s', (_name, template, listing) => {
    expect(bucketListing(template, '111122223333', 'us-east-1')).toEqual(listing);
  });

  it('keeps the names that can be buckets, and returns what it left out but the project’s own prefix', () => {
    const prefixes = ['_s3-access-logs/', 'b-one/', 'a.two/', 'x/', 'b-one/', 'ok-bucket', "it's/", 'a b/'];
    expect(bucketsFromPrefixes({ prefix: '', suffix: '' }, prefixes)).toEqual({
      buckets: ['a.two', 'b-one'],
      skipped: ['a b/', "it's/", 'ok-bucket', 'x/'],
    });
    expect(
      bucketsFromPrefixes({ prefix: 'logs/', suffix: '-s3' }, ['logs/abc-s3/', 'logs/def/', 'logs/-s3/']),
    ).toEqual({ buckets: ['abc'], skipped: ['logs/-s3/', 'logs/def/'] });
  });

  it('keeps legacy us-east-1 bucket names: uppercase, underscores, up to 255 characters', () => {
    const legacy = `Legacy_${'B'.repeat(248)}`;
    expect(legacy).toHaveLength(255);
    const prefixes = ['UPPER/', 'my_old_bucket/', `${legacy}/`, `${legacy}X/`];
    expect(bucketsFromPrefixes({ prefix: '', suffix: '' }, prefixes)).toEqual({
      buckets: [legacy, 'UPPER', 'my_old_bucket'].sort(),
      skipped: [`${legacy}X/`],
    });
  });
});

describe('planItems', () => {
  it('writes one UNLOAD per day and chunk, each to its own staging prefix', () => {
    const items = planItems(
      { logBucketName: 'logs', source: '"d"."s"', chunkSize: 2 },
      'r1',
      ['2026/11/28', '2026/11/29'],
      ['a-1', 'b-2', 'c-3'],
    );
    expect(items.map((i) => [i.day, i.chunk])).toEqual([
      ['2026/11/28', 0],
      ['2026/11/28', 1],
      ['2026/11/29', 0],
      ['2026/11/29', 1],
    ]);
    expect(items[1].query).toContain("bucket IN ('c-3')");
    expect(items[1].query).toContain(
      "TO 's3://logs/_s3-access-logs/compaction-runs/r1/2026/11/28/chunk-00001/'",
    );
    expect(new Set(items.map((i) => /TO '([^']+)'/.exec(i.query)?.[1])).size).toBe(4);
  });

  it('refuses an execution name that cannot name files', () => {
    expect(() => runId('a/../b')).toThrow(/execution name 'a\/..\/b' must be/);
    // Athena would skip the published files of a run named like a hidden file.
    expect(() => runId('_backfill')).toThrow(/starting with a letter or digit/);
    expect(runId('0f8c2d1e-backfill_2')).toBe('0f8c2d1e-backfill_2');
  });
});

describe('publishSteps', () => {
  const day = '2026/11/29';
  const live = `${DAILY_PREFIX}${day}/`;
  const staged = [
    '_s3-access-logs/compaction-runs/r2/2026/11/29/chunk-00000/f1',
    '_s3-access-logs/compaction-runs/r2/2026/11/29/chunk-00001/f2',
  ];

  it('deletes the other runs’ files and copies this run’s, named after the run and chunk', () => {
    const steps = publishSteps(
      'r2',
      day,
      [`${live}r1.chunk-00000-f1`, `${DAILY_PREFIX}2026/11/28/r1-x`],
      staged,
    );
    expect(steps.deletes).toEqual([`${live}r1.chunk-00000-f1`]);
    expect(steps.copies).toEqual([
      { from: staged[0], to: `${live}r2.chunk-00000-f1` },
      { from: staged[1], to: `${live}r2.chunk-00001-f2` },
    ]);
  });

  it('deletes nothing of its own run, so repeating it changes nothing', () => {
    const steps = publishSteps('r2', day, [`${live}r2.chunk-00000-f1`], staged);
    expect(steps.deletes).toEqual([]);
    expect(steps.copies.map((c) => c.to)).toContain(`${live}r2.chunk-00000-f1`);
  });

  it('does not take a run whose name starts like this one’s for its own', () => {
    expect(publishSteps('r2', day, [`${live}r22.chunk-00000-f1`], []).deletes).toEqual([
      `${live}r22.chunk-00000-f1`,
    ]);
  });
});

describe('daysToCompact, for any start and late days', () => {
  it('gives consecutive days that end yesterday (UTC), 1 + lateDays of them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.integer({ min: 0, max: 30 }),
        (start, lateDays) => {
          const days = daysToCompact({}, new Date(start).toISOString(), lateDays);
          expect(days).toHaveLength(lateDays + 1);
          const times = days.map((d) => Date.parse(`${d.replaceAll('/', '-')}T00:00:00Z`));
          for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBe(86_400_000);
          const yesterday = Math.floor(start / 86_400_000) * 86_400_000 - 86_400_000;
          expect(times[times.length - 1]).toBe(yesterday);
        },
      ),
    );
  });
});
