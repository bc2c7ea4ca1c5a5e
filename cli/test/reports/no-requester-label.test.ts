import type { Sigv2Digest } from 's3-access-logs/sigv2-watch/digest';
import { digestText } from 's3-access-logs/sigv2-watch/message';
import { NO_REQUESTER } from '../../src/reports/numbers';

/** sigv2, report and digest name a request without a requester alike: one label, whichever command. */
it('is the label the digest uses', () => {
  const facet = { distinct: 1, top: [{ value: 'x', requests: 1 }] };
  const digest: Sigv2Digest = {
    day: '2026-11-29',
    lookbackDays: 30,
    historyDays: 30,
    records: 1,
    noRecords: false,
    sigv2Requests: 1,
    sigv2Requesters: 1,
    newSigv2Requesters: 0,
    requesters: [
      {
        requester: null,
        requests: 1,
        isNew: false,
        firstSeen: '2026-11-29T00:00:00Z',
        lastSeen: '2026-11-29T00:00:00Z',
        facets: { userAgents: facet, sourceIps: facet, buckets: facet, operations: facet, authTypes: facet },
      },
    ],
    disappeared: [],
  };
  expect(digestText(digest)).toContain(`  1. ${NO_REQUESTER}: 1 request`);
});
