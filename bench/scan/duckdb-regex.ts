/**
 * Baseline for bench/scan: DuckDB reading a log file line by line and applying a regex with regexp_extract
 * (its list-of-names form, since group numbers above 9 are not accepted), counting SigV2 lines, on N threads.
 * Prints the count. Usage: duckdb-regex.ts FILE THREADS aws|table
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { ACCESS_LOG_REGEX, AWS_DOCUMENTED_REGEX, COLUMN_NAMES } from '../../lib/log-format';

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

async function main(file: string, threads: string, which: string): Promise<void> {
  const regex = which === 'aws' ? AWS_DOCUMENTED_REGEX : ACCESS_LOG_REGEX;
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run(`SET threads = ${Number(threads)}`);
  const names = `[${COLUMN_NAMES.map(quote).join(', ')}]`;
  // A delimiter that never occurs and no quoting: one VARCHAR per line.
  const lines =
    `read_csv(${quote(file)}, columns = {'line': 'VARCHAR'}, header = false, auto_detect = false, ` +
    `delim = '\\x01', quote = '', escape = '', max_line_size = 16777216)`;
  const sql = `SELECT count(*) AS n FROM ${lines} WHERE regexp_extract(line, ${quote(`^(?:${regex})$`)}, ${names}).sigv = 'SigV2'`;
  const rows = (await connection.runAndReadAll(sql)).getRowsJS();
  console.log(`sigv2=${rows[0][0]}`);
}

void main(process.argv[2], process.argv[3], process.argv[4]);
