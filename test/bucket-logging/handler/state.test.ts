import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LoggingEnabled } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { newProgress } from '../../../lib/bucket-logging/handler/progress';
import { DynamoStateStore } from '../../../lib/bucket-logging/handler/state';
import { FakeTable } from './fakes';

const before: LoggingEnabled = { TargetBucket: 'security-logs', TargetPrefix: 'app/' };
const ours: LoggingEnabled = { TargetBucket: 'our-logs', TargetPrefix: 'app/' };
const newer: LoggingEnabled = { TargetBucket: 'our-new-logs', TargetPrefix: 'app/' };

let table: FakeTable;
let store: DynamoStateStore;

beforeEach(() => {
  table = new FakeTable();
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
  );
  store = new DynamoStateStore(client, 'state');
});
afterEach(() => table.mock.restore());

describe('DynamoStateStore', () => {
  it('writes the first record of a bucket only if there is none', async () => {
    await store.recordChange('app', before, ours, 'sweep', 't1');

    const put = table.mock.commandCalls(PutCommand)[0].args[0].input;
    expect(put).toMatchObject({
      TableName: 'state',
      Item: { pk: 'bucket#app', record: { previous: before, applied: ours, version: 1, source: 'sweep' } },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'pk' },
    });
  });

  it('keeps the first record: a later path only updates what was applied, under a version check', async () => {
    await store.recordChange('app', before, ours, 'bucket-created', 't1');
    // The sweep read the bucket after the event had changed it: its "previous" is our own configuration.
    await store.recordChange('app', ours, newer, 'sweep', 't2');

    expect(await store.getRecord('app')).toMatchObject({
      previous: before,
      applied: newer,
      version: 2,
      source: 'bucket-created',
      recordedAt: 't1',
      updatedAt: 't2',
    });
    const second = table.mock.commandCalls(PutCommand)[2].args[0].input;
    expect(second).toMatchObject({
      ConditionExpression: '#record.#version = :v',
      ExpressionAttributeValues: { ':v': 1 },
    });
  });

  it('gives up with StateConflict when the record keeps changing under it', async () => {
    await store.recordChange('app', before, ours, 'sweep', 't1');
    // Every versioned write loses the race.
    table.mock
      .on(PutCommand, { ConditionExpression: '#record.#version = :v' })
      .rejects(Object.assign(new Error('conditional'), { name: 'ConditionalCheckFailedException' }));

    await expect(store.recordChange('app', ours, newer, 'sweep', 't2')).rejects.toMatchObject({
      name: 'StateConflict',
    });
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
    });
    await store.finishRun('sweep', 'second');
    expect(table.items.has('run#sweep')).toBe(false);
  });

  it('lists recorded buckets page by page, skipping runs and markers', async () => {
    for (const bucket of ['a', 'b', 'c']) await store.recordChange(bucket, null, ours, 'create', 't');
    await store.setDeleted(true, 't');
    await store.claimRun('sweep', 'me', 1, 0);

    const first = await store.recordedBuckets(undefined);
    expect(first).toEqual({ names: ['a', 'b', 'c'], next: undefined });
    expect(await store.isDeleted()).toBe(true);
    await store.setDeleted(false, 't');
    expect(await store.isDeleted()).toBe(false);
  });
});
