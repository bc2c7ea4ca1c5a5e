import { grouped } from './numbers';
import { csvCell } from './record-text';
import type { RequesterReport, Sigv2Summary, ValueCount } from './sigv2-report';

/** The SigV2 report for people (`--format table`, fits 100 columns) and for spreadsheets (`--format csv`). */

const WIDTH = 100;
const LABEL = 16;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${grouped(n)} ${n === 1 ? one : many}`;
}

/** Cuts a value to `width` characters, marking the cut. */
function clip(value: string, width: number): string {
  return value.length <= width ? value : `${value.slice(0, width - 1)}…`;
}

function shown(value: string | null): string {
  return value ?? '(none)';
}

function rows(label: string, counts: ValueCount[]): string[] {
  const countWidth = Math.max(...counts.map((c) => grouped(c.requests).length));
  return counts.map((c, i) => {
    const count = grouped(c.requests).padStart(countWidth);
    const head = `   ${(i === 0 ? label : '').padEnd(LABEL)}${count}  `;
    return head + clip(shown(c.value), WIDTH - head.length);
  });
}

function requesterBlock(r: RequesterReport, rank: number): string[] {
  const title = `${rank}. ${r.requester ?? '(anonymous)'}`;
  return [
    clip(title, WIDTH),
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
  return `${[head, ...blocks].join('\n\n')}\n`;
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
