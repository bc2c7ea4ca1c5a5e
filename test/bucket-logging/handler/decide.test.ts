import type { LoggingEnabled } from '@aws-sdk/client-s3';
import {
  type BucketRecordView,
  decideLogging,
  decideRestore,
  desiredLogging,
  MAX_TARGETS,
  nameExclusion,
  previousAfterChange,
  sameDelivery,
  tagExclusion,
  targetsAfterChange,
} from '../../../lib/bucket-logging/handler/decide';
import { anyPattern, patternProblem } from '../../../lib/bucket-logging/patterns';
import { KeyFormat } from '../../../lib/conventions';

const TARGET = 'logs-111122223333-us-east-1';
const ours = (bucket: string): LoggingEnabled => ({
  TargetBucket: TARGET,
  TargetPrefix: `${bucket}/`,
  TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } },
});
const elsewhere: LoggingEnabled = { TargetBucket: 'security-logs', TargetPrefix: 'app/' };

describe('bucket-name patterns', () => {
  it.each([
    ['billing-prod', 'billing-prod', true],
    ['billing-prod', 'billing-prod-2', false],
    ['team-a-*', 'team-a-data', true],
    ['team-a-*', 'team-b-data', false],
    ['*-tmp', 'build-tmp', true],
    ['log?.example', 'logs.example', true],
    ['log?.example', 'logsxexample', false],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(anyPattern([pattern])(name)).toBe(expected);
  });

  it('accepts names, prefixes and globs, and rejects what no bucket name can match', () => {
    expect(patternProblem('team-a-*')).toBeUndefined();
    expect(patternProblem('UPPER')).toMatch(/lower-case/);
    expect(patternProblem('')).toBe('is empty');
    expect(patternProblem('a'.repeat(64))).toMatch(/longer than 63/);
  });
});

describe('nameExclusion', () => {
  const byName = nameExclusion({
    targetBucket: TARGET,
    include: ['app-*', 'billing'],
    exclude: ['app-tmp-*'],
  });

  it.each([
    [TARGET, 'target-bucket'],
    ['app-orders', undefined],
    ['billing', undefined],
    ['app-tmp-1', 'name'],
    ['other', 'name'],
  ])('%s -> %s', (bucket, expected) => {
    expect(byName(bucket)).toBe(expected);
  });

  it('includes every bucket when include is empty, and never the log bucket', () => {
    const all = nameExclusion({ targetBucket: TARGET, include: [], exclude: [] });
    expect(all('anything')).toBeUndefined();
    expect(all(TARGET)).toBe('target-bucket');
  });
});

describe('tagExclusion', () => {
  it.each([
    [{}, undefined],
    [{ team: 'a' }, undefined],
    [{ 's3-access-logs:role': 'log-target' }, 'role-tag'],
    [{ 's3-access-logs:role': 'athena-results' }, 'role-tag'],
    [{ 's3-access-logs:exclude': '' }, 'opt-out-tag'],
    [{ 's3-access-logs:exclude': 'no', 's3-access-logs:role': 'x' }, 'role-tag'],
  ])('%j -> %s', (tags, expected) => {
    expect(tagExclusion(tags, 's3-access-logs:exclude')).toBe(expected);
  });

  it('uses the configured opt-out key', () => {
    expect(tagExclusion({ 'no-logging': 'true' }, 'no-logging')).toBe('opt-out-tag');
    expect(tagExclusion({ 's3-access-logs:exclude': 'x' }, 'no-logging')).toBeUndefined();
  });

  it('counts only tags the bucket has, not names every JavaScript object answers to', () => {
    expect(tagExclusion({}, 'constructor')).toBeUndefined();
    expect(tagExclusion({ team: 'a' }, 'toString')).toBeUndefined();
    expect(tagExclusion({ constructor: 'x' }, 'constructor')).toBe('opt-out-tag');
  });
});

describe('desiredLogging', () => {
  it('follows the key layout: partitioned by event time, prefix from the template', () => {
    expect(
      desiredLogging(
        { targetBucket: TARGET, prefixTemplate: 'logs/{bucket}/', keyFormat: KeyFormat.PARTITIONED },
        'app',
      ),
    ).toEqual({
      TargetBucket: TARGET,
      TargetPrefix: 'logs/app/',
      TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } },
    });
  });

  it('uses SimplePrefix for the simple key format', () => {
    expect(
      desiredLogging(
        { targetBucket: TARGET, prefixTemplate: '{bucket}/', keyFormat: KeyFormat.SIMPLE },
        'app',
      ).TargetObjectKeyFormat,
    ).toEqual({ SimplePrefix: {} });
  });
});

