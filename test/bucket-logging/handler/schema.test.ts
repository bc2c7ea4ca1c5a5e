import type { LoggingEnabled } from '@aws-sdk/client-s3';
import { newProgress } from '../../../lib/bucket-logging/handler/progress';
import {
  parseRecordItem,
  parseRunItem,
  parseSettingsItem,
  StateSchemaError,
} from '../../../lib/bucket-logging/handler/schema';

const before: LoggingEnabled = { TargetBucket: 'security-logs', TargetPrefix: 'app/' };
const ours: LoggingEnabled = { TargetBucket: 'our-logs', TargetPrefix: 'app/' };
const newer: LoggingEnabled = { TargetBucket: 'our-new-logs', TargetPrefix: 'app/' };

/** A bucket record item as this release writes it (schema 2). */
const recordItem = (record: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  pk: 'bucket#app',
  schema: 2,
  record: {
    bucket: 'app',
    previous: before,
    applied: ours,
    targets: ['our-logs'],
    version: 1,
    recordedAt: '2026-11-30T10:00:00.000Z',
    updatedAt: '2026-11-30T11:00:00.000Z',
    source: 'sweep',
    ...record,
  },
  ...extra,
});

/** A record item of schema 1: no `schema` attribute, `earlier` instead of `targets`. */
const schema1Item = (record: Record<string, unknown> = {}) => {
  const { schema: _schema, ...item } = recordItem({ targets: undefined, ...record });
  return item;
};

const runItem = (extra: Record<string, unknown> = {}) => ({
  pk: 'run#sweep',
  schema: 2,
  lease: 'holder',
  leaseUntil: 1_000,
  progress: newProgress('run-1', 'sweep', '2026-11-30T10:00:00.000Z'),
  ...extra,
});

const settingsItem = (extra: Record<string, unknown> = {}) => ({
  pk: 'settings',
  schema: 1,
  generation: 'create#1',
  fingerprint: 'f1',
  deleted: false,
  at: '2026-11-30T10:00:00.000Z',
  ...extra,
});

/** The error a read fails with, for its message. */
function refusal(read: () => unknown): StateSchemaError {
  try {
    read();
  } catch (err) {
    expect(err).toBeInstanceOf(StateSchemaError);
    return err as StateSchemaError;
  }
  throw new Error('the item was read, not refused');
}

describe('schema versions', () => {
  it.each<[string, unknown]>([
    ['0', 0],
    ['a negative number', -1],
    ['a fraction', 1.5],
    ['a number written as a string', '2'],
    ['one newer than this release', 3],
  ])('refuses a record of schema %s, naming the table, the item and the version', (_case, schema) => {
    const error = refusal(() => parseRecordItem(recordItem({}, { schema }), 'state'));
    expect(error.message).toBe(
      `state table state: item bucket#app has schema version ${JSON.stringify(schema)}, and this release ` +
        'reads versions 1 to 2; deploy the release that wrote it (or a newer one) to finish or restore it',
    );
    expect(error.name).toBe('StateSchemaError');
  });

  it('reads the newest schema it knows of each kind of item, and the oldest (no schema attribute)', () => {
    expect(parseRecordItem(recordItem(), 'state').targets).toEqual(['our-logs']);
    expect(parseRecordItem(schema1Item(), 'state').targets).toEqual(['our-logs']);
    expect(parseRecordItem(recordItem({ targets: undefined }, { schema: 1 }), 'state').targets).toEqual([
      'our-logs',
    ]);
    expect(parseRunItem(runItem({ schema: 2 }), 'state').lease).toBe('holder');
    expect(parseRunItem(runItem({ schema: undefined }), 'state').lease).toBe('holder');
    expect(parseSettingsItem(settingsItem({ schema: 1 }), 'state').generation).toBe('create#1');
    expect(parseSettingsItem(settingsItem({ schema: undefined }), 'state').generation).toBe('create#1');
  });

  it.each([
    ['a run item', () => parseRunItem(runItem({ schema: 3 }), 'state'), 'item run#sweep', 2],
    [
      'the settings item',
      () => parseSettingsItem(settingsItem({ schema: 2 }), 'state'),
      'the settings item',
      1,
    ],
  ])('refuses %s of a newer schema than this release reads', (_case, read, what, known) => {
    expect(refusal(read).message).toMatch(
      new RegExp(
        `^state table state: ${what} has schema version \\d, and this release reads versions 1 to ${known};`,
      ),
    );
  });
});

