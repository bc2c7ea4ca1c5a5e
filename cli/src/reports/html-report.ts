import { escapeHtml, isoDay, legendHtml, lineChartSvg, type Series } from './html-chart';
import type { Timeline } from './html-timeline';
import { grouped, NO_REQUESTER } from './numbers';
import { isoSeconds } from './request-time';
import type { Counts, Sigv2Tally } from './sigv2-aggregate';

/**
 * `s3-access-logs report`: one self-contained HTML page (inline CSS and SVG, no script, nothing fetched) with
 * SigV2 requests per day for the top requesters, the share of SigV2 in signed requests per day, and a table
 * of every SigV2 requester. A pure function of the scan's results.
 */

export interface HtmlReportInput {
  /** The inputs as the user named them. */
  readonly inputs: readonly string[];
  /** When the report was made (ISO 8601). */
  readonly generatedAt: string;
  readonly records: number;
  readonly unparsed: number;
  readonly tally: Sigv2Tally;
  readonly timeline: Timeline;
  /** Requesters drawn as their own line; the rest are one line. */
  readonly top: number;
}

/** Colours for the top requesters (Tableau 10, a palette made to tell lines apart); the rest are grey. */
export const SERIES_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#17becf',
];
const OTHER_COLOR = '#8c8c8c';
/** Values listed per cell before "n more"; the rest fold into a <details>, at most LIST_MAX in all. */
const LIST_SHOWN = 3;
const LIST_MAX = 50;
function nameOf(requester: string | null): string {
  return requester ?? NO_REQUESTER;
}

/** Most first; ties by value, NULL last, so the page is the same on every run. */
function byCountThenValue(a: [string | null, number], b: [string | null, number]): number {
  if (a[1] !== b[1]) return b[1] - a[1];
  if (a[0] === b[0]) return 0;
  if (a[0] === null) return 1;
  if (b[0] === null) return -1;
  return a[0] < b[0] ? -1 : 1;
}

function ranked(counts: Counts): [string | null, number][] {
  return [...counts].sort(byCountThenValue);
}

/** A run of this many characters with no separator gets a break opportunity anyway (the last resort). */
const LONGEST_RUN = 24;
const LONG_RUN = new RegExp(`[\\s\\S]{1,${LONGEST_RUN}}`, 'g');

/**
 * A value from the logs as HTML that wraps at its own separators: after `-`, `/`, `:`, `_` and `.` (a bucket
 * name, an ARN, a user agent), and inside a long run without one only every LONGEST_RUN characters. So a table
 * column never needs to be narrower than such a piece, and words are not broken where a separator would do
 * (`overflow-wrap:anywhere` broke bucket names at any letter).
 */
export function breakable(value: string): string {
  // After a separator; a `.` only before a letter, so a version (1.16.0) or an IP stays whole.
  const pieces = value.split(/(?<=[-/:_]|\.(?!\d))/).flatMap((piece) => piece.match(LONG_RUN) ?? []);
  return pieces.map(escapeHtml).join('<wbr>');
}

function listCell(counts: Counts | undefined): string {
  const values = ranked(counts ?? new Map());
  const item = ([value, n]: [string | null, number]) =>
    `<li><span class="value">${breakable(value ?? '(none)')}</span> <span class="count">${grouped(n)}</span></li>`;
  const head = `<ul>${values.slice(0, LIST_SHOWN).map(item).join('')}</ul>`;
  if (values.length <= LIST_SHOWN) return head;
  const folded = values.slice(LIST_SHOWN, LIST_MAX);
  const beyond = values.length - LIST_SHOWN - folded.length;
  const tail =
    beyond > 0 ? `<p class="more">and ${grouped(beyond)} more (sigv2 --format csv lists all)</p>` : '';
  return (
    `${head}<details><summary>${grouped(values.length - LIST_SHOWN)} more</summary>` +
    `<ul>${folded.map(item).join('')}</ul>${tail}</details>`
  );
}

