import * as fs from 'node:fs';
import * as path from 'node:path';
import { fieldOffsets, splitLine } from 's3-access-logs/log-format/split';
import { PEER_DIR } from '../../../test/log-format/peer-lines';
import { requestTimeOf } from '../../src/reports/request-time';
import { isSigV2, Sigv2Accumulator } from '../../src/reports/sigv2-aggregate';

/** The elastic-beats fixture's SigV2 lines (its first four), in file order: 00:00:38 three times, then 00:01:00. */
const SIGV2_LINES = fs
  .readFileSync(path.join(PEER_DIR, 'elastic-beats', 'test.log'), 'utf8')
  .split('\n')
  .slice(0, 4);
const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';

/** Feeds lines to an accumulator as the scan does: split from bytes, SigV2 only, with the request time. */
function accumulate(lines: readonly string[]) {
  const accumulator = new Sigv2Accumulator();
  const out = fieldOffsets();
  for (const line of lines) {
    const buf = Buffer.from(line);
    expect(splitLine(buf, 0, buf.length, out)).toBe(true);
    expect(isSigV2(buf, out)).toBe(true);
    accumulator.add(buf, out, requestTimeOf(line.split('[')[1].split(']')[0]));
  }
  return accumulator.tally().get(OWNER)!;
}

describe('Sigv2Accumulator', () => {
  it('sets first and last seen to the time of a requester with one request', () => {
    const t = accumulate([SIGV2_LINES[3]]);
    expect([t.firstMs, t.lastMs]).toEqual([Date.UTC(2019, 1, 6, 0, 1, 0), Date.UTC(2019, 1, 6, 0, 1, 0)]);
  });

  it('keeps the latest time as last seen when lines arrive in falling time order', () => {
    const t = accumulate([...SIGV2_LINES].reverse());
    expect(t.requests).toBe(4);
    expect(t.firstMs).toBe(Date.UTC(2019, 1, 6, 0, 0, 38));
    expect(t.lastMs).toBe(Date.UTC(2019, 1, 6, 0, 1, 0));
  });

  it('keeps the earliest time as first seen when lines arrive in rising time order', () => {
    const t = accumulate(SIGV2_LINES);
    expect([t.firstMs, t.lastMs]).toEqual([Date.UTC(2019, 1, 6, 0, 0, 38), Date.UTC(2019, 1, 6, 0, 1, 0)]);
  });

  it('counts each column value per requester', () => {
    const t = accumulate(SIGV2_LINES);
    expect([...t.operations]).toEqual([
      ['REST.GET.VERSIONING', 2],
      ['REST.GET.LOGGING_STATUS', 1],
      ['REST.GET.BUCKETPOLICY', 1],
    ]);
    expect([...t.userAgents]).toEqual([['S3Console/0.4', 4]]);
  });
});
