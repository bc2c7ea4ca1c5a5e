import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { Sigv2Digest } from 's3-access-logs/sigv2-watch/digest';
import {
  BOUNDARY,
  FRESH,
  GONE,
  logLine,
  MANY_IPS,
  MIDNIGHT,
  RETURNING,
  STEADY,
  scenarioLogsByDay,
} from '../../test/sigv2-watch/scenario';
import { cli } from './spawn-cli';

/*
 * `s3-access-logs digest`, spawned as a user runs it, over six weeks of generated logs in one file per day
 * named as S3 names them (see test/sigv2-watch/scenario.ts for who does what; the numbers are counted by hand).
 */

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digest-'));
  for (const [day, text] of scenarioLogsByDay()) {
    fs.writeFileSync(path.join(dir, `${day}-12-00-00-0123456789ABCDEF`), text);
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('prints the digest of a day as JSON: counts, new requesters, first and last seen, what disappeared', async () => {
  const run = await cli(['digest', dir, '--day', '2026-11-29', '--format', 'json', '--quiet']);

  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const digest = JSON.parse(run.stdout) as Sigv2Digest;
  expect(digest).toMatchObject({
    day: '2026-11-29',
    lookbackDays: 30,
    historyDays: 29,
    records: 24,
    noRecords: false,
    sigv2Requests: 17,
    sigv2Requesters: 5,
    newSigv2Requesters: 3,
  });
  expect(digest.requesters.map((r) => [r.requester, r.requests, r.isNew, r.firstSeen, r.lastSeen])).toEqual([
    [MANY_IPS, 10, true, '2026-11-29T14:00:00Z', '2026-11-29T14:00:09Z'],
    [FRESH, 3, true, '2026-11-29T01:00:00Z', '2026-11-29T03:00:00Z'],
    [STEADY, 2, false, '2026-10-30T08:00:00Z', '2026-11-29T20:00:00Z'],
    [BOUNDARY, 1, false, '2026-10-30T00:00:00Z', '2026-11-29T23:59:59Z'],
    [RETURNING, 1, true, '2026-11-29T12:00:00Z', '2026-11-29T12:00:00Z'],
  ]);
  expect(digest.disappeared.map((r) => r.requester)).toEqual([GONE, MIDNIGHT]);
});

it('takes --lookback-days: with 31 days the requester last seen 31 days before is not new', async () => {
  const run = await cli([
    'digest',
    dir,
    '--day',
    '2026-11-29',
    '--lookback-days',
    '31',
    '--format',
    'json',
    '-q',
  ]);

  expect(run.code).toBe(0);
  const digest = JSON.parse(run.stdout) as Sigv2Digest;
  expect(digest.newSigv2Requesters).toBe(2);
  expect(digest.requesters.find((r) => r.requester === RETURNING)?.firstSeen).toBe('2026-10-29T12:00:00Z');
});

it('flags a day with no records as such in the table format, never as no SigV2', async () => {
  const run = await cli(['digest', dir, '--day', '2026-11-15', '-q']);

  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^SigV2 digest 2026-11-15: NO LOG RECORDS/);
  expect(run.stdout).toContain('Log records read: 0.');
  expect(run.stdout).toContain('This is NOT "no SigV2"');
});

it('says a day not over yet is partial, not that logging is broken, in the table and in JSON', async () => {
  // Relative days: today (UTC) is never over while the test runs, whatever the date.
  const table = await cli(['digest', dir, '--day', 'today', '-q']);
  expect(table.code).toBe(0);
  expect(table.stdout).not.toContain('NO LOG RECORDS');
  expect(table.stdout).not.toContain('This is NOT "no SigV2"');
  expect(table.stdout).toMatch(/^SigV2 digest \d{4}-\d{2}-\d{2}: .*day not over/);
  expect(table.stdout).toMatch(/NOTE: \d{4}-\d{2}-\d{2} \(UTC\) is not over/);

  const json = await cli(['digest', dir, '--day', 'today', '--format', 'json', '-q']);
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout)).toMatchObject({ unfinished: true, dayStatus: 'today' });
});

it('says a day in the future has not begun', async () => {
  const table = await cli(['digest', dir, '--day', '2999-01-01', '-q']);
  expect(table.code).toBe(0);
  expect(table.stdout).toMatch(/^SigV2 digest 2999-01-01: the day has not begun \(UTC\)/);
  expect(table.stdout).not.toContain('NO LOG RECORDS');
  const json = await cli(['digest', dir, '--day', '2999-01-01', '--format', 'json', '-q']);
  expect(JSON.parse(json.stdout)).toMatchObject({ noRecords: true, unfinished: true, dayStatus: 'future' });
});

it('flags nothing on a day that is over', async () => {
  const run = await cli(['digest', dir, '--day', '2026-11-29', '--format', 'json', '-q']);
  expect(JSON.parse(run.stdout)).not.toHaveProperty('unfinished');
});

