/**
 * `npm run --silent bench:compaction`: what the daily compaction saves the fleet-wide SigV2 report.
 *
 * 1. Generates one day of synthetic logs (bench/scan/synthetic-log.ts: 1 GiB by default, BENCH_COMPACTION_MB to
 *    change; 1,200 source buckets; about 5% SigV2), once, into .bench/.
 * 2. Reads it as the raw table does (the log module's splitter, which tests hold to the table's regex) into the
 *    relation the CLI's engine builds (27 columns, `bucket`, `day`).
 * 3. Compacts it with the production SQL (lib/log-compaction/sql.ts), in chunks of buckets as the state machine
 *    does, through DuckDB into ZSTD Parquet with row groups near what Athena's writer makes (BENCH_ROW_GROUP rows).
 * 4. From the Parquet metadata, adds up what Athena would read for `sigv2-requesters` over that day: the column
 *    chunks of the columns the query names, in the row groups whose `sigv` statistics can hold 'SigV2' (footers
 *    and Athena's 10 MB minimum per query are left out).
 * 5. Runs `sigv2-requesters` on the Parquet files and checks its total against the generator's SigV2 count.
 *
 * Last line of stdout: one JSON object. rawMb and parquetMb are 10^6 bytes; objectsIn counts the log objects the
 * day would be delivered as if S3 wrote one per bucket and hour (it writes more, smaller ones); objectsOut the
 * Parquet files; seconds the compaction alone (step 3).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { RELATION, relationSql } from '../../cli/src/engine/duckdb';
import { CSV_HEADER, csvRecord } from '../../cli/src/reports/record-text';
import {
  COMPACTED_COLUMNS,
  chunkBuckets,
  compactionSelect,
  LOCAL_ENGINE_MACROS,
} from '../../lib/log-compaction/sql';
import { fieldOffsets, splitLine } from '../../lib/log-format/split';
import { renderSql, SAVED_QUERIES } from '../../lib/saved-queries';
import { syntheticLog } from '../scan/synthetic-log';

const ROOT = path.join(__dirname, '..', '..');
const WORK = path.join(ROOT, '.bench');
const MB = 1e6;
const DAY = '2026/11/29';
const BUCKETS = 1200;
const CHUNK_SIZE = 1000;

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** The log as CSV records (what `s3-access-logs parse --format csv` writes), for DuckDB to read in parallel. */
function toCsv(logPath: string, csvPath: string): { records: number; objectsIn: number } {
  const out = fs.openSync(csvPath, 'w');
  fs.writeSync(out, CSV_HEADER);
  const offsets = fieldOffsets();
  const objects = new Set<string>();
  const fd = fs.openSync(logPath, 'r');
  const chunk = Buffer.alloc(16 << 20);
  let carry = Buffer.alloc(0);
  let records = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      let text = '';
      for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
        if (splitLine(buf, start, nl, offsets)) {
          text += csvRecord(buf, offsets);
          records++;
          // bucket_name (field 1) and the hour of requestdatetime (field 2): one delivered object per pair.
          objects.add(
            `${buf.toString('latin1', offsets[2], offsets[3])} ${buf.toString('latin1', offsets[4], offsets[4] + 14)}`,
          );
        }
        start = nl + 1;
        if (text.length > 4 << 20) {
          fs.writeSync(out, text);
          text = '';
        }
      }
      fs.writeSync(out, text);
      carry = Buffer.from(buf.subarray(start));
    }
  } finally {
    fs.closeSync(fd);
    fs.closeSync(out);
  }
  return { records, objectsIn: objects.size };
}

async function scalar(db: DuckDBConnection, sql: string): Promise<unknown> {
  return (await db.runAndReadAll(sql)).getRowsJS()[0][0];
}

/** Columns of the compacted files that a query names (as whole words). */
function columnsOf(sql: string): string[] {
  return COMPACTED_COLUMNS.map((c) => c.name).filter((name) => new RegExp(`\\b${name}\\b`).test(sql));
}

