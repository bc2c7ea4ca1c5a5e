import { GetTableCommand, GlueClient, UpdateTableCommand } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import {
  GLUE_PARAMETER_MAX_LENGTH,
  nextBucketValues,
  parameterValue,
  tableInputOf,
  updateTableBuckets,
} from '../../../lib/bucket-logging/handler/glue';

const observed = (entries: Array<[string, boolean | undefined]>) => new Map(entries);

describe('nextBucketValues', () => {
  it.each<[string, string | undefined, Array<[string, boolean | undefined]>, boolean, string[]]>([
    [
      'replaces the placeholder',
      '_no_buckets_yet',
      [
        ['b', true],
        ['a', true],
      ],
      true,
      ['a', 'b'],
    ],
    ['replaces the placeholder after a partial run too', '_no_buckets_yet', [['a', true]], false, ['a']],
    ['drops what a complete run did not see (deleted buckets)', 'gone,a', [['a', true]], true, ['a']],
    ['keeps what a partial run did not see', 'other,a', [['b', true]], false, ['a', 'b', 'other']],
    [
      'drops a bucket seen not logging into the target',
      'a,b',
      [
        ['a', false],
        ['b', true],
      ],
      false,
      ['b'],
    ],
    ['keeps a bucket whose state is unknown (a failure)', 'a', [['a', undefined]], true, ['a']],
    ['never adds a bucket whose state is unknown', '', [['a', undefined]], true, []],
    ['reads a missing parameter as empty', undefined, [['a', true]], false, ['a']],
    ['reads a list written with spaces after its commas', 'a, b', [['c', true]], false, ['a', 'b', 'c']],
  ])('%s', (_case, current, seen, complete, expected) => {
    expect(nextBucketValues(current, observed(seen), complete)).toEqual(expected);
  });

  it('writes the placeholder for an empty list', () => {
    expect(parameterValue([])).toBe('_no_buckets_yet');
    expect(parameterValue(['a', 'b'])).toBe('a,b');
  });
});

describe('tableInputOf', () => {
  it('copies every writable field and leaves read-only ones out', () => {
    const input = tableInputOf({
      Name: 't',
      DatabaseName: 'db',
      Description: 'd',
      Owner: 'o',
      Retention: 0,
      StorageDescriptor: { Location: 's3://b/' },
      PartitionKeys: [{ Name: 'bucket' }],
      TableType: 'EXTERNAL_TABLE',
      Parameters: { a: '1' },
      CreateTime: new Date(0),
      UpdateTime: new Date(0),
      CreatedBy: 'someone',
      IsRegisteredWithLakeFormation: false,
      CatalogId: '111122223333',
      VersionId: '3',
    });
    expect(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined))).toEqual({
      Name: 't',
      Description: 'd',
      Owner: 'o',
      Retention: 0,
      StorageDescriptor: { Location: 's3://b/' },
      PartitionKeys: [{ Name: 'bucket' }],
      TableType: 'EXTERNAL_TABLE',
      Parameters: { a: '1' },
    });
  });
});

