import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { COLUMN_NAMES } from 's3-access-logs/log-format';
import { PEER_DIR } from '../../test/log-format/peer-lines';
import { runMain } from './run-main';

const BEATS = path.relative(process.cwd(), path.join(PEER_DIR, 'elastic-beats', 'test.log'));
const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';

/** The SigV2 report of the elastic-beats fixture, worked out by reading its six lines. */
const BEATS_REQUESTERS = [
  {
    requester: OWNER,
    requests: 4,
    userAgents: [{ value: 'S3Console/0.4', requests: 4 }],
    remoteIps: [{ value: '192.0.2.3', requests: 4 }],
    buckets: [{ value: 'awsexamplebucket', requests: 4 }],
    operations: [
      { value: 'REST.GET.VERSIONING', requests: 2 },
      { value: 'REST.GET.BUCKETPOLICY', requests: 1 },
      { value: 'REST.GET.LOGGING_STATUS', requests: 1 },
    ],
    firstSeen: '2019-02-06T00:00:38Z',
    lastSeen: '2019-02-06T00:01:00Z',
  },
];

describe('sigv2', () => {
  it('prints the report alone as one JSON document, with records a count', async () => {
    const run = await runMain(['sigv2', BEATS, '--format', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toEqual({ records: 6, unparsed: 0, sigv2Requests: 4, requesters: BEATS_REQUESTERS });
  });

  it('prints an empty report as valid JSON', async () => {
    const run = await runMain(['sigv2', BEATS, '--format', 'json', '--since', '2030-01-01']);
    expect(JSON.parse(run.stdout)).toEqual({ records: 0, unparsed: 0, sigv2Requests: 0, requesters: [] });
  });

  it('prints one requester per line with --format jsonl', async () => {
    const run = await runMain(['sigv2', BEATS, '--format', 'jsonl']);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(BEATS_REQUESTERS);
  });

  it('prints a table with each requester and its values whole', async () => {
    const run = await runMain(['sigv2', BEATS]);
    expect(run.stdout).toContain(`1. ${OWNER}`);
    expect(run.stdout).toMatch(/operations +2 {2}REST\.GET\.VERSIONING\n +1 {2}REST\.GET\.BUCKETPOLICY/);
    expect(run.stdout).not.toContain('…');
  });

  it('prints one CSV row per requester', async () => {
    const run = await runMain(['sigv2', BEATS, '--format', 'csv']);
    expect(run.stdout).toBe(
      'requester,requests,firstSeen,lastSeen,userAgents,remoteIps,buckets,operations\n' +
        `${OWNER},4,2019-02-06T00:00:38Z,2019-02-06T00:01:00Z,S3Console/0.4 (4),192.0.2.3 (4),awsexamplebucket (4),` +
        'REST.GET.VERSIONING (2); REST.GET.BUCKETPOLICY (1); REST.GET.LOGGING_STATUS (1)\n',
    );
  });
});

describe('parse', () => {
  it('prints every record as one JSON array with --format json', async () => {
    const run = await runMain(['parse', BEATS, '--format', 'json']);
    expect(run.code).toBe(0);
    const records = JSON.parse(run.stdout);
    expect(records).toHaveLength(6);
    expect(Object.keys(records[0])).toEqual(COLUMN_NAMES);
    expect(records[4]).toMatchObject({ operation: 'REST.PUT.OBJECT', bytessent: null, objectsize: 4406583 });
    const jsonl = await runMain(['parse', BEATS, '--format', 'jsonl']);
    expect(
      jsonl.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(records);
  });

  it('prints an empty JSON array when no record is in the window', async () => {
    const run = await runMain(['parse', BEATS, '--format', 'json', '--since', '2030-01-01']);
    expect(JSON.parse(run.stdout)).toEqual([]);
  });

  it('prints a CSV header of the 27 columns, NULL as an empty cell and numbers bare', async () => {
    const run = await runMain(['parse', BEATS, '--format', 'csv']);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(COLUMN_NAMES.join(','));
    expect(lines[1]).toBe(
      `${OWNER},awsexamplebucket,06/Feb/2019:00:00:38 +0000,192.0.2.3,${OWNER},3E57427F3EXAMPLE,REST.GET.VERSIONING,,` +
        'GET /awsexamplebucket?versioning HTTP/1.1,200,,113,,7,,,S3Console/0.4,,' +
        's9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=,SigV2,' +
        'ECDHE-RSA-AES128-GCM-SHA256,AuthHeader,awsexamplebucket.s3.amazonaws.com,TLSV1.1,,,',
    );
    expect(lines).toHaveLength(8);
  });

  it('summarises unparsed lines on stderr with file and line, and still exits 0', async () => {
    const dandi = path.join(PEER_DIR, 'dandi-extraction', '2022-01-01-05-06-35-0123456789ABCDEF');
    const run = await runMain(['parse', dandi]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(6);
    expect(run.stderr).toContain('1 line is not an S3 server access log record and was skipped:');
    expect(run.stderr).toContain(`${dandi}: line 7\n`);
  });

  it('makes an unparsed line fatal with --strict', async () => {
    const dandi = path.join(PEER_DIR, 'dandi-extraction', '2022-01-01-05-06-35-0123456789ABCDEF');
    const run = await runMain(['parse', dandi, '--strict']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^s3-access-logs: ${dandi}:7: not an S3 server access log record \\(--strict\\)`),
    );
  });
});

describe('exit codes', () => {
  it.each([
    [['frobnicate', BEATS]],
    [['sigv2', BEATS, '--nope']],
    [['sigv2', BEATS, '--format', 'xml']],
    [['sigv2', BEATS, '--since', 'last tuesday']],
    [['sigv2', BEATS, '--threads', '0']],
    [['parse']],
    [['query']],
    [['query', 'no-such-query', BEATS]],
    [['query', 'sigv2-per-day', BEATS, '--param', '2019/01/01']],
    [['query', 'sigv2-per-day', '--param', '2019/01/01', '--param', '2019/12/31']],
    [[]],
  ])('treats %j as a usage error (exit 2)', async (args) => {
    const run = await runMain(args);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toBe('');
  });

  it('names a missing input and exits 1', async () => {
    const run = await runMain(['sigv2', 'no/such/file.log']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('s3-access-logs: no/such/file.log: no such file or folder\n');
  });

  it('prints the package version with --version and exits 0', async () => {
    const run = await runMain(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${require('../package.json').version}\n`);
  });

  it('shows examples in --help and exits 0', async () => {
    const run = await runMain(['sigv2', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('--format <format>');
  });
});

describe('s3:// inputs', () => {
  const s3 = mockClient(S3Client);
  const beats = fs.readFileSync(BEATS);
  beforeEach(() => {
    s3.reset();
    s3.on(ListObjectsV2Command, { Bucket: 'logs' }).resolves({
      Contents: [
        { Key: 'src/2019-02-06-00-00-00-A', Size: beats.length },
        { Key: 'src/2019-02-06-01-00-00-B.gz', Size: 100 },
      ],
    });
    s3.on(GetObjectCommand, { Key: 'src/2019-02-06-00-00-00-A' }).callsFake(() => ({
      Body: Readable.from([beats]),
    }));
    s3.on(GetObjectCommand, { Key: 'src/2019-02-06-01-00-00-B.gz' }).callsFake(() => ({
      Body: Readable.from([zlib.gzipSync(beats)]),
    }));
  });

  it('lists the prefix and reads every object, gunzipping the compressed ones', async () => {
    const run = await runMain(['sigv2', 's3://logs/src/', '--format', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.records).toBe(12);
    expect(json.sigv2Requests).toBe(8);
    expect(s3.commandCalls(ListObjectsV2Command)[0].args[0].input).toMatchObject({
      Bucket: 'logs',
      Prefix: 'src/',
    });
  });

  it('reads each object once when prefixes overlap', async () => {
    const run = await runMain(['sigv2', 's3://logs/src/', 's3://logs/src/2019', '--format', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ records: 12, sigv2Requests: 8 });
  });

  it('names the object it could not read, reports the others, and exits 3', async () => {
    s3.on(GetObjectCommand, { Key: 'src/2019-02-06-01-00-00-B.gz' }).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }),
    );
    const run = await runMain(['sigv2', 's3://logs/src/', '--format', 'json']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('s3://logs/src/2019-02-06-01-00-00-B.gz: access denied (AccessDenied)');
    expect(JSON.parse(run.stdout)).toMatchObject({ records: 6, sigv2Requests: 4 });
  });

  it('with --strict, exits 1 with no report when an object cannot be read', async () => {
    s3.on(GetObjectCommand, { Key: 'src/2019-02-06-01-00-00-B.gz' }).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }),
    );
    const run = await runMain(['sigv2', 's3://logs/src/', '--strict']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('s3://logs/src/2019-02-06-01-00-00-B.gz: access denied (AccessDenied)');
  });

  it('says when there are no credentials, naming the prefix', async () => {
    s3.on(ListObjectsV2Command).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );
    const run = await runMain(['parse', 's3://logs/src/']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^s3-access-logs: cannot list s3:\/\/logs\/src\/: no AWS credentials found/);
  });
});

describe("commander's own usage errors", () => {
  it.each([
    [
      ['sigv2', BEATS, '--format', 'nope'],
      "option '--format <format>' argument 'nope' is invalid. Allowed choices are table, json, jsonl, csv.",
    ],
    [['sigv2', BEATS, '--bogus'], "unknown option '--bogus'"],
    [['nope'], "unknown command 'nope'"],
    [['report', BEATS], "required option '-o, --output <file>' not specified"],
  ])('%j: named like every other error, with the hint to --help, exit 2', async (args, message) => {
    const run = await runMain(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `s3-access-logs: ${message}\n(s3-access-logs --help shows the commands and examples)\n`,
    );
  });
});

describe('day forms in the help', () => {
  it('query --list says every form of a day is taken, not only yyyy/MM/dd', async () => {
    const run = await runMain(['query', '--list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Days may be given as 2024-05-01, 2024/05/01, today, yesterday or -7d');
  });

  it('digest --help gives the same forms for --day', async () => {
    const run = await runMain(['digest', '--help']);
    expect(run.stdout.replace(/\s+/g, ' ')).toContain(
      '--day <day> the UTC day to digest: 2026-11-29, 2026/11/29, today, yesterday or -1d',
    );
  });
});
