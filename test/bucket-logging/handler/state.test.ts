import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import type { LoggingEnabled } from '@aws-sdk/client-s3';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { newProgress } from '../../../lib/bucket-logging/handler/progress';
import {
  type DynamoStateStore,
  isDeleted,
  RECORD_WRITE_ATTEMPTS,
  type WriteFence,
} from '../../../lib/bucket-logging/handler/state';
import { FakeTable, MAX_ITEM_BYTES } from './fakes';
import { documentClient as db, stateStore } from './world';

/** A sweep's fence; with no settings item (no deploy of this release yet) it lets writes through. */
const sweepFence: WriteFence = { kind: 'fingerprint', fingerprint: 'f1' };
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const throttled = () =>
  new ProvisionedThroughputExceededException({
    message: 'The level of configured provisioned throughput for the table was exceeded',
    $metadata: { httpStatusCode: 400 },
  });
/** The PutItem requests of bucket records (not runs or the settings item). */
const recordPuts = () =>
  table.mock
    .commandCalls(PutCommand)
    .map((c) => c.args[0].input)
    .filter((input) => String(input.Item?.pk).startsWith('bucket#'));

const before: LoggingEnabled = { TargetBucket: 'security-logs', TargetPrefix: 'app/' };
const ours: LoggingEnabled = { TargetBucket: 'our-logs', TargetPrefix: 'app/' };
const newer: LoggingEnabled = { TargetBucket: 'our-new-logs', TargetPrefix: 'app/' };

let table: FakeTable;
let store: DynamoStateStore;

beforeEach(() => {
  table = new FakeTable();
  store = stateStore();
});
afterEach(() => table.mock.restore());

