import { grouped, NO_REQUESTER } from './numbers';
import { csvCell } from './record-text';
import type { RequesterReport, Sigv2Summary, ValueCount } from './sigv2-report';

/**
 * The SigV2 report for people (`--format table`) and for spreadsheets (`--format csv`). The table shows the top
 * few values of each list per requester and counts the rest (the CSV and JSON formats have every value); it
 * never cuts a value: an identity or user agent longer than the line is printed whole.
 */

/** Values shown per list in the table. */
export const TABLE_TOP = 3;
const LABEL = 16;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${grouped(n)} ${n === 1 ? one : many}`;
}

function shown(value: string | null): string {
  return value ?? '(none)';
}

function rows(label: string, counts: ValueCount[]): string[] {
  const top = counts.slice(0, TABLE_TOP);
  const rest = counts.slice(TABLE_TOP);
  const countWidth = Math.max(...top.map((c) => grouped(c.requests).length));
  const lines = top.map((c, i) => {
    const count = grouped(c.requests).padStart(countWidth);
    return `   ${(i === 0 ? label : '').padEnd(LABEL)}${count}  ${shown(c.value)}`;
  });
  if (rest.length > 0) {
    const requests = rest.reduce((sum, c) => sum + c.requests, 0);
    lines.push(`   ${''.padEnd(LABEL)}${plural(rest.length, 'other')}: ${plural(requests, 'request')}`);
  }
  return lines;
}

function requesterBlock(r: RequesterReport, rank: number): string[] {
  return [
    `${rank}. ${r.requester ?? NO_REQUESTER}`,
    `   ${'requests'.padEnd(LABEL)}${grouped(r.requests)}`,
    `   ${'seen'.padEnd(LABEL)}${r.firstSeen ?? '?'} to ${r.lastSeen ?? '?'}`,
    ...rows('user agents', r.userAgents),
    ...rows('remote IPs', r.remoteIps),
    ...rows('buckets', r.buckets),
    ...rows('operations', r.operations),
  ];
}

export function sigv2Table(summary: Sigv2Summary): string {
  const read = `${plural(summary.records, 'record')} read, ${plural(summary.unparsed, 'line')} unparsed`;
  if (summary.requesters.length === 0) return `No SigV2 requests (${read}).\n`;
  const head =
    `SigV2: ${plural(summary.sigv2Requests, 'request')} from ` +
    `${plural(summary.requesters.length, 'requester')} (${read}), most requests first.`;
  const blocks = summary.requesters.map((r, i) => requesterBlock(r, i + 1).join('\n'));
  const cut = summary.requesters.some((r) =>
    [r.userAgents, r.remoteIps, r.buckets, r.operations].some((list) => list.length > TABLE_TOP),
  );
  const foot = cut ? [`(The top ${TABLE_TOP} of each list; --format json or csv has them all.)`] : [];
  return `${[head, ...blocks, ...foot].join('\n\n')}\n`;
}

export const SIGV2_CSV_COLUMNS = [
  'requester',
  'requests',
  'firstSeen',
  'lastSeen',
  'userAgents',
  'remoteIps',
  'buckets',
  'operations',
] as const;

/** A list cell: `value (requests)` joined by `; ` (the JSON format has the exact values). */
function listCell(counts: ValueCount[]): string {
  return csvCell(counts.map((c) => `${shown(c.value)} (${c.requests})`).join('; '));
}

/** One row per requester; an anonymous requester is an empty cell, as NULL is in `parse --format csv`. */
export function sigv2Csv(summary: Sigv2Summary): string {
  const lines = [SIGV2_CSV_COLUMNS.join(',')];
  for (const r of summary.requesters) {
    lines.push(
      [
        r.requester === null ? '' : csvCell(r.requester),
        String(r.requests),
        r.firstSeen ?? '',
        r.lastSeen ?? '',
        listCell(r.userAgents),
        listCell(r.remoteIps),
        listCell(r.buckets),
        listCell(r.operations),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
