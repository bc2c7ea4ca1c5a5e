import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, S3Store } from '../../../lib/log-compaction/handler';
import { CONFIG_ENV } from '../../../lib/log-compaction/types';

const s3 = mockClient(S3Client);
const store = () => new S3Store(new S3Client({ region: 'us-east-1' }), 'logs');

beforeEach(() => s3.reset());

describe('S3Store', () => {
  it('lists every page of common prefixes with the delimiter', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ CommonPrefixes: [{ Prefix: 'a/' }], IsTruncated: true, NextContinuationToken: 't' })
      .resolvesOnce({ CommonPrefixes: [{ Prefix: 'b/' }], IsTruncated: false });
    expect(await store().listCommonPrefixes('')).toEqual(['a/', 'b/']);
    const calls = s3.commandCalls(ListObjectsV2Command);
    expect(calls).toHaveLength(2);
    expect(calls[0].args[0].input).toMatchObject({ Bucket: 'logs', Prefix: '', Delimiter: '/' });
    expect(calls[1].args[0].input).toMatchObject({ ContinuationToken: 't' });
  });

  it('deletes in batches of 1,000 keys, and fails naming a key and the error code', async () => {
    s3.on(DeleteObjectsCommand).resolves({});
    const keys = Array.from({ length: 2500 }, (_, i) => `_s3-access-logs/daily/k${i}`);
    await store().delete(keys);
    expect(s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete?.Objects?.length)).toEqual(
      [1000, 1000, 500],
    );
    await store().delete([]);
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(3);

    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'k1', Code: 'AccessDenied', Message: 'no' }] });
    await expect(store().delete(['k1'])).rejects.toThrow(
      'DeleteObjects on logs failed for 1 keys, e.g. k1: AccessDenied',
    );
  });

  it('copies within the log bucket with the source key URL-encoded', async () => {
    s3.on(CopyObjectCommand).resolves({});
    await store().copy(
      '_s3-access-logs/compaction-runs/r/2026/11/29/chunk-00000/a b',
      '_s3-access-logs/daily/x',
    );
    expect(s3.commandCalls(CopyObjectCommand)[0].args[0].input).toEqual({
      Bucket: 'logs',
      Key: '_s3-access-logs/daily/x',
      CopySource: 'logs/_s3-access-logs%2Fcompaction-runs%2Fr%2F2026%2F11%2F29%2Fchunk-00000%2Fa%20b',
    });
  });
});

describe('handler', () => {
  it('plans a run from the listing and writes its queries to the run prefix', async () => {
    process.env[CONFIG_ENV] = JSON.stringify({
      logBucketName: 'logs',
      listPrefix: '',
      nameSuffix: '',
      source: '"d"."s"',
      chunkSize: 1000,
      lateDays: 0,
    });
    s3.on(ListObjectsV2Command).resolves({
      CommonPrefixes: [{ Prefix: 'photos/' }, { Prefix: '_s3-access-logs/' }],
    });
    s3.on(PutObjectCommand).resolves({});
    const result = await handler({
      action: 'plan',
      input: {},
      executionName: 'exec-1',
      startTime: '2026-11-30T06:00:00Z',
    });
    expect(result).toMatchObject({
      run: 'exec-1',
      days: ['2026/11/29'],
      day: '2026/11/29',
      buckets: 1,
      queries: 1,
    });
    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(put.Key).toBe('_s3-access-logs/compaction-runs/exec-1/plan.json');
    expect(JSON.parse(String(put.Body))[0].query).toContain("bucket IN ('photos')");
  });

  it('fails a run with a bad day before touching S3', async () => {
    await expect(
      handler({
        action: 'plan',
        input: { day: 'yesterday' },
        executionName: 'e',
        startTime: '2026-11-30T06:00:00Z',
      }),
    ).rejects.toThrow(/"day" must be a day as yyyy-MM-dd/);
    expect(s3.calls()).toHaveLength(0);
  });
});