describe('bucket records', () => {
  it('reads a record as it was written', () => {
    expect(parseRecordItem(recordItem(), 'state')).toEqual({
      bucket: 'app',
      previous: before,
      applied: ours,
      targets: ['our-logs'],
      version: 1,
      recordedAt: '2026-11-30T10:00:00.000Z',
      updatedAt: '2026-11-30T11:00:00.000Z',
      source: 'sweep',
    });
  });

  it('reads a bucket that had no logging before us (previous null)', () => {
    expect(parseRecordItem(recordItem({ previous: null }), 'state').previous).toBeNull();
  });

  it('takes what an item leaves out from its key and from the first writer', () => {
    const item = recordItem();
    const { bucket: _b, recordedAt: _r, updatedAt: _u, source: _s, ...rest } = item.record;
    expect(parseRecordItem({ ...item, record: rest }, 'state')).toMatchObject({
      bucket: 'app',
      recordedAt: '',
      updatedAt: '',
      source: 'create',
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no record at all', { record: undefined }, 'record'],
    ['a record that is a list', { record: [] }, 'record'],
    ['a record that is null', { record: null }, 'record'],
    ['no applied', { record: { ...recordItem().record, applied: undefined } }, 'record.applied'],
    [
      'an applied without a log bucket',
      { record: { ...recordItem().record, applied: {} } },
      'record.applied',
    ],
    ['an applied that is a list', { record: { ...recordItem().record, applied: [] } }, 'record.applied'],
    [
      'an applied whose log bucket is not a string',
      { record: { ...recordItem().record, applied: { TargetBucket: 7 } } },
      'record.applied',
    ],
    [
      'no previous (neither null nor a configuration)',
      { record: { ...recordItem().record, previous: undefined } },
      'record.previous',
    ],
    [
      'a previous without a log bucket',
      { record: { ...recordItem().record, previous: { TargetPrefix: 'x/' } } },
      'record.previous',
    ],
    ['no version', { record: { ...recordItem().record, version: undefined } }, 'record.version'],
    ['a version written as a string', { record: { ...recordItem().record, version: '1' } }, 'record.version'],
    ['no targets', { record: { ...recordItem().record, targets: undefined } }, 'record.targets'],
    [
      'targets that are not a list',
      { record: { ...recordItem().record, targets: 'our-logs' } },
      'record.targets',
    ],
    [
      'a target that is not a name',
      { record: { ...recordItem().record, targets: ['our-logs', 7] } },
      'record.targets',
    ],
  ])('refuses a record with %s, naming the table, the item and the field', (_case, change, field) => {
    expect(refusal(() => parseRecordItem({ ...recordItem(), ...change }, 'state')).message).toBe(
      `state table state: item bucket#app has no valid ${field}`,
    );
  });

  it('names the table it read', () => {
    expect(refusal(() => parseRecordItem(recordItem({ version: undefined }), 'logs-state')).message).toBe(
      'state table logs-state: item bucket#app has no valid record.version',
    );
  });
});

describe('bucket records of schema 1', () => {
  it('counts both log buckets it remembered as ours, the earlier one first', () => {
    expect(parseRecordItem(schema1Item({ applied: newer, earlier: ours }), 'state')).toMatchObject({
      applied: newer,
      targets: ['our-logs', 'our-new-logs'],
    });
  });

  it('counts a log bucket once when the earlier configuration went to the same one', () => {
    const samePlace = { ...ours, TargetPrefix: 'old/' };
    expect(parseRecordItem(schema1Item({ earlier: samePlace }), 'state').targets).toEqual(['our-logs']);
  });

  it('counts only the applied log bucket when there was no earlier one', () => {
    expect(parseRecordItem(schema1Item({ earlier: undefined }), 'state').targets).toEqual(['our-logs']);
  });

  it('refuses an earlier configuration without a log bucket', () => {
    expect(
      refusal(() => parseRecordItem(schema1Item({ earlier: { TargetPrefix: 'x/' } }), 'state')).message,
    ).toBe('state table state: item bucket#app has no valid record.earlier');
  });
});

describe('run items', () => {
  it('reads a lease with its saved progress', () => {
    const item = runItem();
    expect(parseRunItem(item, 'state')).toEqual({
      lease: 'holder',
      leaseUntil: 1_000,
      progress: item.progress,
    });
  });

  it.each([
    ['null', null],
    ['absent', undefined],
  ])('reads a run whose progress is %s as a new run', (_case, progress) => {
    expect(parseRunItem(runItem({ progress }), 'state')).toEqual({
      lease: 'holder',
      leaseUntil: 1_000,
      progress: null,
    });
  });

  const progress = newProgress('run-1', 'sweep', 't');
  it.each<[string, Record<string, unknown>, string]>([
    ['no lease', { lease: undefined }, 'lease'],
    ['a lease that is not a string', { lease: 7 }, 'lease'],
    ['no lease end', { leaseUntil: undefined }, 'leaseUntil'],
    ['a lease end written as a string', { leaseUntil: '1000' }, 'leaseUntil'],
    ['progress that is not an object', { progress: 'half' }, 'progress'],
    ['progress that is a list', { progress: [] }, 'progress'],
    ['progress without a run id', { progress: { ...progress, runId: undefined } }, 'progress'],
    ['progress without counts', { progress: { ...progress, counts: undefined } }, 'progress'],
    ['progress without a cursor', { progress: { ...progress, cursor: undefined } }, 'progress'],
    [
      'a cursor without pending names',
      { progress: { ...progress, cursor: { ...progress.cursor, pending: undefined } } },
      'progress',
    ],
    [
      'a cursor whose pending names are not a list',
      { progress: { ...progress, cursor: { ...progress.cursor, pending: 'a' } } },
      'progress',
    ],
    [
      'a cursor without its retry list',
      { progress: { ...progress, cursor: { ...progress.cursor, retry: undefined } } },
      'progress',
    ],
  ])('refuses a run with %s, naming the table, the item and the field', (_case, change, field) => {
    expect(refusal(() => parseRunItem(runItem(change), 'state')).message).toBe(
      `state table state: item run#sweep has no valid ${field}`,
    );
  });
});

describe('the settings item', () => {
  it('reads the fence as it was written', () => {
    expect(parseSettingsItem(settingsItem(), 'state')).toEqual({
      generation: 'create#1',
      fingerprint: 'f1',
      deleted: false,
      at: '2026-11-30T10:00:00.000Z',
    });
    expect(parseSettingsItem(settingsItem({ deleted: true }), 'state').deleted).toBe(true);
  });

  it('reads a settings item without a time (not written by this release) as one with none', () => {
    expect(parseSettingsItem(settingsItem({ at: undefined }), 'state').at).toBe('');
    expect(parseSettingsItem(settingsItem({ at: 5 }), 'state').at).toBe('');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no generation', { generation: undefined }, 'generation'],
    ['a generation that is not a string', { generation: 1 }, 'generation'],
    ['no fingerprint', { fingerprint: undefined }, 'fingerprint'],
    ['no deleted flag', { deleted: undefined }, 'deleted'],
    ['a deleted flag written as a string', { deleted: 'true' }, 'deleted'],
  ])('refuses settings with %s, naming the table and the field', (_case, change, field) => {
    expect(refusal(() => parseSettingsItem(settingsItem(change), 'state')).message).toBe(
      `state table state: the settings item has no valid ${field}`,
    );
  });
});
