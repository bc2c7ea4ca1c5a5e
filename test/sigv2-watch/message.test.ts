import type { RequesterDigest, Sigv2Digest } from '../../lib/sigv2-watch/digest';
import {
  digestSubject,
  digestText,
  eventDetail,
  LISTED_REQUESTERS,
  MAX_EVENT_DETAIL_BYTES,
} from '../../lib/sigv2-watch/message';

const top = (value: string, requests: number) => ({ distinct: 1, top: [{ value, requests }] });

function requester(i: number, userAgent = 'aws-cli/1.16.0'): RequesterDigest {
  return {
    requester: `arn:aws:iam::111122223333:user/u${String(i).padStart(4, '0')}`,
    requests: 1000 - i,
    isNew: i % 2 === 0,
    firstSeen: '2026-11-01T00:00:00Z',
    lastSeen: '2026-11-29T00:00:00Z',
    facets: {
      userAgents: top(userAgent, 1000 - i),
      sourceIps: top('192.0.2.1', 1000 - i),
      buckets: top('photos', 1000 - i),
      operations: top('REST.GET.OBJECT', 1000 - i),
      authTypes: top('AuthHeader', 1000 - i),
    },
  };
}

function digest(requesters: RequesterDigest[]): Sigv2Digest {
  return {
    day: '2026-11-29',
    lookbackDays: 30,
    historyDays: 30,
    records: 1_234_567,
    noRecords: false,
    sigv2Requests: requesters.reduce((sum, r) => sum + r.requests, 0),
    sigv2Requesters: requesters.length,
    newSigv2Requesters: requesters.filter((r) => r.isNew).length,
    requesters,
    disappeared: [],
  };
}

describe('digestText', () => {
  it(`lists the first ${LISTED_REQUESTERS} requesters and counts the rest`, () => {
    const text = digestText(digest(Array.from({ length: 25 }, (_, i) => requester(i))));
    expect(text).toContain(` 20. arn:aws:iam::111122223333:user/u0019`);
    expect(text).not.toMatch(/\d\. arn:aws:iam::111122223333:user\/u0020/);
    expect(text).toContain('  ... and 5 requesters more');
    expect(text).toContain('Log records read: 1,234,567.');
  });

  it('does not mention the history when the table holds the whole lookback window', () => {
    expect(digestText(digest([requester(1)]))).not.toContain('The table holds');
  });

  it('cuts a very long user agent', () => {
    const text = digestText(digest([requester(1, 'x'.repeat(1000))]));
    expect(text).toContain(`user agents: ${'x'.repeat(157)}... (999)`);
  });

  it('shows every value whole when the caller asks (the CLI table)', () => {
    const text = digestText(digest([requester(1, 'x'.repeat(1000))]), {
      maxValueChars: Number.POSITIVE_INFINITY,
    });
    expect(text).toContain(`user agents: ${'x'.repeat(1000)} (999)`);
  });
});

describe('a day not over', () => {
  const none = { ...digest([]), records: 0, noRecords: true };

  it('is partial, not broken logging, when it is today and has no record yet', () => {
    const text = digestText(none, { dayStatus: 'today' });
    expect(text).toMatch(/^SigV2 digest 2026-11-29: day not over \(UTC\), no log records yet\n/);
    expect(text).toContain('NOTE: 2026-11-29 (UTC) is not over');
    expect(text).not.toContain('NO LOG RECORDS');
    expect(text).not.toContain('WARNING');
  });

  it('says "so far" when it is today and has records', () => {
    expect(digestSubject(digest([requester(1)]), 'today')).toBe(
      'SigV2 digest 2026-11-29: 999 requests from 1 requester, 0 new (so far: day not over)',
    );
  });

  it('has not begun when it is later than today', () => {
    const text = digestText(none, { dayStatus: 'future' });
    expect(text).toMatch(/^SigV2 digest 2026-11-29: the day has not begun \(UTC\)/);
    expect(text).not.toContain('WARNING');
  });

  it('is still "no log records" once the day is over', () => {
    expect(digestSubject(none)).toBe(
      'SigV2 digest 2026-11-29: NO LOG RECORDS - logging or compaction broken?',
    );
  });
});

describe('digestSubject', () => {
  it('stays within the 100 characters SNS allows', () => {
    const big = { ...digest([requester(1)]), sigv2Requests: 123_456_789_012, sigv2Requesters: 987_654_321 };
    expect(digestSubject(big).length).toBeLessThanOrEqual(100);
  });
});

describe('eventDetail', () => {
  it('is the digest itself when it fits an event', () => {
    const small = digest([requester(1)]);
    expect(eventDetail(small)).toEqual({ ...small, truncated: false });
  });

  it('cuts the requester lists of a digest too large for an event, and says so', () => {
    const large = digest(Array.from({ length: 2000 }, (_, i) => requester(i, 'y'.repeat(200))));
    const detail = eventDetail(large);

    expect(Buffer.byteLength(JSON.stringify(large))).toBeGreaterThan(MAX_EVENT_DETAIL_BYTES);
    expect(Buffer.byteLength(JSON.stringify(detail))).toBeLessThanOrEqual(MAX_EVENT_DETAIL_BYTES);
    expect(detail.truncated).toBe(true);
    expect(detail.requesters.length).toBeGreaterThan(0);
    expect(detail.requesters).toEqual(large.requesters.slice(0, detail.requesters.length));
    expect(detail.sigv2Requesters).toBe(2000);
  });
});