function seen(ms: number): string {
  return Number.isFinite(ms) ? isoSeconds(ms).replace('T', ' ') : '?';
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:24px auto;max-width:1200px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 4px}
.lead{color:#57606a;margin:0 0 8px}.note{color:#57606a;font-size:13px}
.chart{width:100%;height:auto;display:block}
.chart .grid{stroke:#e5e7eb}.chart .axis{stroke:#9ca3af}.chart .tick{font-size:11px;fill:#57606a}
.legend{list-style:none;padding:0;margin:6px 0 0;display:flex;flex-wrap:wrap;gap:4px 18px;font-size:13px}
.legend li{display:flex;align-items:center;gap:6px;max-width:100%}.legend .name{word-break:break-all}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;flex:none}
.count{color:#57606a;font-variant-numeric:tabular-nums}
table{border-collapse:collapse;width:100%;font-size:13px;margin-top:8px}
th,td{border-bottom:1px solid #e5e7eb;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td ul{list-style:none;margin:0;padding:0}td .value{overflow-wrap:break-word}
td.requester{overflow-wrap:break-word;min-width:14em}td.short{white-space:nowrap}
details summary{cursor:pointer;color:#0969da}.more{margin:2px 0;color:#57606a}
.summary{display:flex;flex-wrap:wrap;gap:8px 28px;margin:12px 0}
.summary div{background:#f6f8fa;border-radius:6px;padding:8px 12px}.summary b{display:block;font-size:18px}
`;

/** What the per-requester chart shows, in words that fit none, one, or more requesters. */
function chartNote(top: number, rest: number): string {
  if (top === 0) return 'No SigV2 requests in these logs: no requester to draw.';
  const gap = ' A gap is a day without signed requests in the logs.';
  if (rest === 0)
    return `${top === 1 ? 'The one requester' : `All ${grouped(top)} requesters`} with SigV2 requests.${gap}`;
  return `The ${grouped(top)} requesters with the most SigV2 requests; the other ${grouped(rest)} as one grey line.${gap}`;
}

export function htmlReport(input: HtmlReportInput): string {
  const { tally, timeline } = input;
  const requesters = [...tally].sort((a, b) =>
    byCountThenValue([a[0], a[1].requests], [b[0], b[1].requests]),
  );
  const top = requesters.slice(0, input.top).map(([r]) => r);
  const rest = requesters.slice(input.top).map(([r]) => r);
  const days = [...timeline.signed.keys()].sort((a, b) => a - b);
  const daysOf = (r: string | null) => timeline.requesters.get(r)?.days ?? new Map<number, number>();

  const series: Series[] = top.map((r, i) => ({
    name: nameOf(r),
    color: SERIES_COLORS[i % SERIES_COLORS.length],
    values: daysOf(r),
  }));
  const totals = top.map((r) => tally.get(r)?.requests ?? 0);
  if (rest.length > 0) {
    const values = new Map<number, number>();
    for (const r of rest) for (const [d, n] of daysOf(r)) values.set(d, (values.get(d) ?? 0) + n);
    series.push({ name: `other requesters (${grouped(rest.length)})`, color: OTHER_COLOR, values });
    totals.push(rest.reduce((sum, r) => sum + (tally.get(r)?.requests ?? 0), 0));
  }
  const share = new Map<number, number>();
  let v2 = 0;
  let v4 = 0;
  for (const [d, [a, b]] of timeline.signed) {
    share.set(d, (100 * a) / (a + b));
    v2 += a;
    v4 += b;
  }
  const sigv2Requests = requesters.reduce((sum, [, t]) => sum + t.requests, 0);
  const percent = (v: number) => `${v > 0 && v < 10 && !Number.isInteger(v) ? v.toFixed(1) : v.toFixed(0)} %`;
  const period =
    days.length > 0 ? `${isoDay(days[0])} to ${isoDay(days[days.length - 1])}` : 'no dated requests';

  const rows = requesters.map(([r, t], i) => {
    const over = timeline.requesters.get(r);
    // The colour of the requester's line in the chart, beside its rank.
    const swatch = i < input.top ? `<span class="swatch" style="background:${series[i].color}"></span> ` : '';
    return (
      `<tr><td class="num">${swatch}${i + 1}</td><td class="requester">${breakable(nameOf(r))}</td>` +
      `<td class="num">${grouped(t.requests)}</td><td class="num">${seen(t.firstMs)}<br>${seen(t.lastMs)}</td>` +
      `<td class="short">${listCell(over?.authTypes)}</td><td class="short">${listCell(over?.tlsVersions)}</td>` +
      `<td>${listCell(t.userAgents)}</td><td class="short">${listCell(t.remoteIps)}</td>` +
      `<td>${listCell(t.buckets)}</td></tr>`
    );
  });
  const undated =
    timeline.undatedSigV2 > 0
      ? `<p class="note">${grouped(timeline.undatedSigV2)} SigV2 requests have no readable request time and are in no day.</p>`
      : '';
  const unparsed =
    input.unparsed > 0
      ? `<div><b>${grouped(input.unparsed)}</b>lines that are not records (skipped)</div>`
      : '';
  const inputs =
    input.inputs.length <= 5
      ? input.inputs.join(', ')
      : `${input.inputs.slice(0, 5).join(', ')} and ${input.inputs.length - 5} more`;

  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SigV2 requests: ${escapeHtml(period)}</title><style>${STYLE}</style></head>
<body>
<h1>Who still signs S3 requests with Signature Version 2</h1>
<p class="lead">From S3 server access logs: ${escapeHtml(inputs)}. Days are UTC; made ${escapeHtml(input.generatedAt)} by s3-access-logs report.</p>
<div class="summary">
<div><b>${grouped(input.records)}</b>records read</div>
<div><b>${grouped(sigv2Requests)}</b>SigV2 requests</div>
<div><b>${v2 + v4 > 0 ? percent((100 * v2) / (v2 + v4)) : '-'}</b>of signed requests are SigV2</div>
<div><b>${grouped(requesters.length)}</b>SigV2 requesters</div>
<div><b>${escapeHtml(period)}</b>period</div>
${unparsed}</div>
<section id="per-requester"><h2>SigV2 requests per day, by requester</h2>
<p class="note">${chartNote(top.length, rest.length)}</p>
${lineChartSvg({ label: 'SigV2 requests per day by requester', days, series, format: grouped, minStep: 1 })}
${legendHtml(series, totals)}${undated}</section>
<section id="share"><h2>Share of SigV2 in signed requests per day</h2>
<p class="note">SigV2 / (SigV2 + SigV4) requests; falling means clients are moving to SigV4. Unsigned (anonymous) requests are not counted.</p>
${lineChartSvg({ label: 'Share of SigV2 in signed requests per day', days, series: [{ name: 'SigV2 share', color: '#e15759', values: share }], format: percent, max: share.size > 0 && Math.max(...share.values()) > 50 ? 100 : undefined })}
</section>
<section id="requesters"><h2>SigV2 requesters</h2>
<table><thead><tr><th>#</th><th>Requester</th><th>SigV2 requests</th><th>First / last seen (UTC)</th><th>Auth type</th><th>TLS version</th><th>User agents</th><th>Remote IPs</th><th>Buckets</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>${requesters.length === 0 ? '<p>No SigV2 requests in these logs.</p>' : ''}</section>
</body></html>
`;
}