it('does not offer --since and --until in its help, which it refuses', async () => {
  const run = await cli(['digest', '--help']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('--day <day>');
  expect(run.stdout).toContain('--threads');
  // The options list only: the program-wide notes after it speak of the other commands.
  const options = run.stdout.slice(run.stdout.indexOf('Options:'), run.stdout.indexOf('\nInputs:'));
  expect(options).toContain('--day <day>');
  expect(options).not.toContain('--since');
  expect(options).not.toContain('--until');
});

it.each([
  [['--day', '2026-13-01'], /--day must be a day as yyyy-mm-dd .*e\.g\. 2026-11-29 \(got '2026-13-01'\)/],
  [['--day', '29/11/2026'], /--day must be a day as yyyy-mm-dd.*'29\/11\/2026'/],
  [[], /--day <day> is required .*e\.g\. --day 2026-11-29/],
  [
    ['--day', '2026-11-29', '--lookback-days', '0'],
    /--lookback-days must be a whole number of days from 1 to 366 \(got '0'\)/,
  ],
  [['--day', '2026-11-29', '--since', '2026-11-01'], /--since and --until do not apply/],
  [
    ['--day', '2026-11-29', '--lookback-days', '1e1'],
    /--lookback-days must be a whole number .*\(got '1e1'\)/,
  ],
])('exits 2 on a bad command line (%j), naming the option', async (args, message) => {
  const run = await cli(['digest', dir, ...args]);

  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(message);
  expect(run.stdout).toBe('');
});

it('takes the day as yyyy/mm/dd too, as the other commands do', async () => {
  const run = await cli(['digest', dir, '--day', '2026/11/29', '--format', 'json', '-q']);

  expect(run.code).toBe(0);
  expect((JSON.parse(run.stdout) as Sigv2Digest).day).toBe('2026-11-29');
});

it('digests the inputs it could read and exits 3 when another could not be read', async () => {
  const missing = path.join(dir, 'no-such-folder');
  const run = await cli(['digest', dir, missing, '--day', '2026-11-29', '--format', 'json', '-q']);

  expect(run.code).toBe(3);
  expect(run.stderr).toContain(`${missing}: no such file or folder`);
  expect((JSON.parse(run.stdout) as Sigv2Digest).sigv2Requests).toBe(17);
});

it('exits 1 naming an input that does not exist', async () => {
  const missing = path.join(dir, 'no-such-folder');
  const run = await cli(['digest', missing, '--day', '2026-11-29']);

  expect(run.code).toBe(1);
  expect(run.stderr).toContain('no-such-folder');
  expect(run.stderr).not.toMatch(/\n\s+at /);
});

it('shows user agents and requesters whole in the table (the SNS message cuts them, the CLI does not)', async () => {
  const ua = `aws-sdk-java/1.11.0 ${'Linux/5.10.0-amzn2.x86_64 '.repeat(12)}end-of-agent`;
  const requester = `arn:aws:sts::111122223333:assumed-role/${'a'.repeat(200)}/session`;
  const own = fs.mkdtempSync(path.join(os.tmpdir(), 'digest-ua-'));
  try {
    const line = logLine({ time: '2026-11-29T10:00:00Z', requester, sigv: 'SigV2', ua }, 1);
    fs.writeFileSync(path.join(own, '2026-11-29-12-00-00-0123456789ABCDEF'), `${line}\n`);
    const run = await cli(['digest', own, '--day', '2026-11-29', '-q']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`user agents: ${ua} (1)`);
    expect(run.stdout).toContain(`${requester}: 1 request`);
  } finally {
    fs.rmSync(own, { recursive: true, force: true });
  }
});

it('leaves out every record of a gzip file whose checksum does not match, and exits 3', async () => {
  // Ten SigV2 requests of the digest day by a requester of its own, stored (level 0) in the gzip so that flipped
  // bytes inflate to other text without an error until the checksum at the end.
  const lines = Array.from({ length: 10 }, (_, i) =>
    logLine(
      { time: `2026-11-29T09:00:0${i}Z`, requester: 'arn:aws:iam::111122223333:user/corrupt', sigv: 'SigV2' },
      i,
    ),
  );
  const gz = zlib.gzipSync(`${lines.join('\n')}\n`, { level: 0 });
  const at = gz.indexOf('user/corrupt', gz.length >> 1);
  gz.write('user/garbag', at, 'latin1');
  const flipped = path.join(os.tmpdir(), `digest-flipped-${process.pid}.gz`);
  fs.writeFileSync(flipped, gz);
  try {
    const run = await cli(['digest', dir, flipped, '--day', '2026-11-29', '--format', 'json', '-q']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      `${flipped}: gzip data is corrupt (incorrect data check); none of its records`,
    );
    const digest = JSON.parse(run.stdout) as Sigv2Digest;
    expect(digest.sigv2Requests).toBe(17);
    expect(digest.requesters.map((r) => r.requester)).not.toContain('arn:aws:iam::111122223333:user/garbag');
  } finally {
    fs.rmSync(flipped, { force: true });
  }
});
