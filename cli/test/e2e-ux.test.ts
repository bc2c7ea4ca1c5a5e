import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { PEER_DIR } from '../../test/log-format/peer-lines';
import { cli } from './spawn-cli';

/*
 * The command as a user trips on it (issue 13), spawned for real from the checkout. Inputs are the
 * elastic-beats fixture's real lines; where a test needs more requesters, IPs or buckets than the fixtures
 * hold, it derives lines from those real ones by replacing one field, and says so.
 */

const BEATS = path.join(PEER_DIR, 'elastic-beats', 'test.log');
const BEATS_TEXT = fs.readFileSync(BEATS, 'utf8');
const BEATS_LINES = BEATS_TEXT.trimEnd().split('\n');

/** A real line with one space-separated field (0-based; fields before the time's two halves) replaced. */
function withField(line: string, index: number, value: string): string {
  const parts = line.split(' ');
  parts[index] = value;
  return parts.join(' ');
}
const REQUESTER_FIELD = 5;
const IP_FIELD = 4;
const BUCKET_FIELD = 1;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-ux-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const full = path.join(dir, name);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
  return full;
}

describe('1. validated parameters', () => {
  it('reads query days written yyyy-MM-dd like yyyy/MM/dd, so the answer is not a silent "no rows"', async () => {
    const [dashes, slashes] = await Promise.all([
      cli([
        'query',
        'sigv2-per-day',
        BEATS,
        '--param',
        '2019-02-01',
        '--param',
        '2019-02-28',
        '--format',
        'csv',
      ]),
      cli([
        'query',
        'sigv2-per-day',
        BEATS,
        '--param',
        '2019/02/01',
        '--param',
        "'2019/02/28'",
        '--format',
        'csv',
      ]),
    ]);
    expect(dashes.code).toBe(0);
    expect(dashes.stdout).toBe('day,requests,requesters,buckets\n2019/02/06,4,1,1\n');
    expect(slashes.stdout).toBe(dashes.stdout);
  });

  it.each([
    [
      ['--param', '2019-03-01', '--param', '2019-02-01'],
      /the last day \(2019\/02\/01\) is before the first day \(2019\/03\/01\)/,
    ],
    [
      ['--param', '2019-02-30', '--param', '2019-03-01'],
      /--param 2019-02-30 \(parameter 1, first_day\) is not a day: 2024-05-01, 2024\/05\/01, today/,
    ],
    [['--param', '2019-02-01', '--param', 'Feb 28'], /--param Feb 28 \(parameter 2, last_day\) is not a day/],
  ])('exits 2 for %j, naming the parameter and showing an example', async (params, message) => {
    const run = await cli(['query', 'sigv2-per-day', BEATS, ...params]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain(
      'e.g. s3-access-logs query sigv2-per-day logs/ --param 2024/01/15 --param 2024/01/16',
    );
    expect(run.stdout).toBe('');
  });

  it('exits 2 for a time that is not ISO 8601 with a zone, and for a window outside the days', async () => {
    const q = [
      'query',
      'bytes-by-ip-in-time-window',
      BEATS,
      '--param',
      '2019/02/06',
      '--param',
      '2019/02/06',
    ];
    const [noZone, outside] = await Promise.all([
      cli([...q, '--param', '192.0.2.3', '--param', '2019-02-06T00:00', '--param', '2019-02-06T01:00Z']),
      cli([...q, '--param', '192.0.2.3', '--param', '2019-02-07T00:00Z', '--param', '2019-02-07T01:00Z']),
    ]);
    expect(noZone.code).toBe(2);
    expect(noZone.stderr).toMatch(
      /--param 2019-02-06T00:00 \(parameter 4, from_time\) is not a time: ISO 8601 with a zone/,
    );
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('lies after the days 2019/02/06 to 2019/02/06');
  });

  it('takes a time window given in another zone and finds the requests in it', async () => {
    const run = await cli([
      'query',
      'bytes-by-ip-in-time-window',
      BEATS,
      '--param',
      '2019/02/06',
      '--param',
      '2019/02/06',
      '--param',
      '192.0.2.3',
      '--param',
      '2019-02-06T02:00:00+02:00',
      '--param',
      '2019-02-06T02:01:30+02:00',
      '--format',
      'jsonl',
    ]);
    expect(run.code).toBe(0);
    const rows = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // 00:00:38 (three requests) and 00:01:00 UTC are inside; 00:01:57 is not.
    expect(rows.reduce((sum, r) => sum + r.requests, 0)).toBe(4);
  });

  it('takes --since written yyyy/MM/dd and -Nd, and exits 2 for a range that ends before it starts', async () => {
    const [slashes, relative, backwards] = await Promise.all([
      cli(['sigv2', BEATS, '--since', '2019/02/06', '--until', '2019/02/06', '--format', 'json']),
      cli(['sigv2', BEATS, '--since', '-3d', '--format', 'json']),
      cli(['sigv2', BEATS, '--since', '2019/02/07', '--until', '2019-02-06']),
    ]);
    expect(JSON.parse(slashes.stdout)).toMatchObject({ records: 5, sigv2Requests: 4 });
    expect(JSON.parse(relative.stdout)).toMatchObject({ records: 0 });
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('--until 2019-02-06 must be later than --since 2019/02/07');
  });

  it('says on stderr what it read when a query returns no rows', async () => {
    const run = await cli([
      'query',
      'sigv2-per-day',
      BEATS,
      '--param',
      '2024/05/01',
      '--param',
      '2024/05/31',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('(no rows)\n');
    expect(run.stderr).toBe(
      's3-access-logs: no rows: read 0 records in the days asked for (2024/05/01 to 2024/05/31) from 1 input; ' +
        '6 other records were outside the days or --since/--until\n',
    );
    const some = await cli([
      'query',
      'who-deleted-object',
      BEATS,
      '--param',
      '2019/02/06',
      '--param',
      '2019/02/06',
      '--param',
      'awsexamplebucket',
      '--param',
      'nothing',
    ]);
    expect(some.stderr).toContain(
      'no rows: read 5 records in the days asked for (2019/02/06 to 2019/02/06) from 1 input, days 2019/02/06 to 2019/02/06, bucket awsexamplebucket; 1 other record was outside',
    );
  });
});

describe('2. full values in tables', () => {
  it('prints three role sessions that differ after the 60th character as three whole rows', async () => {
    // Derived from the fixture's SigV2 lines: the requester replaced by three EMR role sessions.
    const role = 'arn:aws:sts::111122223333:assumed-role/EMR_EC2_DefaultRole/i-0123456789abcdef';
    const sessions = ['0', '1', '2'].map((n) => `${role}${n}`);
    const lines = sessions.flatMap((s) =>
      BEATS_LINES.slice(0, 2).map((l) => withField(l, REQUESTER_FIELD, s)),
    );
    const input = file('2/emr.log', `${lines.join('\n')}\n`);
    const [query, sigv2] = await Promise.all([
      cli(['query', 'sigv2-requesters', input, '--param', '2019/02/06', '--param', '2019/02/06']),
      cli(['sigv2', input]),
    ]);
    expect(query.code).toBe(0);
    for (const s of sessions) {
      expect(query.stdout).toContain(`${s}  `);
      expect(sigv2.stdout).toContain(`. ${s}\n`);
    }
    expect(query.stdout + sigv2.stdout).not.toContain('…');
  });
});

describe('3. bad inputs reported, the rest analysed', () => {
  let good: string;
  let truncated: string;
  const copies = 2000;
  beforeAll(() => {
    good = file('3/good.log', BEATS_TEXT);
    // 2,000 copies of the fixture, gzipped, cut in the middle: the records before the cut are kept.
    const gz = zlib.gzipSync(BEATS_TEXT.repeat(copies));
    truncated = file('3/cut.gz', gz.subarray(0, gz.length >> 1));
  });

  it('reports a missing path and a truncated gzip, analyses the rest, and exits 3', async () => {
    const missing = path.join(dir, '3', 'missing.log');
    const run = await cli(['sigv2', good, missing, truncated, '--format', 'json']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`s3-access-logs: ${missing}: no such file or folder\n`);
    expect(run.stderr).toMatch(new RegExp(`s3-access-logs: ${truncated}: gzip data is truncated or corrupt`));
    expect(run.stderr).toMatch(
      /incomplete: 2 inputs could not be read, or not to the end \(named above\); the output covers the other 1 input/,
    );
    const report = JSON.parse(run.stdout);
    // The good file's 6 records and 4 SigV2 requests, plus what the cut file held before the cut.
    expect(report.records).toBeGreaterThan(6 + 6);
    expect(report.records).toBeLessThan(6 + 6 * copies);
    expect(report.sigv2Requests).toBe(4 + ((report.records - 6) / 6) * 4);
  });

  it('writes the records read before the damage with parse, and runs the query on the rest', async () => {
    const [parse, query] = await Promise.all([
      cli(['parse', good, truncated, '--format', 'csv']),
      cli([
        'query',
        'sigv2-per-day',
        good,
        path.join(dir, 'nope'),
        '--param',
        '2019/02/06',
        '--param',
        '2019/02/06',
        '--format',
        'csv',
      ]),
    ]);
    expect(parse.code).toBe(3);
    const rows = parse.stdout.trim().split('\n').length - 1;
    expect(rows).toBeGreaterThan(12);
    expect(rows % 6).toBe(0);
    expect(query.code).toBe(3);
    expect(query.stdout).toBe('day,requests,requesters,buckets\n2019/02/06,4,1,1\n');
    expect(query.stderr).toContain(`${path.join(dir, 'nope')}: no such file or folder`);
  });

  it('keeps all or nothing with --strict: exit 1 and no report', async () => {
    const run = await cli(['sigv2', good, truncated, '--strict']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/gzip data is truncated or corrupt/);
  });

  it('exits 1 when no input could be read at all', async () => {
    const run = await cli(['sigv2', path.join(dir, 'nope1'), path.join(dir, 'nope2')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(2);
  });
});

describe('4. each input once', () => {
  it('reads a file named twice, or inside a folder also named, once', async () => {
    const folder = path.join(dir, '4');
    const a = file('4/a.log', BEATS_TEXT);
    file('4/b.log', BEATS_TEXT);
    const run = await cli(['sigv2', folder, a, `${folder}/../4/a.log`, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ records: 12, sigv2Requests: 8 });
  });
});

describe('5. one vocabulary of formats', () => {
  it('prints the sigv2 report alone in json, records as jsonl with parse, and refuses unknown formats', async () => {
    const [json, jsonl, bad] = await Promise.all([
      cli(['sigv2', BEATS, '--format', 'json']),
      cli(['parse', BEATS, '--format', 'jsonl']),
      cli(['parse', BEATS, '--format', 'table']),
    ]);
    const report = JSON.parse(json.stdout);
    expect(Object.keys(report)).toEqual(['records', 'unparsed', 'sigv2Requests', 'requesters']);
    expect(report.records).toBe(6);
    expect(
      jsonl.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).requester),
    ).toHaveLength(6);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Allowed choices are jsonl, json, csv');
  });

  it('filters parse output to the SigV2 records with --sigv2, as jsonl or one json array', async () => {
    const peer = path.join(PEER_DIR, 'rotemfogel');
    const [all, jsonl, json, csv] = await Promise.all([
      cli(['parse', BEATS, peer, '-q']),
      cli(['parse', BEATS, peer, '-q', '--sigv2']),
      cli(['parse', BEATS, peer, '-q', '--sigv2', '--format', 'json']),
      cli(['parse', BEATS, '--sigv2', '--format', 'csv']),
    ]);
    const records = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    const expected = records(all.stdout).filter((r) => r.sigv === 'SigV2');
    expect(expected.length).toBeGreaterThan(0);
    expect(records(jsonl.stdout)).toEqual(expected);
    expect(JSON.parse(json.stdout)).toEqual(expected);
    expect(csv.code).toBe(2);
  });
});

describe('6. the query temporary copy', () => {
  const query = ['query', 'sigv2-per-day', '--param', '2019/02/06', '--param', '2019/02/06'];

  it('writes it under TMPDIR, names it with --verbose, and removes it', async () => {
    const tmp = fs.mkdtempSync(path.join(dir, 'tmp-'));
    const run = await cli([...query, BEATS, '--verbose'], { env: { TMPDIR: tmp } });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      new RegExp(`temporary copy of the records in ${tmp}/s3-access-logs-\\w+ \\(removed at exit\\)`),
    );
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('s3-access-logs-'))).toEqual([]);
  });

  it('removes it on Ctrl-C while the scan waits on standard input', async () => {
    const tmp = fs.mkdtempSync(path.join(dir, 'tmp-'));
    const copies = () => fs.readdirSync(tmp).filter((f) => f.startsWith('s3-access-logs-'));
    const run = await cli([...query, '-'], {
      env: { TMPDIR: tmp },
      stdin: Buffer.from(BEATS_TEXT),
      holdStdin: true,
      started: (child) => {
        const poll = setInterval(() => {
          if (copies().length === 1) {
            clearInterval(poll);
            child.kill('SIGINT');
          }
        }, 20);
      },
    });
    expect(run.code).toBe(130);
    expect(copies()).toEqual([]);
  });

  it('names a full disk on standard output without a stack trace, and cleans up', async () => {
    const tmp = fs.mkdtempSync(path.join(dir, 'tmp-'));
    const full = fs.openSync('/dev/full', 'w');
    try {
      const [q, parse] = await Promise.all([
        cli([...query, BEATS], { env: { TMPDIR: tmp }, stdoutFd: full }),
        cli(['parse', BEATS], { stdoutFd: full }),
      ]);
      for (const run of [q, parse]) {
        expect(run.code).toBe(1);
        expect(run.stderr).toBe(
          's3-access-logs: cannot write the output: ENOSPC: no space left on device, write\n',
        );
      }
      expect(fs.readdirSync(tmp).filter((f) => f.startsWith('s3-access-logs-'))).toEqual([]);
    } finally {
      fs.closeSync(full);
    }
  });
});

