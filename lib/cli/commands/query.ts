import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import type { SavedQuery } from '../../saved-queries';
import { SAVED_QUERIES } from '../../saved-queries';
import { openEngine, runSavedQuery } from '../engine/duckdb';
import { UsageError } from '../errors';
import type { Io } from '../io';
import { writeTo } from '../io';
import { CSV_HEADER } from '../reports/record-text';
import { writeRows } from '../reports/rows-text';
import type { ScanOptions } from './common';
import { addScanOptions, INPUTS_HELP, PROGRAM, runScan } from './common';

interface QueryOptions extends ScanOptions {
  readonly list?: boolean;
  readonly param: string[];
  readonly format: 'table' | 'csv' | 'jsonl';
}

/** `query`: a saved query of the Athena table, run locally on DuckDB over the given logs. */
export function queryCommand(io: Io): Command {
  const command = new Command('query')
    .description('run a saved query of the Athena table locally (same SQL, on DuckDB); --list shows them')
    .argument('[name]', 'the saved query (see --list)')
    .argument('[inputs...]', INPUTS_HELP)
    .option('--list', 'list the saved queries and their parameters')
    .option(
      '--param <value>',
      "a value for the query's next ? parameter, in order (repeat it); 'quoted' like Athena or bare",
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'csv', 'jsonl']).default('table'),
    );
  addScanOptions(command).action(
    async (name: string | undefined, inputs: string[], options: QueryOptions) => {
      if (options.list) return void (await writeTo(io.stdout)(listing()));
      if (name === undefined) throw new UsageError(`give a saved query's name, or --list to see them`);
      const query = SAVED_QUERIES.find((q) => q.name === name);
      if (query === undefined) {
        throw new UsageError(
          `no saved query named '${name}'; there are: ${SAVED_QUERIES.map((q) => q.name).join(', ')}`,
        );
      }
      const parameters = options.param.map(unquote);
      if (parameters.length !== query.parameters.length) {
        throw new UsageError(
          `${query.name} takes ${query.parameters.length} --param values in this order (got ${parameters.length}):\n` +
            query.parameters.map((p) => `  --param ${p.example}    ${p.name}: ${p.description}`).join('\n'),
        );
      }
      if (inputs.length === 0)
        throw new UsageError(`${query.name}: give the log files, folders or s3:// prefixes to read`);
      await runQuery(io, query, parameters, inputs, options);
    },
  );
  return command;
}

/** Athena takes parameters as SQL literals (`'2024/01/15'`); here the quotes are optional. */
function unquote(value: string): string {
  return /^'.*'$/s.test(value) ? value.slice(1, -1).replaceAll("''", "'") : value;
}

function listing(): string {
  return `${SAVED_QUERIES.map((q) => describe(q)).join('\n\n')}\n\nRun one: ${PROGRAM} query <name> <inputs...> --param <value>...\n`;
}

function describe(query: SavedQuery): string {
  const example = query.parameters.map((p) => `--param ${p.example}`).join(' ');
  return [
    `${query.name}: ${query.description}`,
    ...query.parameters.map((p, i) => `  ${i + 1}. ${p.name}: ${p.description}`),
    `  e.g. ${PROGRAM} query ${query.name} logs/ ${example}`,
  ].join('\n');
}

async function runQuery(
  io: Io,
  query: SavedQuery,
  parameters: string[],
  inputs: string[],
  options: QueryOptions,
): Promise<void> {
  // The records go to a temporary CSV file that DuckDB reads in parallel: faster than appending row by row,
  // and memory stays flat whatever the input size.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${PROGRAM}-`));
  const csvPath = path.join(dir, 'records.csv');
  // The file can be as large as the logs: remove it on Ctrl-C too, not only when the query ends.
  const interrupted = () => {
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  try {
    const file = fs.createWriteStream(csvPath);
    const write = writeTo(file);
    await write(CSV_HEADER);
    await runScan(io, inputs, options, { output: 'csv', sigv2: false, strict: false }, write);
    await new Promise<void>((resolve, reject) =>
      file.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    const connection = await openEngine(csvPath);
    try {
      const result = await runSavedQuery(connection, query, parameters);
      await writeRows(writeTo(io.stdout), result, options.format);
    } finally {
      connection.closeSync();
    }
  } finally {
    process.off('SIGINT', interrupted);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
