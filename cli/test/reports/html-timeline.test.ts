import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileSource } from '../../src/inputs/sources';
import { timeWindow } from '../../src/inputs/time-window';
import { scan } from '../../src/scan';
import { monthOfLog, REQUESTERS } from '../report-lines';

/** cli/test/fixtures/queries.log, worked out by hand in cli/test/fixtures/README.md. */
const QUERIES = path.join(__dirname, '..', 'fixtures', 'queries.log');
const ALICE = 'arn:aws:iam::111122223333:user/alice';
const BOB = 'arn:aws:iam::111122223333:user/bob';
const day = (iso: string) => Date.parse(iso) / 86_400_000;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'timeline-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function source(file: string): FileSource {
  return { kind: 'file', name: path.basename(file), path: file, size: fs.statSync(file).size, gzip: false };
}

async function timelineOf(file: string, threads = 1, since?: string) {
  const summary = await scan({
    sources: [source(file)],
    job: { output: 'none', sigv2: true, timeline: true, strict: false, window: timeWindow(since) },
    threads,
    parallelMinBytes: 0,
    rangeBytes: 64 << 10,
  });
  if (summary.timeline === undefined) throw new Error('no timeline');
  return summary.timeline;
}

it('counts signed requests per UTC day and SigV2 requests per requester per day', async () => {
  const timeline = await timelineOf(QUERIES);

  // Line 4 (23:59:59 -0100 on the 15th) is the 16th in UTC; unsigned lines (6, 7) count nowhere.
  expect(timeline.signed).toEqual(
    new Map([
      [day('2024-01-14'), [1, 0]],
      [day('2024-01-15'), [2, 2]],
      [day('2024-01-16'), [2, 0]],
    ]),
  );
  expect(timeline.requesters.get(ALICE)?.days).toEqual(
    new Map([
      [day('2024-01-14'), 1],
      [day('2024-01-15'), 2],
      [day('2024-01-16'), 1],
    ]),
  );
  expect(timeline.requesters.get(BOB)).toEqual({
    days: new Map([[day('2024-01-16'), 1]]),
    authTypes: new Map([['AuthHeader', 1]]),
    tlsVersions: new Map([['TLSv1.2', 1]]),
  });
  expect([...timeline.requesters.keys()].sort()).toEqual([ALICE, BOB]);
  expect(timeline.undatedSigV2).toBe(0);
});

it('keeps only the requests inside --since', async () => {
  const timeline = await timelineOf(QUERIES, 1, '2024-01-16');

  expect(timeline.signed).toEqual(new Map([[day('2024-01-16'), [2, 0]]]));
  expect(timeline.requesters.get(ALICE)?.days).toEqual(new Map([[day('2024-01-16'), 1]]));
});

it('gives the same timeline from byte ranges on two threads as from one pass', async () => {
  const file = path.join(dir, 'month.log');
  const log = monthOfLog();
  fs.writeFileSync(file, log.text);

  const one = await timelineOf(file, 1);
  const two = await timelineOf(file, 2);

  expect(two).toEqual(one);
  for (const requester of REQUESTERS) {
    const days = one.requesters.get(requester)?.days ?? new Map<number, number>();
    expect([...days.values()].reduce((a, b) => a + b, 0)).toBe(log.sigv2.get(requester));
  }
  expect([...one.signed.values()].reduce((sum, [, v4]) => sum + v4, 0)).toBe(log.sigv4);
});