describe('DynamoStateStore', () => {
  it('writes the first record of a bucket only if there is none', async () => {
    await store.recordChange('app', before, ours, 'sweep', 't1', sweepFence);

    const [put] = recordPuts();
    expect(put).toMatchObject({
      TableName: 'state',
      Item: {
        pk: 'bucket#app',
        schema: 2,
        record: { previous: before, applied: ours, targets: ['our-logs'], version: 1, source: 'sweep' },
      },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'pk' },
    });
  });

  it('keeps the first record: a later path only updates what was applied, under a version check', async () => {
    await store.recordChange('app', before, ours, 'bucket-created', 't1', sweepFence);
    // The sweep read the bucket after the event had changed it: its "previous" is our own configuration.
    await store.recordChange('app', ours, newer, 'sweep', 't2', sweepFence);

    expect(await store.getRecord('app')).toMatchObject({
      previous: before,
      applied: newer,
      targets: ['our-logs', 'our-new-logs'],
      version: 2,
      source: 'bucket-created',
      recordedAt: 't1',
      updatedAt: 't2',
    });
    // The insert lost to the existing record; the versioned write won.
    expect(recordPuts()).toHaveLength(3);
    expect(recordPuts()[2]).toMatchObject({
      ConditionExpression: '#record.#version = :v',
      ExpressionAttributeValues: { ':v': 1 },
    });
  });

  it('gives up with StateConflict when the record keeps changing under it', async () => {
    await store.recordChange('app', before, ours, 'sweep', 't1', sweepFence);
    // Every record write loses the race.
    table.failWrites('bucket#app', ...Array.from({ length: 1 + RECORD_WRITE_ATTEMPTS }, conditionFailed));

    await expect(store.recordChange('app', ours, newer, 'sweep', 't2', sweepFence)).rejects.toMatchObject({
      name: 'StateConflict',
      message: 'state record of app kept changing; not changing its logging',
    });
    expect(recordPuts()).toHaveLength(1 + 1 + RECORD_WRITE_ATTEMPTS);
  });

  it('writes the first record after all when the record it lost to is gone by the time it reads it back', async () => {
    // The insert loses to another writer's record, which is deleted before this writer reads it.
    table.failWrites('bucket#app', conditionFailed());

    await store.recordChange('app', before, ours, 'sweep', 't1', sweepFence);

    expect(table.record('app')).toMatchObject({ previous: before, applied: ours, version: 1 });
    expect(recordPuts().map((put) => put.ConditionExpression)).toEqual([
      'attribute_not_exists(#pk)',
      'attribute_not_exists(#pk)',
    ]);
  });

  it('fails with the error of a write that failed for another reason than a race, without retrying it', async () => {
    table.failWrites('bucket#app', throttled());

    await expect(store.recordChange('app', before, ours, 'sweep', 't1', sweepFence)).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    expect(recordPuts()).toHaveLength(1);
    expect(table.record('app')).toBeUndefined();
  });

  it('still writes its record after losing three races in a row (a sweep and an event on one bucket)', async () => {
    await store.recordChange('app', before, ours, 'sweep', 't1', sweepFence);
    // A sweep and an event met on one bucket: the insert and the first versioned writes lose.
    const losses = RECORD_WRITE_ATTEMPTS;
    expect(losses).toBeGreaterThanOrEqual(3);
    table.failWrites('bucket#app', ...Array.from({ length: losses }, conditionFailed));

    await store.recordChange('app', ours, newer, 'sweep', 't2', sweepFence);

    expect(recordPuts()).toHaveLength(1 + losses + 1);
    expect(table.record('app')).toMatchObject({ applied: newer, previous: before, version: 2 });
  });

  it('refuses a record write whose settings are stale, and one after the delete marker', async () => {
    await store.startDeploy('update#2', 'f2', 't0');
    await expect(store.recordChange('app', before, ours, 'sweep', 't1', sweepFence)).rejects.toMatchObject({
      name: 'StaleSettings',
    });
    await expect(
      store.recordChange('app', before, ours, 'update', 't1', { kind: 'generation', generation: 'update#1' }),
    ).rejects.toMatchObject({ name: 'StaleSettings' });
    expect(recordPuts()).toEqual([]);
    await store.recordChange('app', before, ours, 'update', 't1', {
      kind: 'generation',
      generation: 'update#2',
    });
    await store.recordChange('app', ours, ours, 'sweep', 't2', { kind: 'fingerprint', fingerprint: 'f2' });

    await store.markDeleted('delete#3', 't3');
    for (const fence of [
      { kind: 'generation', generation: 'update#2' },
      { kind: 'fingerprint', fingerprint: 'f2' },
    ] as const) {
      await expect(store.recordChange('new', null, ours, 'sweep', 't4', fence)).rejects.toMatchObject({
        name: 'StaleSettings',
      });
    }
    expect(table.record('new')).toBeUndefined();
    // Refused before its PutItem was sent.
    expect(recordPuts().filter((put) => put.Item?.pk === 'bucket#new')).toEqual([]);
    expect(await isDeleted(store)).toBe(true);
  });

  it('says which settings a refused record write had', async () => {
    await store.startDeploy('update#2', 'f2', 't0');

    await expect(store.recordChange('app', before, ours, 'sweep', 't1', sweepFence)).rejects.toThrow(
      "the settings of this run are no longer the resource's (fingerprint f1): a newer deployment or the delete took over",
    );
    await expect(
      store.recordChange('app', before, ours, 'update', 't1', { kind: 'generation', generation: 'update#1' }),
    ).rejects.toThrow("no longer the resource's (generation update#1)");
  });

  it("writes no bucket record under the delete's fence, even while the delete's marker is the settings", async () => {
    await store.markDeleted('delete#1', 't1');

    await expect(
      store.recordChange('app', null, ours, 'delete', 't2', { kind: 'delete', generation: 'delete#1' }),
    ).rejects.toMatchObject({ name: 'StaleSettings', message: 'a delete writes no bucket record' });
    expect(recordPuts()).toEqual([]);
  });

  it('stands down after losing a race to a newer deploy run: it reads the settings again before retrying', async () => {
    await store.startDeploy('update#1', 'f1', 't0');
    // The older run read the settings (its own) and sent its record; the newer run starts and writes first.
    const held = table.hold('bucket#app');
    const older = store.recordChange('app', null, ours, 'update', 't1', {
      kind: 'generation',
      generation: 'update#1',
    });
    await held.reached;
    await store.startDeploy('update#2', 'f2', 't2');
    await store.recordChange('app', null, newer, 'update', 't2', {
      kind: 'generation',
      generation: 'update#2',
    });

    held.release();

    await expect(older).rejects.toMatchObject({ name: 'StaleSettings' });
    expect(table.record('app')).toMatchObject({ applied: newer, targets: ['our-new-logs'], version: 1 });
  });

  it('writes 64 records at once (the default concurrency) with one PutItem each: no transaction, no retry', async () => {
    await store.startDeploy('update#2', 'f2', 't0');
    const fence: WriteFence = { kind: 'generation', generation: 'update#2' };
    const buckets = Array.from({ length: 64 }, (_, i) => `app-${i}`);

    await Promise.all(buckets.map((b) => store.recordChange(b, null, ours, 'update', 't1', fence)));

    for (const b of buckets) expect(table.record(b)).toMatchObject({ applied: ours, version: 1 });
    // Every write request of the 64: a transaction on the settings item would meet the others there.
    const writes = [
      ...table.mock.commandCalls(TransactWriteCommand),
      ...table.mock.commandCalls(PutCommand).filter((c) => c.args[0].input.Item?.pk !== 'settings'),
    ];
    expect(writes).toHaveLength(64);
    expect(table.mock.commandCalls(TransactWriteCommand)).toHaveLength(0);
    const settingsReads = table.mock
      .commandCalls(GetCommand)
      .filter((c) => c.args[0].input.Key?.pk === 'settings');
    expect(settingsReads).toHaveLength(64);
    for (const read of settingsReads) expect(read.args[0].input.ConsistentRead).toBe(true);
  });

  it('keeps the first time of a delete marker across retries of the same delete', async () => {
    await store.markDeleted('delete#1', 't1');
    expect(await store.markDeleted('delete#1', 't2')).toMatchObject({ at: 't1', deleted: true });
    expect(await store.markDeleted('delete#2', 't3')).toMatchObject({ at: 't3' });
  });

  it('lets one invocation hold a run at a time, and hands it over when the lease has expired', async () => {
    expect(await store.claimRun('sweep', 'first', 1_000, 0)).toEqual({ progress: null });
    expect(await store.claimRun('sweep', 'second', 2_000, 500)).toBeUndefined();
    expect(await store.runBusy('sweep', 500)).toBe(true);

    const progress = newProgress('run-1', 'sweep', 't');
    await store.saveRun('sweep', 'first', 0, progress);
    expect(await store.runBusy('sweep', 600)).toBe(false);

    expect(await store.claimRun('sweep', 'second', 2_000, 700)).toEqual({ progress });
    await expect(store.saveRun('sweep', 'first', 0, progress)).rejects.toMatchObject({
      name: 'StateConflict',
      message: 'lost the lease of run sweep',
    });
    await store.finishRun('sweep', 'second');
    expect(table.items.has('run#sweep')).toBe(false);
  });

  it('hands a run over at the moment its lease ends', async () => {
    await store.claimRun('sweep', 'first', 1_000, 0);

    expect(await store.runBusy('sweep', 999)).toBe(true);
    expect(await store.runBusy('sweep', 1_000)).toBe(false);
    expect(await store.claimRun('sweep', 'second', 2_000, 1_000)).toEqual({ progress: null });
    expect(table.items.get('run#sweep')).toMatchObject({ lease: 'second', leaseUntil: 2_000 });
  });

  it('lets the invocation that holds a run claim it again, for longer', async () => {
    await store.claimRun('sweep', 'first', 1_000, 0);

    expect(await store.claimRun('sweep', 'first', 2_000, 500)).toEqual({ progress: null });
    expect(await store.runBusy('sweep', 1_500)).toBe(true);
  });

  it('finds no invocation busy with a run that was never claimed', async () => {
    expect(await store.runBusy('sweep', 0)).toBe(false);
  });

  it('never removes a run that another invocation has taken over', async () => {
    await store.claimRun('sweep', 'first', 1_000, 0);
    // The first invocation's lease ran out; the second took the run over and is working on it.
    await store.claimRun('sweep', 'second', 5_000, 2_000);

    await store.finishRun('sweep', 'first');

    expect(table.items.get('run#sweep')).toMatchObject({ lease: 'second' });
    expect(table.mock.commandCalls(DeleteCommand)[0].args[0].input).toMatchObject({
      ConditionExpression: '#lease = :me',
    });
  });

  it('fails with the error of a removal of a run that failed for another reason than a lost lease', async () => {
    await store.claimRun('sweep', 'first', 1_000, 0);
    table.mock.on(DeleteCommand).rejectsOnce(throttled());

    await expect(store.finishRun('sweep', 'first')).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    expect(table.items.get('run#sweep')).toMatchObject({ lease: 'first' });
  });

  it("removes a bucket's record, and no other", async () => {
    for (const bucket of ['app', 'other'])
      await store.recordChange(bucket, null, ours, 'sweep', 't', sweepFence);
    await store.claimRun('app', 'me', 1, 0);

    await store.deleteRecord('app');

    expect(table.record('app')).toBeUndefined();
    expect([...table.items.keys()].sort()).toEqual(['bucket#other', 'run#app']);
  });

  it('reads records, runs and the settings strongly consistently: a read after a lost race sees the winner', async () => {
    await store.recordChange('app', null, ours, 'sweep', 't', sweepFence);
    await store.getRecord('app');
    await store.claimRun('sweep', 'me', 1, 0);
    await store.runBusy('sweep', 0);
    await store.getSettings();

    const reads = table.mock.commandCalls(GetCommand).map((c) => c.args[0].input);
    expect(new Set(reads.map((read) => read.Key?.pk))).toEqual(
      new Set(['bucket#app', 'run#sweep', 'settings']),
    );
    for (const read of reads) expect(read.ConsistentRead).toBe(true);
  });

  it('knows the resource is deleted only once the delete marked it', async () => {
    expect(await isDeleted(store)).toBe(false);
    await store.startDeploy('create#1', 'f1', 't0');
    expect(await isDeleted(store)).toBe(false);
    await store.markDeleted('delete#2', 't1');
    expect(await isDeleted(store)).toBe(true);
  });

  it('lists recorded buckets page by page, skipping runs and markers', async () => {
    for (const bucket of ['a', 'b', 'c'])
      await store.recordChange(bucket, null, ours, 'create', 't', sweepFence);
    await store.claimRun('sweep', 'me', 1, 0);
    await store.markDeleted('delete#1', 't');

    const first = await store.recordedBuckets(undefined);
    expect(first).toEqual({ names: ['a', 'b', 'c'], next: undefined });
  });

  it('lists every recorded bucket once when the table takes more than one Scan page', async () => {
    const buckets = Array.from({ length: 1_001 }, (_, i) => `app-${String(i).padStart(4, '0')}`);
    // The Scan reads only the keys; a page examines at most 1,000 items, runs and the settings included.
    for (const key of [...buckets.map((b) => `bucket#${b}`), 'run#sweep', 'settings'])
      table.items.set(key, { pk: key });

    const names: string[] = [];
    let pages = 0;
    let token: string | undefined;
    do {
      const page = await store.recordedBuckets(token);
      names.push(...page.names);
      token = page.next;
      pages++;
    } while (token !== undefined && pages < 10);

    expect(pages).toBeGreaterThan(1);
    expect(names).toEqual(buckets);
  });
});

