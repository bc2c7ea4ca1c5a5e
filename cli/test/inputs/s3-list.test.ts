import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { folderMayHold, listLogObjects } from '../../src/inputs/s3-list';
import { timeWindow } from '../../src/inputs/time-window';

const s3 = mockClient(S3Client);
const ROOT = 'logs/111122223333/us-east-1/src/';

/** A fake bucket: answers ListObjectsV2 from a key list, with or without a delimiter, one key per page. */
function serve(keys: string[]) {
  s3.on(ListObjectsV2Command).callsFake(
    (input: { Prefix?: string; Delimiter?: string; ContinuationToken?: string }) => {
      const prefix = input.Prefix ?? '';
      const under = keys.filter((k) => k.startsWith(prefix));
      const objects: string[] = [];
      const folders = new Set<string>();
      for (const key of under) {
        const rest = key.slice(prefix.length);
        const slash = input.Delimiter ? rest.indexOf(input.Delimiter) : -1;
        if (slash >= 0) folders.add(prefix + rest.slice(0, slash + 1));
        else objects.push(key);
      }
      const start = Number(input.ContinuationToken ?? 0);
      const page = objects.slice(start, start + 1);
      const more = start + 1 < objects.length;
      return {
        Contents: page.map((Key) => ({ Key, Size: 10 })),
        CommonPrefixes: start === 0 ? [...folders].map((Prefix) => ({ Prefix })) : [],
        IsTruncated: more,
        NextContinuationToken: more ? String(start + 1) : undefined,
      };
    },
  );
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

  it('walks only the date folders that may hold the window, plus one day for late delivery', async () => {
    serve(keys);
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
    const listed = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Prefix);
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