describe('sameDelivery', () => {
  it('treats a missing key format as the simple one and ignores grants', () => {
    const simple = { TargetBucket: TARGET, TargetPrefix: 'a/', TargetObjectKeyFormat: { SimplePrefix: {} } };
    expect(sameDelivery(simple, { TargetBucket: TARGET, TargetPrefix: 'a/' })).toBe(true);
    expect(sameDelivery(ours('a'), { ...ours('a'), TargetGrants: [{ Permission: 'READ' }] })).toBe(true);
  });

  it('tells event time from delivery time, and prefixes apart', () => {
    const delivery = {
      ...ours('a'),
      TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'DeliveryTime' as const } },
    };
    expect(sameDelivery(ours('a'), delivery)).toBe(false);
    expect(sameDelivery(ours('a'), ours('b'))).toBe(false);
    expect(sameDelivery(undefined, ours('a'))).toBe(false);
    expect(sameDelivery(ours('a'), undefined)).toBe(false);
    expect(sameDelivery(undefined, undefined)).toBe(true);
  });

  it('tells log buckets apart when prefix and key format are the same', () => {
    expect(sameDelivery({ ...ours('a'), TargetBucket: 'security-logs' }, ours('a'))).toBe(false);
  });

  it("reads a partitioned prefix without a date source as delivery time, S3's default", () => {
    const noSource = { ...ours('a'), TargetObjectKeyFormat: { PartitionedPrefix: {} } };
    const delivery = {
      ...ours('a'),
      TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'DeliveryTime' as const } },
    };
    expect(sameDelivery(noSource, delivery)).toBe(true);
    expect(sameDelivery(noSource, ours('a'))).toBe(false);
  });
});

describe('decideLogging', () => {
  const desired = ours('app');
  it.each<
    [
      string,
      LoggingEnabled | undefined,
      Parameters<typeof decideLogging>[2],
      ReturnType<typeof decideLogging>,
    ]
  >([
    ['already as wanted', desired, { overwriteExisting: false }, { kind: 'already-configured' }],
    ['logging off', undefined, { overwriteExisting: false }, { kind: 'put', why: 'not-logging' }],
    [
      'our bucket with an old prefix',
      { ...desired, TargetPrefix: 'old/app/' },
      { overwriteExisting: false },
      { kind: 'put', why: 'ours-outdated' },
    ],
    [
      'our bucket with the simple format',
      { TargetBucket: TARGET, TargetPrefix: 'app/' },
      { overwriteExisting: false },
      { kind: 'put', why: 'ours-outdated' },
    ],
    [
      'another log bucket with our prefix and key format',
      { ...desired, TargetBucket: 'security-logs' },
      { overwriteExisting: false },
      { kind: 'needs-record' },
    ],
    ['elsewhere, overwrite on', elsewhere, { overwriteExisting: true }, { kind: 'put', why: 'overwrite' }],
    ['elsewhere, record not read yet', elsewhere, { overwriteExisting: false }, { kind: 'needs-record' }],
    [
      'elsewhere, no record',
      elsewhere,
      { overwriteExisting: false, record: null },
      { kind: 'keep-existing' },
    ],
    [
      'elsewhere, we put it there (old target)',
      elsewhere,
      {
        overwriteExisting: false,
        record: { previous: null, applied: elsewhere, targets: [elsewhere.TargetBucket!] },
      },
      { kind: 'put', why: 'placed-by-us' },
    ],
    [
      'elsewhere, what we applied before a change that did not reach the bucket',
      elsewhere,
      {
        overwriteExisting: false,
        record: { previous: null, applied: ours('app'), targets: [elsewhere.TargetBucket!, TARGET] },
      },
      { kind: 'put', why: 'placed-by-us' },
    ],
    [
      'elsewhere, reconfigured since we applied',
      elsewhere,
      {
        overwriteExisting: false,
        record: {
          previous: null,
          applied: { TargetBucket: 'old-target', TargetPrefix: 'app/' },
          targets: ['old-target'],
        },
      },
      { kind: 'keep-existing' },
    ],
  ])('%s', (_case, current, options, expected) => {
    expect(decideLogging(current, desired, options)).toEqual(expected);
  });
});

