import { Command, Option } from 'commander';
import type { Io } from '../io';
import { CSV_HEADER } from '../reports/record-text';
import type { ScanOptions } from './common';
import { addScanOptions, INPUTS_HELP, runScan, stdoutWriter } from './common';

interface ParseOptions extends ScanOptions {
  readonly format: 'jsonl' | 'csv';
  readonly strict?: boolean;
}

/** `parse`: every record, with the table's 27 columns and values, as JSON Lines or CSV. */
export function parseCommand(io: Io): Command {
  const command = new Command('parse')
    .description("print every log record with the Athena table's 27 columns and values")
    .argument('<inputs...>', INPUTS_HELP)
    .addOption(
      new Option(
        '--format <format>',
        'jsonl: one JSON object per line; csv: a header row, then one row per record',
      )
        .choices(['jsonl', 'csv'])
        .default('jsonl'),
    )
    .option('--strict', 'stop with exit code 1 at the first line that is not a record');
  addScanOptions(command).action(async (inputs: string[], options: ParseOptions) => {
    const write = stdoutWriter(io);
    if (options.format === 'csv') await write(CSV_HEADER);
    await runScan(
      io,
      inputs,
      options,
      { output: options.format, sigv2: false, strict: options.strict ?? false },
      write,
    );
  });
  return command;
}
