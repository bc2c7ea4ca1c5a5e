import type { DuckDBConnection } from '@duckdb/node-api';
import { Command, Option } from 'commander';
import { compactionSelect, LOCAL_ENGINE_MACROS } from 's3-access-logs/log-compaction/sql';
import {
  DEFAULT_LOOKBACK_DAYS,
  dayStatus,
  daysBefore,
  digestDays,
  isoDay,
  lookbackProblem,
  MAX_LOOKBACK_DAYS,
  parseDay,
  partitionDay,
} from 's3-access-logs/sigv2-watch/days';
import {
  buildDigest,
  type DigestRows,
  type Sigv2Digest,
  type SqlRow,
} from 's3-access-logs/sigv2-watch/digest';
import { DIGEST_QUERIES, type DigestDays, digestSql } from 's3-access-logs/sigv2-watch/digest-sql';
import { digestText } from 's3-access-logs/sigv2-watch/message';
import { RELATION } from '../engine/duckdb';
import { UsageError } from '../errors';
import { dayStartMs, parseDay as parseCliDay, timeWindow } from '../inputs/time-window';
import type { Io } from '../io';
import { writeTo } from '../io';
import type { ScanOptions, ScanRun } from './common';
import { addScanOptions, endRun, INPUTS_HELP, PROGRAM } from './common';
import { withRecordsInEngine } from './records-engine';

/**
 * `digest`: the SigV2 watch's daily digest, computed locally with the same SQL the deployed watch runs in
 * Athena, over the records of the given logs (DuckDB). Reads the day and the lookback window before it.
 */

interface DigestOptions extends ScanOptions {
  readonly day?: string;
  readonly lookbackDays: string;
  readonly format: 'table' | 'json';
}

/** The local compacted table: the window's records, compacted by the compaction's own SQL, day by day. */
export const COMPACTED_RELATION = 'access_logs_daily';

/**
 * Builds {@link COMPACTED_RELATION} from the raw relation of the local engine as the nightly compaction builds
 * the Athena table: one compaction SELECT per day of the window, the day as a column.
 */
export async function compactLocally(connection: DuckDBConnection, days: DigestDays): Promise<void> {
  // The compaction's SQL uses Trino functions the CLI engine does not define (regexp_like), or defines for the
  // saved queries' needs (parse_datetime): the compaction's own local definitions replace them here.
  for (const macro of LOCAL_ENGINE_MACROS)
    await connection.run(macro.replace(/^CREATE MACRO/, 'CREATE OR REPLACE MACRO'));
  await connection.run(
    `CREATE TEMP TABLE raw_window AS SELECT * FROM ${RELATION} WHERE day BETWEEN '${days.firstDay}' AND '${days.day}'`,
  );
  const selects = windowDays(days).map(
    (day) => `SELECT *, '${day}' AS day FROM (${compactionSelect({ source: 'raw_window', day })})`,
  );
  await connection.run(`CREATE TEMP TABLE ${COMPACTED_RELATION} AS\n${selects.join('\nUNION ALL\n')}`);
}

/** Every day of the window, oldest first, as `yyyy/MM/dd`. */
function windowDays(days: DigestDays): string[] {
  const first = parseDay(days.firstDay) as Date;
  const last = parseDay(days.day) as Date;
  const list: string[] = [];
  for (let d = first; d <= last; d = daysBefore(d, -1)) list.push(partitionDay(d));
  return list;
}

