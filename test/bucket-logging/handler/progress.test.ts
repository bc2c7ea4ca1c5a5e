import type { LoggingEnabled } from '@aws-sdk/client-s3';
import { newCursor } from '../../../lib/bucket-logging/handler/engine';
import {
  blockingFailures,
  logsToTarget,
  MAX_LISTED,
  newProgress,
  type Outcome,
  tally,
} from '../../../lib/bucket-logging/handler/progress';
import { COUNT_NAMES } from '../../../lib/bucket-logging/types';

const ours: LoggingEnabled = { TargetBucket: 'our-logs', TargetPrefix: 'app/' };
const elsewhere: LoggingEnabled = { TargetBucket: 'security-logs', TargetPrefix: 'team/' };
const zeros = Object.fromEntries(COUNT_NAMES.map((name) => [name, 0]));

const failed = (bucket: string, code: string): Outcome => ({
  kind: 'failed',
  bucket,
  operation: 'PutBucketLogging',
  code,
  message: `${code} (test)`,
  retryable: false,
});

/** One outcome of each kind. */
const outcomes: Outcome[] = [
  { kind: 'configured', bucket: 'a', why: 'logging was off' },
  { kind: 'alreadyConfigured', bucket: 'b' },
  { kind: 'keptExisting', bucket: 'c', existing: elsewhere },
  { kind: 'excluded', bucket: 'd', reason: 'role-tag' },
  failed('e', 'AccessDenied'),
  { kind: 'restored', bucket: 'f', to: null },
  { kind: 'leftAlone', bucket: 'g', why: 'reconfigured' },
];

describe('newProgress', () => {
  it('starts a run with every count at zero, nothing listed and the cursor at the start', () => {
    expect(newProgress('run-1', 'sweep', 't0')).toEqual({
      runId: 'run-1',
      trigger: 'sweep',
      startedAt: 't0',
      invocations: 0,
      cursor: newCursor(),
      counts: zeros,
      failures: [],
      keptExisting: [],
      excluded: [],
      unlisted: 0,
      vanished: 0,
    });
  });
});

describe('tally', () => {
  it.each(outcomes.map((o) => [o.kind, o] as const))(
    '%s: counts the outcome under its own name only',
    (kind, o) => {
      const progress = newProgress('run-1', 'sweep', 't0');

      tally(progress, o);

      expect(progress.counts).toEqual({ ...zeros, [kind]: 1 });
    },
  );

  it.each(['configured', 'alreadyConfigured', 'restored', 'leftAlone'])(
    'lists no %s outcome (the report only counts them)',
    (kind) => {
      const progress = newProgress('run-1', 'sweep', 't0');

      tally(progress, outcomes.find((o) => o.kind === kind)!);

      expect(progress).toMatchObject({
        failures: [],
        keptExisting: [],
        excluded: [],
        unlisted: 0,
        vanished: 0,
      });
    },
  );

  it('lists a failure with its bucket, operation, code and message', () => {
    const progress = newProgress('run-1', 'sweep', 't0');

    tally(progress, failed('app', 'AccessDenied'));

    expect(progress).toMatchObject({
      failures: [
        {
          bucket: 'app',
          operation: 'PutBucketLogging',
          code: 'AccessDenied',
          message: 'AccessDenied (test)',
        },
      ],
      keptExisting: [],
      excluded: [],
      vanished: 0,
    });
  });

  it('counts a bucket deleted during the run (NoSuchBucket) as vanished, not as a blocking failure', () => {
    const progress = newProgress('run-1', 'sweep', 't0');

    tally(progress, failed('gone', 'NoSuchBucket'));
    tally(progress, failed('denied', 'AccessDenied'));
    tally(progress, failed('throttled', 'SlowDown'));

    expect(progress.counts.failed).toBe(3);
    expect(progress.vanished).toBe(1);
    // Still listed: the report says which buckets went away.
    expect(progress.failures.map((f) => f.bucket)).toEqual(['gone', 'denied', 'throttled']);
    expect(blockingFailures(progress)).toBe(2);
  });

  it('lists a configuration it kept with the log bucket and prefix the bucket keeps using', () => {
    const progress = newProgress('run-1', 'sweep', 't0');

    tally(progress, { kind: 'keptExisting', bucket: 'app', existing: elsewhere });

    expect(progress).toMatchObject({
      keptExisting: [{ bucket: 'app', targetBucket: 'security-logs', targetPrefix: 'team/' }],
      failures: [],
      excluded: [],
    });
  });

  it('lists an excluded bucket with the reason', () => {
    const progress = newProgress('run-1', 'sweep', 't0');

    tally(progress, { kind: 'excluded', bucket: 'logs', reason: 'target-bucket', logsToTarget: false });

    expect(progress).toMatchObject({
      excluded: [{ bucket: 'logs', reason: 'target-bucket' }],
      failures: [],
      keptExisting: [],
    });
  });

  it('lists the first MAX_LISTED entries of a list and counts the others as unlisted, every one counted', () => {
    const progress = newProgress('run-1', 'sweep', 't0');
    const buckets = Array.from({ length: MAX_LISTED + 2 }, (_, i) => `app-${i}`);

    for (const bucket of buckets) tally(progress, failed(bucket, 'AccessDenied'));
    // Each list has its own room: a full failures list does not stop the others.
    tally(progress, { kind: 'excluded', bucket: 'logs', reason: 'target-bucket' });

    expect(progress.counts.failed).toBe(MAX_LISTED + 2);
    expect(progress.failures.map((f) => f.bucket)).toEqual(buckets.slice(0, MAX_LISTED));
    expect(progress.unlisted).toBe(2);
    expect(progress.excluded).toEqual([{ bucket: 'logs', reason: 'target-bucket' }]);
  });
});

describe('logsToTarget', () => {
  const target = 'our-logs';
  it.each<[string, Outcome, boolean | undefined]>([
    ['a bucket we configured', { kind: 'configured', bucket: 'a', why: 'logging was off' }, true],
    ['a bucket that already logged there', { kind: 'alreadyConfigured', bucket: 'a' }, true],
    [
      'a bucket that keeps its own logging',
      { kind: 'keptExisting', bucket: 'a', existing: elsewhere },
      false,
    ],
    [
      'an excluded bucket that logs there',
      { kind: 'excluded', bucket: 'a', reason: 'role-tag', logsToTarget: true },
      true,
    ],
    [
      'an excluded bucket that logs elsewhere',
      { kind: 'excluded', bucket: 'a', reason: 'role-tag', logsToTarget: false },
      false,
    ],
    ['an excluded bucket not read', { kind: 'excluded', bucket: 'a', reason: 'target-bucket' }, undefined],
    [
      'a bucket left alone that logs there',
      { kind: 'leftAlone', bucket: 'a', why: 'reconfigured', logsToTarget: true },
      true,
    ],
    [
      'a bucket left alone that logs elsewhere',
      { kind: 'leftAlone', bucket: 'a', why: 'reconfigured', logsToTarget: false },
      false,
    ],
    ['a bucket left alone, not read', { kind: 'leftAlone', bucket: 'a', why: 'gone' }, undefined],
    ['a bucket restored to logging there', { kind: 'restored', bucket: 'a', to: ours }, true],
    ['a bucket restored to logging elsewhere', { kind: 'restored', bucket: 'a', to: elsewhere }, false],
    ['a bucket restored to no logging', { kind: 'restored', bucket: 'a', to: null }, false],
    ['a failure (unknown)', failed('a', 'AccessDenied'), undefined],
  ])('%s', (_case, outcome, expected) => {
    expect(logsToTarget(outcome, target)).toBe(expected);
  });
});