describe('the state table across releases', () => {
  it('migrates a record of schema 1: both log buckets it remembered are ours', async () => {
    table.items.set('bucket#app', {
      pk: 'bucket#app',
      record: {
        bucket: 'app',
        previous: before,
        applied: newer,
        earlier: ours,
        version: 3,
        recordedAt: 't',
        updatedAt: 't',
        source: 'create',
      },
    });
    expect(await store.getRecord('app')).toMatchObject({
      previous: before,
      applied: newer,
      targets: ['our-logs', 'our-new-logs'],
      version: 3,
    });
  });

  it('resumes a run saved by schema 1 (no schema attribute)', async () => {
    const progress = newProgress('run-1', 'sweep', 't');
    table.items.set('run#sweep', { pk: 'run#sweep', lease: 'old', leaseUntil: 0, progress });
    expect(await store.claimRun('sweep', 'me', 1_000, 10)).toEqual({ progress });
    expect(table.items.get('run#sweep')).toMatchObject({ schema: 2, lease: 'me' });
  });

  it.each([
    ['a record', 'bucket#app', () => store.getRecord('app')],
    ['a run', 'run#sweep', () => store.claimRun('sweep', 'me', 1, 0)],
    ['the settings', 'settings', () => store.getSettings()],
  ])('refuses %s written by a newer release, naming the table and the version', async (_case, pk, read) => {
    table.items.set(pk, { pk, schema: 9, record: {}, lease: 'x', leaseUntil: 0, generation: 'g' });
    await expect(read()).rejects.toThrow(/state table state: .* schema version 9, and this release reads/);
  });

  it('refuses a record that is not one, rather than read it as one', async () => {
    table.items.set('bucket#app', { pk: 'bucket#app', schema: 2, record: { applied: 'logs' } });
    await expect(store.getRecord('app')).rejects.toThrow(
      'state table state: item bucket#app has no valid record.applied',
    );
  });
});