describe('7. --since/--until say what they skipped', () => {
  it('counts the files left out by the date in their name', async () => {
    const folder = path.join(dir, '7');
    file('7/2019-02-06-00-00-00-0123456789ABCDEF', BEATS_TEXT);
    file('7/2019-02-20-00-00-00-0123456789ABCDEF', BEATS_TEXT);
    const run = await cli(['sigv2', folder, '--since', '2019-02-10', '--format', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "s3-access-logs: 1 log file not read: named for days outside the time asked for (--since/--until, or the query's days)\n",
    );
    // The file dated 2019-02-20 is read: its one request from 2021 is the only one in the window.
    expect(JSON.parse(run.stdout).records).toBe(1);
  });
});

describe('8. a readable sigv2 table', () => {
  it('shows the top 3 IPs and buckets per requester and counts the rest; json has them all', async () => {
    // Derived from the fixture's first SigV2 line: 8 source IPs and 5 buckets for the same requester.
    const lines = Array.from({ length: 8 }, (_, i) =>
      withField(withField(BEATS_LINES[0], IP_FIELD, `192.0.2.${10 + i}`), BUCKET_FIELD, `bucket-${i % 5}`),
    );
    const input = file('8/many.log', `${lines.join('\n')}\n`);
    const [table, json] = await Promise.all([
      cli(['sigv2', input]),
      cli(['sigv2', input, '--format', 'json']),
    ]);
    expect(table.stdout).toContain(
      'remote IPs      1  192.0.2.10\n                   1  192.0.2.11\n                   1  192.0.2.12\n                   5 others: 5 requests\n',
    );
    expect(table.stdout).toContain(
      'buckets         2  bucket-0\n                   2  bucket-1\n                   2  bucket-2\n                   2 others: 2 requests\n',
    );
    expect(table.stdout).toContain('(The top 3 of each list; --format json or csv has them all.)');
    const requester = JSON.parse(json.stdout).requesters[0];
    expect(requester.remoteIps).toHaveLength(8);
    expect(requester.buckets).toHaveLength(5);
  });
});