describe('updateTableBuckets', () => {
  const glue = mockClient(GlueClient);
  const client = new GlueClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const ref = { databaseName: 'db', tableName: 't' };
  const table = (values: string, VersionId: string) => ({
    Table: { Name: 't', Parameters: { 'projection.bucket.values': values }, VersionId },
  });
  beforeEach(() => glue.reset());

  it('reads again and retries when another writer updated the table in between', async () => {
    glue.on(GetTableCommand).resolvesOnce(table('a', '1')).resolvesOnce(table('a,z', '2'));
    glue
      .on(UpdateTableCommand)
      .rejectsOnce(Object.assign(new Error('version'), { name: 'ConcurrentModificationException' }))
      .resolves({});

    const result = await updateTableBuckets(client, ref, observed([['b', true]]), false);

    expect(result).toEqual({ status: 'updated', buckets: 3 });
    const last = glue.commandCalls(UpdateTableCommand)[1].args[0].input;
    expect(last).toMatchObject({
      VersionId: '2',
      TableInput: { Parameters: { 'projection.bucket.values': 'a,b,z' } },
    });
  });

  it("refuses a list longer than Glue's parameter limit rather than fail mid-write", async () => {
    glue.on(GetTableCommand).resolves(table('_no_buckets_yet', '1'));
    const many = Array.from({ length: 9_000 }, (_, i): [string, boolean] => [
      `bucket-name-${'x'.repeat(40)}-${i}`,
      true,
    ]);

    const result = await updateTableBuckets(client, ref, observed(many), true);

    expect(result).toMatchObject({ status: 'failed', code: 'ParameterTooLong' });
    expect(glue.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });
});

describe('updateTableBuckets when Glue answers otherwise', () => {
  const glue = mockClient(GlueClient);
  const client = new GlueClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const ref = { databaseName: 'db', tableName: 't' };
  const concurrent = () => Object.assign(new Error('version'), { name: 'ConcurrentModificationException' });
  beforeEach(() => {
    glue.reset();
    glue.on(GetTableCommand).resolves({
      Table: { Name: 't', Parameters: { 'projection.bucket.values': 'a' }, VersionId: '1' },
    });
  });

  it('reports a GetTable answer without a table as the table not found, and writes nothing', async () => {
    glue.on(GetTableCommand).resolves({});

    const result = await updateTableBuckets(client, ref, observed([['b', true]]), false);

    expect(result).toEqual({
      status: 'failed',
      code: 'EntityNotFoundException',
      message: 'GetTable returned no table',
    });
    expect(glue.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });

  it('reads the table it was given, and writes nothing when the list is already right', async () => {
    const result = await updateTableBuckets(client, ref, observed([['a', true]]), true);

    expect(result).toEqual({ status: 'unchanged', buckets: 1 });
    expect(glue.commandCalls(GetTableCommand)[0].args[0].input).toEqual({ DatabaseName: 'db', Name: 't' });
    expect(glue.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });

  it('writes the list into a table without parameters', async () => {
    glue.on(GetTableCommand).resolves({ Table: { Name: 't', VersionId: '1' } });
    glue.on(UpdateTableCommand).resolves({});

    const result = await updateTableBuckets(client, ref, observed([['b', true]]), false);

    expect(result).toEqual({ status: 'updated', buckets: 1 });
    expect(glue.commandCalls(UpdateTableCommand)[0].args[0].input.TableInput?.Parameters).toEqual({
      'projection.bucket.values': 'b',
    });
  });

  it('gives up after three writes that lost to another writer, with the code', async () => {
    glue.on(UpdateTableCommand).rejects(concurrent());

    const result = await updateTableBuckets(client, ref, observed([['b', true]]), false);

    expect(result).toEqual({ status: 'failed', code: 'ConcurrentModificationException', message: 'version' });
    expect(glue.commandCalls(GetTableCommand)).toHaveLength(3);
    expect(glue.commandCalls(UpdateTableCommand)).toHaveLength(3);
  });

  it('does not retry any other failure of the write', async () => {
    glue
      .on(UpdateTableCommand)
      .rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
      .resolves({});

    const result = await updateTableBuckets(client, ref, observed([['b', true]]), false);

    expect(result).toEqual({ status: 'failed', code: 'AccessDeniedException', message: 'denied' });
    expect(glue.commandCalls(UpdateTableCommand)).toHaveLength(1);
  });

  /** Distinct bucket names (3 to 63 characters, as S3 allows) whose list is exactly `length` characters. */
  function namesOfLength(length: number): Array<[string, boolean]> {
    const names: string[] = [];
    // Characters still to add, the comma before the next name included (the first name has none).
    let left = length + 1;
    while (left > 64) {
      names.push(`b${String(names.length).padStart(62, '0')}`);
      left -= 64;
    }
    if (left < 4) {
      // Too few for a last name of 3: the one before gives some of its characters.
      names[names.length - 1] = names[names.length - 1].slice(4 - left);
      left = 4;
    }
    names.push(`z${'0'.repeat(left - 2)}`);
    return names.map((n) => [n, true]);
  }

  it("writes a list of exactly Glue's limit, and refuses one character more", async () => {
    glue.on(UpdateTableCommand).resolves({});
    const atLimit = namesOfLength(GLUE_PARAMETER_MAX_LENGTH);
    expect(parameterValue(atLimit.map(([n]) => n)).length).toBe(GLUE_PARAMETER_MAX_LENGTH);

    await expect(updateTableBuckets(client, ref, observed(atLimit), true)).resolves.toMatchObject({
      status: 'updated',
    });
    const over = namesOfLength(GLUE_PARAMETER_MAX_LENGTH + 1);
    await expect(updateTableBuckets(client, ref, observed(over), true)).resolves.toEqual({
      status: 'failed',
      code: 'ParameterTooLong',
      message: `${over.length} bucket names make ${GLUE_PARAMETER_MAX_LENGTH + 1} characters, over Glue's ${GLUE_PARAMETER_MAX_LENGTH}`,
    });
    expect(glue.commandCalls(UpdateTableCommand)).toHaveLength(1);
  });
});
