import { deleteMayRestoreFrom, fenceHolds, type WriteFence } from '../../../lib/bucket-logging/handler/fence';
import { configFingerprint } from '../../../lib/bucket-logging/handler/run';
import { DYNAMODB_CALL_BOUND_MS, REQUEST_TIMEOUT_MS } from '../../../lib/bucket-logging/handler/s3';
import type { Settings } from '../../../lib/bucket-logging/handler/schema';
import { parseConfig } from '../../../lib/bucket-logging/types';

const deployed: Settings = { generation: 'update#2', fingerprint: 'f2', deleted: false, at: 't' };
const deleted: Settings = { generation: 'delete#3', fingerprint: 'deleted', deleted: true, at: 't' };

describe('fenceHolds', () => {
  it.each<[string, Settings | undefined, WriteFence, boolean]>([
    [
      'the deploy run that wrote the settings',
      deployed,
      { kind: 'generation', generation: 'update#2' },
      true,
    ],
    ['a deploy run a newer one replaced', deployed, { kind: 'generation', generation: 'update#1' }, false],
    ['a deploy run after the delete', deleted, { kind: 'generation', generation: 'update#2' }, false],
    [
      'a deploy run before any settings (it writes them first)',
      undefined,
      { kind: 'generation', generation: 'create#1' },
      false,
    ],
    ['a sweep with the deployed settings', deployed, { kind: 'fingerprint', fingerprint: 'f2' }, true],
    ['a sweep with old settings', deployed, { kind: 'fingerprint', fingerprint: 'f1' }, false],
    ['a sweep after the delete', deleted, { kind: 'fingerprint', fingerprint: 'f2' }, false],
    [
      'a sweep whose settings spell "deleted"',
      deleted,
      { kind: 'fingerprint', fingerprint: 'deleted' },
      false,
    ],
    [
      'a sweep before this release deployed (no settings item)',
      undefined,
      { kind: 'fingerprint', fingerprint: 'f1' },
      true,
    ],
    ['the delete that wrote the marker', deleted, { kind: 'delete', generation: 'delete#3' }, true],
    ['an older delete', deleted, { kind: 'delete', generation: 'delete#1' }, false],
    ['a delete before any settings', undefined, { kind: 'delete', generation: 'delete#3' }, false],
    [
      'a delete whose marker a new create replaced',
      deployed,
      { kind: 'delete', generation: 'delete#3' },
      false,
    ],
  ])('%s: %p', (_case, settings, fence, holds) => {
    expect(fenceHolds(settings, fence)).toBe(holds);
  });
});

describe('deleteMayRestoreFrom', () => {
  const marker = (at: string): Settings => ({ ...deleted, at });

  it('waits out the latest a record write that passed the fence can land, with 30 s for the clocks', () => {
    // The marker's own PutItem and the writer's record PutItem, each at its longest, the writer's settings read
    // coming back, and two Lambda hosts' clocks that disagree.
    const latest = 2 * DYNAMODB_CALL_BOUND_MS + REQUEST_TIMEOUT_MS + 30_000;

    expect(deleteMayRestoreFrom(marker('2026-11-25T10:00:00.000Z'))).toBeGreaterThanOrEqual(
      Date.parse('2026-11-25T10:00:00.000Z') + latest,
    );
  });

  it('does not hold the delete up for a marker without a readable time', () => {
    expect(deleteMayRestoreFrom(marker(''))).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('configFingerprint', () => {
  const base = parseConfig(
    JSON.stringify({
      region: 'us-east-1',
      targetBucket: 'logs',
      prefixTemplate: '{bucket}/',
      keyFormat: 'partitioned',
      include: [],
      exclude: [],
      excludeTagKey: 'opt-out',
      overwriteExisting: false,
      concurrency: 4,
      failOnErrors: false,
      restoreOnDelete: true,
      stateTableName: 'state',
    }),
  );

  it.each<[string, Partial<typeof base>]>([
    ['the log bucket', { targetBucket: 'other-logs' }],
    ['the prefix', { prefixTemplate: 'logs/{bucket}/' }],
    ['include', { include: ['team-*'] }],
    ['exclude', { exclude: ['tmp-*'] }],
    ['the opt-out tag', { excludeTagKey: 'skip' }],
    ['overwriteExisting', { overwriteExisting: true }],
  ])('changes with %s', (_case, change) => {
    expect(configFingerprint({ ...base, ...change })).not.toBe(configFingerprint(base));
  });

  it('does not change with how fast or how strictly a run works', () => {
    expect(configFingerprint({ ...base, concurrency: 64, failOnErrors: true })).toBe(configFingerprint(base));
  });
});
