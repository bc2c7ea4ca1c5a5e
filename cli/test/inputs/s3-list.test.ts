import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { folderMayHold, listLogObjects } from '../../src/inputs/s3-list';
import { timeWindow } from '../../src/inputs/time-window';

const s3 = mockClient(S3Client);
const ROOT = 'logs/111122223333/us-east-1/src/';

interface ListInput {
  Bucket?: string;
  Prefix?: string;
  Delimiter?: string;
  ContinuationToken?: string;
  MaxKeys?: number;
}

/** An error as the SDK raises it for an S3 error response. */
function s3Failure(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

/**
 * A fake bucket that answers ListObjectsV2 as S3 does: keys and common prefixes merged in key order and cut
 * into pages of `pageSize` entries (a common prefix counts as one), `NextContinuationToken` only on a truncated
 * page, and a token that is opaque and valid only for the listing it came from (S3 answers InvalidArgument to
 * any other). Each request's input is recorded as it was when sent.
 */
function serve(keys: string[], pageSize = 2, bucket = 'b') {
  const requests: ListInput[] = [];
  const issued = new Map<string, { prefix: string; delimiter: string; offset: number }>();
  s3.on(ListObjectsV2Command).callsFake((input: ListInput) => {
    requests.push({ ...input });
    if (input.Bucket !== bucket) throw s3Failure('NoSuchBucket', 'The specified bucket does not exist');
    const prefix = input.Prefix ?? '';
    const delimiter = input.Delimiter ?? '';
    let offset = 0;
    if (input.ContinuationToken !== undefined) {
      const token = issued.get(input.ContinuationToken);
      if (token === undefined || token.prefix !== prefix || token.delimiter !== delimiter)
        throw s3Failure('InvalidArgument', 'The continuation token provided is incorrect');
      offset = token.offset;
    }
    const entries = new Map<string, 'object' | 'folder'>();
    for (const key of keys.filter((k) => k.startsWith(prefix))) {
      const rest = key.slice(prefix.length);
      const cut = delimiter ? rest.indexOf(delimiter) : -1;
      if (cut >= 0) entries.set(prefix + rest.slice(0, cut + delimiter.length), 'folder');
      else entries.set(key, 'object');
    }
    const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const page = sorted.slice(offset, offset + pageSize);
    const truncated = offset + pageSize < sorted.length;
    let next: string | undefined;
    if (truncated) {
      next = `token-${issued.size}`;
      issued.set(next, { prefix, delimiter, offset: offset + pageSize });
    }
    return {
      Contents: page.filter(([, kind]) => kind === 'object').map(([Key]) => ({ Key, Size: 10 })),
      CommonPrefixes: page.filter(([, kind]) => kind === 'folder').map(([Prefix]) => ({ Prefix })),
      KeyCount: page.length,
      IsTruncated: truncated,
      NextContinuationToken: next,
    };
  });
  return requests;
}

beforeEach(() => s3.reset());

describe('listLogObjects', () => {
  const keys = [
    `${ROOT}2024/04/30/2024-04-30-23-00-00-A`,
    `${ROOT}2024/05/01/2024-05-01-01-00-00-B`,
    `${ROOT}2024/05/01/2024-05-01-02-00-00-C`,
    `${ROOT}2024/05/02/2024-05-02-01-00-00-D`,
    `${ROOT}2024/05/03/2024-05-03-01-00-00-E`,
    `${ROOT}2023/12/31/2023-12-31-01-00-00-F`,
    '_s3-access-logs/reports/run.json',
    'simple/2024-05-01-10-00-00-G',
    'simple/2024-06-01-10-00-00-H',
  ];

  it('lists every object under the prefix, page by page, without the reserved prefix', async () => {
    serve(keys);
    const found = await listLogObjects(new S3Client({}), { bucket: 'b', prefix: '' }, timeWindow());
    expect(found.map((s) => s.key)).toEqual(keys.filter((k) => !k.startsWith('_')).sort());
    expect(found[0]).toEqual({
      kind: 's3',
      name: `s3://b/${found[0].key}`,
      bucket: 'b',
      key: found[0].key,
      size: 10,
    });
  });

  it('follows every page of a long listing, each with the token of the page before', async () => {
    const many = Array.from(
      { length: 25 },
      (_, i) => `simple/2024-05-01-10-00-${String(i).padStart(2, '0')}-K`,
    );
    const requests = serve(many, 4);
    const found = await listLogObjects(new S3Client({}), { bucket: 'b', prefix: 'simple/' }, timeWindow());
    expect(found.map((s) => s.key)).toEqual(many);
    expect(requests.map((r) => r.ContinuationToken)).toEqual([
      undefined,
      ...Array.from({ length: 6 }, (_, i) => `token-${i}`),
    ]);
    expect(requests.every((r) => r.Bucket === 'b' && r.Prefix === 'simple/')).toBe(true);
  });

  it('walks folders whose listing spans pages (folders on later pages too)', async () => {
    const spread = [1, 2, 3, 4, 5].map((d) => `${ROOT}2024/05/0${d}/2024-05-0${d}-01-00-00-X`);
    serve(spread, 1);
    const found = await listLogObjects(
      new S3Client({}),
      { bucket: 'b', prefix: '' },
      timeWindow('2024-05-04', '2024-05-05'),
    );
    expect(found.map((s) => s.key)).toEqual(spread.slice(3));
  });

  it("passes S3's error on (a bucket that does not exist)", async () => {
    serve(keys);
    await expect(
      listLogObjects(new S3Client({}), { bucket: 'missing', prefix: '' }, timeWindow()),
    ).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('walks only the date folders that may hold the window, plus one day for late delivery', async () => {
    const requests = serve(keys);
    const found = await listLogObjects(
      new S3Client({}),
      { bucket: 'b', prefix: '' },
      timeWindow('2024-05-01', '2024-05-01'),
    );
    expect(found.map((s) => s.key)).toEqual([
      `${ROOT}2024/05/01/2024-05-01-01-00-00-B`,
      `${ROOT}2024/05/01/2024-05-01-02-00-00-C`,
      `${ROOT}2024/05/02/2024-05-02-01-00-00-D`,
      'simple/2024-05-01-10-00-00-G',
    ]);
    const listed = requests.map((r) => r.Prefix);
    expect(listed).not.toContain(`${ROOT}2023/`);
    expect(listed).not.toContain(`${ROOT}2024/04/30/`);
    expect(listed).not.toContain('_s3-access-logs/');
  });
});

describe('folderMayHold', () => {
  const may = timeWindow('2024-05-01', '2024-05-31');
  it.each([
    [`${ROOT}2024/`, true],
    [`${ROOT}2023/`, false],
    [`${ROOT}2024/06/`, true],
    [`${ROOT}2024/07/`, false],
    [`${ROOT}2024/04/`, false],
    [`${ROOT}2024/06/01/`, true],
    [`${ROOT}2024/06/02/`, false],
    // A source bucket named like a year is a bucket folder, not a date.
    ['logs/111122223333/us-east-1/2023/', true],
    ['2023/', true],
  ])('%s → %s', (folder, expected) => {
    expect(folderMayHold(folder, may)).toBe(expected);
  });
});