describe('previousAfterChange', () => {
  const record = { previous: elsewhere, applied: ours('app'), targets: [TARGET] };
  const theirs: LoggingEnabled = { TargetBucket: 'their-new-logs', TargetPrefix: 'x/' };
  const oldTarget: LoggingEnabled = { TargetBucket: 'old-target', TargetPrefix: 'app/' };
  it.each<[string, BucketRecordView | undefined, LoggingEnabled | null, LoggingEnabled | null]>([
    ['first change of a bucket that logged elsewhere', undefined, elsewhere, elsewhere],
    ['first change of a bucket that did not log', undefined, null, null],
    ['our bucket with an old prefix: keeps what it had before us', record, ours('old'), elsewhere],
    [
      'what we applied last (an earlier target): keeps what it had before us',
      { ...record, applied: oldTarget, targets: ['old-target'] },
      oldTarget,
      elsewhere,
    ],
    ['someone pointed it elsewhere since: that is what it had just before us', record, theirs, theirs],
    [
      'what we applied before a change that failed: keeps what it had before us',
      { ...record, applied: ours('app'), targets: ['old-target', TARGET] },
      oldTarget,
      elsewhere,
    ],
    ['someone turned it off since: off is what it had just before us', record, null, null],
    [
      'our log bucket with an old prefix, though the record lists only an earlier log bucket: keeps what it had before us',
      { ...record, applied: oldTarget, targets: ['old-target'] },
      ours('old'),
      elsewhere,
    ],
  ])('%s', (_case, existing, current, expected) => {
    expect(previousAfterChange(existing, current, ours('app'))).toEqual(expected);
  });
});

describe('decideRestore', () => {
  const record = { previous: elsewhere, applied: ours('app'), targets: [TARGET] };
  it('restores what the bucket had when it still logs into our bucket', () => {
    expect(decideRestore(ours('app'), record, TARGET)).toEqual({ kind: 'restore', to: elsewhere });
    expect(decideRestore({ ...ours('app'), TargetPrefix: 'x/' }, record, TARGET)).toEqual({
      kind: 'restore',
      to: elsewhere,
    });
  });

  it('restores a bucket on our log bucket even when the record lists only earlier log buckets', () => {
    const earlierOnly = {
      ...record,
      applied: { TargetBucket: 'old-target', TargetPrefix: 'app/' },
      targets: ['old-target'],
    };
    expect(decideRestore(ours('app'), earlierOnly, TARGET)).toEqual({ kind: 'restore', to: elsewhere });
  });

  it('turns logging off for a bucket that had none', () => {
    expect(decideRestore(ours('app'), { ...record, previous: null }, TARGET)).toEqual({
      kind: 'restore',
      to: null,
    });
  });

  it('leaves a bucket that someone pointed elsewhere or turned off since', () => {
    expect(decideRestore({ TargetBucket: 'new-place', TargetPrefix: '' }, record, TARGET)).toEqual({
      kind: 'leave',
      why: 'reconfigured',
    });
    expect(decideRestore(undefined, record, TARGET)).toEqual({ kind: 'leave', why: 'not-logging' });
  });

  it.each<[string, BucketRecordView]>([
    [
      'a re-point whose puts failed',
      { previous: elsewhere, applied: ours('app'), targets: ['old-target', TARGET] },
    ],
    [
      'a re-point rolled back (the record last says the new bucket)',
      {
        previous: elsewhere,
        applied: { TargetBucket: 'new-target', TargetPrefix: 'app/' },
        targets: ['old-target', 'new-target', TARGET],
      },
    ],
  ])('restores a bucket left on an earlier log bucket of ours after %s', (_case, history) => {
    const onOld = { TargetBucket: 'old-target', TargetPrefix: 'app/' };
    expect(decideRestore(onOld, history, TARGET)).toEqual({ kind: 'restore', to: elsewhere });
  });
});

describe('targetsAfterChange', () => {
  it('keeps every log bucket we applied, once each, oldest first', () => {
    expect(targetsAfterChange(['a'], ours('app'))).toEqual(['a', TARGET]);
    expect(targetsAfterChange(['a', TARGET], { TargetBucket: 'a', TargetPrefix: '' })).toEqual(['a', TARGET]);
  });

  it('forgets the oldest past MAX_TARGETS', () => {
    const many = Array.from({ length: MAX_TARGETS }, (_, i) => `t${i}`);
    expect(targetsAfterChange(many, ours('app'))).toEqual([...many.slice(1), TARGET]);
  });
});