describe('the fake table refuses what DynamoDB refuses', () => {
  it.each([
    [
      'a #name used but not defined',
      { ConditionExpression: '#lease = :me', ExpressionAttributeValues: { ':me': 'x' } },
      /attribute name used .* not defined/,
    ],
    [
      'a :value used but not defined',
      { ConditionExpression: '#lease = :me', ExpressionAttributeNames: { '#lease': 'lease' } },
      /attribute value used .* not defined/,
    ],
    [
      'a #name defined but not used',
      {
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': 'pk', '#lease': 'lease' },
      },
      /ExpressionAttributeNames unused/,
    ],
    [
      'a :value defined but not used',
      {
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':v': 1 },
      },
      /ExpressionAttributeValues unused/,
    ],
    [
      'a reserved word used bare',
      {
        ConditionExpression: 'attribute_not_exists(#pk) OR version = :v',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':v': 1 },
      },
      /reserved keyword: version/,
    ],
  ])('%s', async (_case, expression, message) => {
    await expect(
      db().send(new PutCommand({ TableName: 'state', Item: { pk: 'a' }, ...expression })),
    ).rejects.toThrow(message);
    expect(table.items.has('a')).toBe(false);
  });

  it('an item over 400 KB', async () => {
    const big = 'x'.repeat(MAX_ITEM_BYTES);
    await expect(db().send(new PutCommand({ TableName: 'state', Item: { pk: 'a', big } }))).rejects.toThrow(
      'Item size has exceeded the maximum allowed size',
    );
  });

  const transaction = (pk: string) =>
    new TransactWriteCommand({
      TransactItems: [
        {
          ConditionCheck: {
            TableName: 'state',
            Key: { pk: 'settings' },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': 'pk' },
          },
        },
        { Put: { TableName: 'state', Item: { pk } } },
      ],
    });

  it('a transaction that includes an item another transaction is working on (TransactionConflict)', async () => {
    const [first, second] = await Promise.allSettled([
      db().send(transaction('bucket#a')),
      db().send(transaction('bucket#b')),
    ]);

    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({
      status: 'rejected',
      reason: {
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
      },
    });
    expect(table.items.has('bucket#b')).toBe(false);
    // One after the other, both go through.
    await db().send(transaction('bucket#b'));
    expect(table.items.has('bucket#b')).toBe(true);
  });

  it('a PutItem of an item a transaction is working on', async () => {
    const [, put] = await Promise.allSettled([
      db().send(transaction('bucket#a')),
      db().send(new PutCommand({ TableName: 'state', Item: { pk: 'bucket#a' } })),
    ]);

    expect(put).toMatchObject({ status: 'rejected', reason: { name: 'TransactionConflictException' } });
  });

  // What DynamoDB refuses before it looks at an item, the fake refuses too.
  it.each([
    [
      'an empty condition',
      new DeleteCommand({ TableName: 'state', Key: { pk: 'a' }, ConditionExpression: '' }),
    ],
    [
      'an empty ExpressionAttributeValues',
      new PutCommand({
        TableName: 'state',
        Item: { pk: 'a' },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: {},
      }),
    ],
    [
      'a #name for an empty attribute name',
      new PutCommand({
        TableName: 'state',
        Item: { pk: 'a' },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': '' },
      }),
    ],
    ['a start key without the table key', new ScanCommand({ TableName: 'state', ExclusiveStartKey: {} })],
    ['a key without the table key', new GetCommand({ TableName: 'state', Key: { id: 'a' } })],
  ])('%s', async (_case, command) => {
    await expect(db().send(command as PutCommand)).rejects.toMatchObject({ name: 'ValidationException' });
    expect(table.items.size).toBe(0);
  });

  it('a Scan with a projection name it does not define', async () => {
    await expect(
      db().send(new ScanCommand({ TableName: 'state', ProjectionExpression: '#pk' })),
    ).rejects.toThrow(/not defined/);
  });
});
