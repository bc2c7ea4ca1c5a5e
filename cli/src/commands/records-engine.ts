import type { DuckDBConnection } from '@duckdb/node-api';
import { openEngine } from '../engine/duckdb';
import type { TimeWindow } from '../inputs/time-window';
import type { Io } from '../io';
import { CSV_HEADER } from '../reports/record-text';
import type { ScanOptions, ScanRun } from './common';
import { PROGRAM, runScan } from './common';
import { TempCopy } from './temp-copy';

/**
 * What `query` and `digest` share: the records of `window` go to a temporary CSV copy that DuckDB reads in
 * parallel (faster than appending row by row, and memory stays flat whatever the input size), then `use` runs on
 * a connection over it. A corrupt gzip file's records may be garbage (zlib finds out at the end), so they leave
 * the copy before DuckDB sees it. The connection is closed and the copy removed on every exit.
 */
export async function withRecordsInEngine<T>(
  io: Io,
  inputs: readonly string[],
  options: ScanOptions,
  window: TimeWindow,
  use: (connection: DuckDBConnection, run: ScanRun) => Promise<T>,
): Promise<{ readonly result: T; readonly run: ScanRun }> {
  const temp = TempCopy.create();
  try {
    if (options.verbose)
      io.stderr.write(`${PROGRAM}: temporary copy of the records in ${temp.dir} (removed at exit)\n`);
    await temp.write(CSV_HEADER);
    const run = await runScan(
      io,
      inputs,
      options,
      { output: 'csv', sigv2: false, window, dropsUntrusted: true },
      temp.write,
      (bytes) => temp.warnIfShort(io, bytes),
    );
    await temp.close();
    temp.dropInputs(run.summary.untrusted);
    const connection = await openEngine(temp.file);
    try {
      return { result: await use(connection, run), run };
    } finally {
      connection.closeSync();
    }
  } finally {
    temp.remove();
  }
}
