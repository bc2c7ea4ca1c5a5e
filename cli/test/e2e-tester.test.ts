import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { PEER_DIR } from '../../test/log-format/peer-lines';
import { cli } from './spawn-cli';

/*
 * What an outside tester found in the command after issue 13, spawned for real from the checkout. Inputs are
 * the elastic-beats fixture's real lines (6 records, 4 of them SigV2, all by one requester).
 */

const BEATS = path.join(PEER_DIR, 'elastic-beats', 'test.log');
const BEATS_TEXT = fs.readFileSync(BEATS, 'utf8');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-tester-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const full = path.join(dir, name);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
  return full;
}

describe('a gzip file whose checksum does not match', () => {
  // Stored (level 0) deflate blocks, so flipped bytes inflate to wrong text with no error until the checksum at
  // the end: the case where the garbage would otherwise pass as records.
  let good: string;
  let flipped: string;
  const copies = 50;
  beforeAll(() => {
    good = file('gz/good.log', BEATS_TEXT);
    const gz = zlib.gzipSync(BEATS_TEXT.repeat(copies), { level: 0 });
    // Each requester is 64 hex digits: turning digits into other ones keeps the lines records.
    const text = gz.toString('latin1');
    const at = text.indexOf(
      '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
      gz.length >> 1,
    );
    gz.write('0000000000', at, 'latin1');
    flipped = file('gz/flipped.gz', gz);
  });

  it('drops all its records from the sigv2 tally, says so, and exits 3', async () => {
    const run = await cli(['sigv2', good, flipped, '--format', 'json']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      `s3-access-logs: ${flipped}: gzip data is corrupt (incorrect data check); none of its records are counted\n`,
    );
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ records: 6, sigv2Requests: 4 });
    expect(report.requesters.map((r: { requester: string }) => r.requester)).toEqual([
      '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
    ]);
  });

  it('keeps its records out of a query', async () => {
    const args = ['sigv2-per-day', good, flipped, '--param', '2019/02/06', '--param', '2019/02/06'];
    const run = await cli(['query', ...args, '--format', 'csv']);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('day,requests,requesters,buckets\n2019/02/06,4,1,1\n');
    expect(run.stderr).toContain(
      `${flipped}: gzip data is corrupt (incorrect data check); none of its records`,
    );
  });

  it('says with parse that the records already written from it cannot be trusted, and exits 3', async () => {
    const run = await cli(['parse', flipped, good]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      `s3-access-logs: ${flipped}: gzip data is corrupt (incorrect data check); the records already written from it cannot be trusted`,
    );
  });
});

describe('an input named twice that cannot be read', () => {
  it('is reported and counted once, like a readable one', async () => {
    const good = file('twice/good.log', BEATS_TEXT);
    const missing = path.join(dir, 'twice', 'missing.log');
    const run = await cli(['sigv2', missing, missing, `${path.dirname(missing)}/./missing.log`, good]);
    expect(run.code).toBe(3);
    expect(run.stderr.split(`${missing}: no such file or folder`)).toHaveLength(2);
    expect(run.stderr).toMatch(
      /incomplete: 1 input could not be read, .*the output covers the other 1 input /,
    );
  });
});

describe('nothing could be read at all', () => {
  it('exits 1, not 3, when every input fails, some only once read', async () => {
    const tiny = file('none/tiny.gz', Buffer.from([0x1f, 0x8b]));
    const missing = path.join(dir, 'none', 'missing.log');
    for (const command of ['sigv2', 'parse']) {
      const run = await cli([command, tiny, missing]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`${tiny}: gzip data is truncated or corrupt`);
      expect(run.stderr).toContain(
        's3-access-logs: nothing could be read: every input failed (named above)\n',
      );
    }
  });
});
