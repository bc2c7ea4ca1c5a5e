import { lineChartSvg } from '../../src/reports/html-chart';
import { breakable, htmlReport } from '../../src/reports/html-report';
import type { Timeline } from '../../src/reports/html-timeline';
import { emptyTimeline } from '../../src/reports/html-timeline';
import type { RequesterTally, Sigv2Tally } from '../../src/reports/sigv2-aggregate';

const DAY = 19_800; // 2024-03-18

function tallyOf(requests: number, agent = 'aws-cli/1.0'): RequesterTally {
  return {
    requests,
    userAgents: new Map([[agent, requests]]),
    remoteIps: new Map([['192.0.2.1', requests]]),
    buckets: new Map([['photos', requests]]),
    operations: new Map([['REST.GET.OBJECT', requests]]),
    firstMs: DAY * 86_400_000,
    lastMs: DAY * 86_400_000 + 1000,
  };
}

function input(requesters: [string | null, number][], top: number, agent?: string) {
  const tally: Sigv2Tally = new Map(requesters.map(([r, n]) => [r, tallyOf(n, agent)]));
  const timeline: Timeline = {
    signed: new Map([[DAY, [requesters.reduce((s, [, n]) => s + n, 0), 10]]]),
    requesters: new Map(
      requesters.map(([r, n]) => [
        r,
        {
          days: new Map([[DAY, n]]),
          authTypes: new Map([['AuthHeader', n]]),
          tlsVersions: new Map([[null, n]]),
        },
      ]),
    ),
    undatedSigV2: 0,
  };
  return {
    inputs: ['logs/'],
    generatedAt: '2024-03-19T00:00:00Z',
    records: 100,
    unparsed: 0,
    tally,
    timeline,
    top,
  };
}

const seriesOf = (html: string) => [...html.matchAll(/data-series="([^"]*)"/g)].map((m) => m[1]);

describe('htmlReport', () => {
  it('draws the top requesters as their own lines, most requests first, and the rest as one', () => {
    const html = htmlReport(
      input(
        [
          ['b', 5],
          ['a', 9],
          [null, 1],
          ['c', 3],
        ],
        2,
      ),
    );

    expect(seriesOf(html)).toEqual(['a', 'b', 'other requesters (2)', 'SigV2 share']);
  });

  it('adds no line for the rest when every requester is a top one', () => {
    const html = htmlReport(
      input(
        [
          ['a', 9],
          [null, 1],
        ],
        5,
      ),
    );

    expect(seriesOf(html)).toEqual(['a', '(no requester)', 'SigV2 share']);
  });

  it('shows values from the logs as text, never as markup', () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const html = htmlReport(input([[`arn:aws:iam::1:user/"><b>x`, 3]], 5, hostile));

    expect(html).not.toMatch(/<script|<img|"><b>x/i);
    // The only markup inside a value is the report's own <wbr> (a place to wrap).
    const text = html.replaceAll('<wbr>', '');
    expect(text).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(text).toContain('arn:aws:iam::1:user/&#34;&#62;&#60;b&#62;x');
  });

  it('refers to nothing outside the file and allows no script', () => {
    const html = htmlReport(input([['a', 9]], 5));

    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('says so when there are no SigV2 requests, without NaN anywhere', () => {
    const html = htmlReport({ ...input([], 5), tally: new Map(), timeline: emptyTimeline() });

    expect(html).toContain('No SigV2 requests in these logs.');
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });
});

describe('lineChartSvg', () => {
  const ticks = (svg: string) =>
    [...svg.matchAll(/class="tick"[^>]*text-anchor="end">([^<]*)</g)].map((m) => m[1]);

  it('labels a count axis in whole steps, each value once', () => {
    const svg = lineChartSvg({
      label: 'x',
      days: [DAY, DAY + 1],
      series: [{ name: 'a', color: '#000', values: new Map([[DAY, 2]]) }],
      format: String,
      minStep: 1,
    });

    expect(ticks(svg)).toEqual(['0', '1', '2']);
  });

  it('draws nothing, and says why, when no day is covered', () => {
    const svg = lineChartSvg({ label: 'x', days: [], series: [], format: String });

    expect(svg).not.toContain('<svg');
    expect(svg).toContain('nothing to draw');
  });
});

describe('the chart note', () => {
  const note = (html: string) =>
    html.match(/<section id="per-requester"><h2>[^<]*<\/h2>\n<p class="note">([^<]*)/)?.[1];

  it('fits none, one, all and some of the requesters', () => {
    expect(note(htmlReport(input([], 5)))).toBe('No SigV2 requests in these logs: no requester to draw.');
    expect(note(htmlReport(input([['a', 1]], 5)))).toMatch(/^The one requester with SigV2 requests\. A gap/);
    expect(
      note(
        htmlReport(
          input(
            [
              ['a', 2],
              ['b', 1],
            ],
            5,
          ),
        ),
      ),
    ).toMatch(/^All 2 requesters with SigV2 requests\. A gap/);
    expect(
      note(
        htmlReport(
          input(
            [
              ['a', 2],
              ['b', 1],
            ],
            1,
          ),
        ),
      ),
    ).toMatch(/^The 1 requesters with the most SigV2 requests; the other 1 as one grey line\./);
  });
});

describe('breakable', () => {
  it('lets a value wrap after its separators, and inside a long run only every 24 characters', () => {
    expect(breakable('amzn-s3-demo-bucket.logs')).toBe('amzn-<wbr>s3-<wbr>demo-<wbr>bucket.<wbr>logs');
    expect(breakable('aws-cli/1.16.0 192.0.2.3')).toBe('aws-<wbr>cli/<wbr>1.16.0 192.0.2.3');
    expect(breakable('x'.repeat(50))).toBe(`${'x'.repeat(24)}<wbr>${'x'.repeat(24)}<wbr>xx`);
    expect(breakable('<b>/x')).toBe('&#60;b&#62;/<wbr>x');
  });
});
