import { requestTimeOf } from '../../src/reports/request-time';
import type { Sigv2Tally } from '../../src/reports/sigv2-aggregate';
import { mergeTally } from '../../src/reports/sigv2-aggregate';
import { summarize } from '../../src/reports/sigv2-report';
import { sigv2Csv, sigv2Table } from '../../src/reports/sigv2-text';

function tally(
  requester: string | null,
  requests: number,
  agents: [string | null, number][],
  first: number,
  last: number,
) {
  return [
    requester,
    {
      requests,
      userAgents: new Map(agents),
      remoteIps: new Map(Array.from({ length: 12 }, (_, i) => [`10.0.0.${i}`, 12 - i] as [string, number])),
      buckets: new Map([['b', requests]]),
      operations: new Map([['REST.GET.OBJECT', requests]]),
      firstMs: first,
      lastMs: last,
    },
  ] as const;
}

describe('summarize', () => {
  const agents: [string | null, number][] = [
    ['a', 5],
    ['b', 9],
    [null, 9],
    ['c', 9],
    ['d', 1],
    ['e', 2],
    ['f', 3],
  ];
  const t: Sigv2Tally = new Map([
    tally('arn:x', 10, agents, Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)),
    tally(null, 10, [['z', 10]], Infinity, -Infinity),
    tally('arn:big', 30, [['z', 30]], 0, 0),
  ]);
  const report = summarize(t, 100, 7);

  it('sorts requesters by requests, ties by name with the anonymous requester last', () => {
    expect(report.requesters.map((r) => [r.requester, r.requests])).toEqual([
      ['arn:big', 30],
      ['arn:x', 10],
      [null, 10],
    ]);
    expect(report.sigv2Requests).toBe(50);
    expect(report.unparsed).toBe(7);
  });

  it('keeps every user agent and IP, most requests first, ties in value order and NULL last', () => {
    const x = report.requesters[1];
    expect(x.userAgents).toEqual([
      { value: 'b', requests: 9 },
      { value: 'c', requests: 9 },
      { value: null, requests: 9 },
      { value: 'a', requests: 5 },
      { value: 'f', requests: 3 },
      { value: 'e', requests: 2 },
      { value: 'd', requests: 1 },
    ]);
    expect(x.remoteIps.map((ip) => ip.value)).toEqual(Array.from({ length: 12 }, (_, i) => `10.0.0.${i}`));
    expect(x.firstSeen).toBe('2024-01-02T00:00:00Z');
    expect(report.requesters[2].firstSeen).toBeNull();
  });

  it('renders an anonymous requester in the table and as an empty CSV cell', () => {
    expect(sigv2Table(report)).toContain('3. (no requester)');
    expect(sigv2Csv(report).split('\n')[3]).toMatch(/^,10,,,z \(10\),/);
  });

  it('says so when there is no SigV2 traffic', () => {
    expect(sigv2Table(summarize(new Map(), 1, 0))).toBe(
      'No SigV2 requests (1 record read, 0 lines unparsed).\n',
    );
  });
});

describe('mergeTally', () => {
  it('adds counts and widens first and last seen', () => {
    const into: Sigv2Tally = new Map([tally('r', 2, [['a', 2]], 10, 20)]);
    mergeTally(
      into,
      new Map([
        tally(
          'r',
          3,
          [
            ['a', 1],
            ['b', 2],
          ],
          5,
          15,
        ),
      ]),
    );
    const r = into.get('r')!;
    expect([r.requests, r.firstMs, r.lastMs]).toEqual([5, 5, 20]);
    expect([...r.userAgents]).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
    expect(r.remoteIps.get('10.0.0.0')).toBe(24);
  });
});

describe('requestTimeOf', () => {
  it.each([
    ['06/Feb/2019:00:00:38 +0000', '2019-02-06T00:00:38.000Z'],
    ['09/Feb/2021:14:48:42 +0200', '2021-02-09T12:48:42.000Z'],
    ['31/Dec/2023:23:30:00 -0130', '2024-01-01T01:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(new Date(requestTimeOf(text)).toISOString()).toBe(iso);
  });

  it.each([['06/Foo/2019:00:00:38 +0000'], ['06/Feb/2019:00:00:38'], ['06/Feb/2019:25:00:38 +0000'], ['x']])(
    'gives NaN for %s',
    (text) => {
      expect(requestTimeOf(text)).toBeNaN();
    },
  );
});