export function digestCommand(io: Io): Command {
  const command = new Command('digest')
    .description(
      "the SigV2 watch's digest of one day: SigV2 requests and requesters, new and gone requesters (same SQL as Athena)",
    )
    .argument('[inputs...]', INPUTS_HELP)
    .option('--day <day>', 'the UTC day to digest: 2026-11-29, 2026/11/29, today, yesterday or -1d')
    .option(
      '--lookback-days <n>',
      'a requester is new when it made no SigV2 request in these days before --day',
      String(DEFAULT_LOOKBACK_DAYS),
    )
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'));
  addScanOptions(command);
  // --day and --lookback-days set the days read: the scan's window options are refused, so not offered.
  for (const option of command.options)
    if (['--since', '--until'].includes(option.long ?? '')) option.hideHelp();
  command.action(async (inputs: string[], options: DigestOptions) => {
    const { day, lookbackDays } = validate(options);
    if (inputs.length === 0)
      throw new UsageError('digest: give the log files, folders or s3:// prefixes to read');
    const { digest, run } = await localDigest(io, inputs, day, lookbackDays, options);
    // Today (UTC) or later: the day's logs are partial or to come, which the output says (not "no records").
    const status = dayStatus(day, new Date());
    const write = writeTo(io.stdout);
    if (options.format === 'json') {
      const flagged = status === 'over' ? digest : { ...digest, unfinished: true, dayStatus: status };
      await write(`${JSON.stringify(flagged, null, 2)}\n`);
    } else
      await write(
        digestText(digest, {
          detailsSql: detailsCommand(inputs, digest.day),
          detailsWhere: 'locally',
          dayStatus: status,
          // Identities, user agents and IPs are what the reader acts on: never cut them here.
          maxValueChars: Number.POSITIVE_INFINITY,
        }),
      );
    // A digest over the inputs that could be read, from a run where some could not: exit 3.
    endRun(run);
  });
  return command;
}

function validate(options: DigestOptions): { day: Date; lookbackDays: number } {
  if (options.day === undefined)
    throw new UsageError(
      'digest: --day <day> is required (the UTC day to digest), e.g. --day 2026-11-29 or --day yesterday',
    );
  // The CLI's one vocabulary of days: yyyy-mm-dd, yyyy/mm/dd, today, yesterday, -7d (UTC).
  const dayNumber = parseCliDay(options.day);
  if (dayNumber === undefined) {
    throw new UsageError(
      `digest: --day must be a day as yyyy-mm-dd (or yyyy/mm/dd, today, yesterday, -7d), e.g. 2026-11-29 ` +
        `(got '${options.day}')`,
    );
  }
  const day = new Date(dayStartMs(dayNumber));
  // Digits only: Number() would also take '1e1' or '0x1f'.
  const text = options.lookbackDays.trim();
  const lookbackDays = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (lookbackProblem(lookbackDays) !== undefined) {
    throw new UsageError(
      `digest: --lookback-days must be a whole number of days from 1 to ${MAX_LOOKBACK_DAYS} ` +
        `(got '${options.lookbackDays}')`,
    );
  }
  if (options.since !== undefined || options.until !== undefined) {
    throw new UsageError(
      'digest: --since and --until do not apply: --day and --lookback-days set the days read',
    );
  }
  return { day, lookbackDays };
}

/** The saved query that lists the day's SigV2 requesters, as a command to run next. */
function detailsCommand(inputs: readonly string[], day: string): string {
  const d = day.replaceAll('-', '/');
  return `${PROGRAM} query sigv2-requesters ${inputs.join(' ')} --param ${d} --param ${d}`;
}

/** Runs the three digest queries on a DuckDB connection over a relation with the compacted table's columns. */
export async function runDigestQueries(
  connection: DuckDBConnection,
  relation: string,
  days: DigestDays,
): Promise<DigestRows> {
  const rows: Record<string, SqlRow[]> = {};
  for (const query of DIGEST_QUERIES) {
    const reader = await connection.runAndReadAll(digestSql(query, relation), query.parameters(days));
    rows[query.name] = reader.getRowObjectsJS() as SqlRow[];
  }
  return { days: rows.days ?? [], requesters: rows.requesters ?? [], facets: rows.facets ?? [] };
}

async function localDigest(
  io: Io,
  inputs: string[],
  day: Date,
  lookbackDays: number,
  options: DigestOptions,
): Promise<{ digest: Sigv2Digest; run: ScanRun }> {
  // The scan's window skips the dated S3 folders outside the days the digest reads.
  const window = timeWindow(isoDay(daysBefore(day, lookbackDays)), isoDay(day));
  const { result, run } = await withRecordsInEngine(io, inputs, options, window, async (connection) => {
    const days = digestDays(day, lookbackDays);
    await compactLocally(connection, days);
    const rows = await runDigestQueries(connection, COMPACTED_RELATION, days);
    return buildDigest({ day: isoDay(day), lookbackDays, rows });
  });
  return { digest: result, run };
}