async function main(): Promise<void> {
  const targetMb = Number(process.env.BENCH_COMPACTION_MB ?? 1024);
  const rowGroup = Number(process.env.BENCH_ROW_GROUP ?? 400_000);
  fs.mkdirSync(WORK, { recursive: true });
  log(`generating ${targetMb} MiB of one day's logs of ${BUCKETS} buckets (cached in .bench/)`);
  const raw = syntheticLog(WORK, Math.round(targetMb * 2 ** 20), {
    buckets: BUCKETS,
    day: Date.UTC(2026, 10, 29),
  });

  const csv = path.join(WORK, 'compaction-raw.csv');
  let started = Date.now();
  const { records, objectsIn } = toCsv(raw.path, csv);
  log(`parsed ${records} records in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run("SET TimeZone = 'UTC'");
  await db.run('SET threads = 2');
  await db.run("SET memory_limit = '3GB'");
  await db.run(`SET temp_directory = '${path.join(WORK, 'duckdb-tmp')}'`);
  for (const macro of LOCAL_ENGINE_MACROS) await db.run(macro);
  await db.run(relationSql(csv));
  // The raw table reads the text each time; a table here keeps the CSV parse out of the compaction's time.
  await db.run(`CREATE TABLE raw AS SELECT * FROM ${RELATION}`);

  const buckets = (await db.runAndReadAll(`SELECT DISTINCT bucket FROM raw WHERE day = '${DAY}' ORDER BY 1`))
    .getRowsJS()
    .map((r) => String(r[0]));
  const outDir = path.join(WORK, 'compacted', DAY);
  fs.rmSync(path.join(WORK, 'compacted'), { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  started = Date.now();
  const files: string[] = [];
  for (const [i, chunk] of chunkBuckets(buckets, CHUNK_SIZE).entries()) {
    const file = path.join(outDir, `chunk-${String(i).padStart(5, '0')}.parquet`);
    await db.run(
      `COPY (${compactionSelect({ source: 'raw', day: DAY, buckets: chunk })}) TO '${file}' ` +
        `(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroup})`,
    );
    files.push(file);
  }
  const seconds = (Date.now() - started) / 1000;
  log(`compacted into ${files.length} files in ${seconds.toFixed(1)} s`);

  const list = `[${files.map((f) => `'${f}'`).join(', ')}]`;
  const query = SAVED_QUERIES.find((q) => q.name === 'sigv2-requesters');
  if (query === undefined) throw new Error('no sigv2-requesters saved query');
  const columns = columnsOf(query.sql);
  const quoted = columns.map((c) => `'${c}'`).join(', ');
  // Row groups whose sigv statistics cannot hold 'SigV2' are skipped, as Athena's Parquet reader does.
  const readBytes = Number(
    await scalar(
      db,
      `WITH groups AS (
         SELECT file_name, row_group_id FROM parquet_metadata(${list})
         WHERE path_in_schema = 'sigv' AND (stats_min_value IS NULL OR stats_min_value <= 'SigV2')
           AND (stats_max_value IS NULL OR stats_max_value >= 'SigV2'))
       SELECT sum(total_compressed_size) FROM parquet_metadata(${list}) m
       JOIN groups USING (file_name, row_group_id)
       WHERE m.path_in_schema IN (${quoted})`,
    ),
  );
  const rowGroups = Number(
    await scalar(db, `SELECT count(DISTINCT (file_name, row_group_id)) FROM parquet_metadata(${list})`),
  );
  log(`sigv2-requesters reads columns ${columns.join(', ')}; ${rowGroups} row groups in all`);

  await db.run(`CREATE VIEW compacted AS SELECT *, '${DAY}' AS day FROM read_parquet(${list})`);
  const prepared = await db.prepare(renderSql(query, 'compacted'));
  prepared.bindVarchar(1, DAY);
  prepared.bindVarchar(2, DAY);
  const report = (await prepared.runAndReadAll()).getRowObjectsJS();
  const sigv2 = report.reduce((sum, row) => sum + Number(row.requests), 0);
  const compactedRecords = Number(await scalar(db, 'SELECT count(*) FROM compacted'));
  const parquetBytes = files.reduce((sum, f) => sum + fs.statSync(f).size, 0);

  const result = {
    rawMb: round(raw.bytes / MB),
    buckets: buckets.length,
    records: compactedRecords,
    parquetMb: round(parquetBytes / MB),
    sigv2QueryMb: round(readBytes / MB),
    costRatio: round(raw.bytes / readBytes),
    objectsIn,
    objectsOut: files.length,
    seconds: round(seconds),
    sigv2Exact: sigv2 === raw.sigv2 && compactedRecords === records,
  };
  log(`generator: ${raw.lines} lines, ${raw.sigv2} SigV2; report: ${sigv2} SigV2 requests`);
  console.log(JSON.stringify(result));
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
