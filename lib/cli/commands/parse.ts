import { Command, Option } from 'commander';
import type { Io } from '../io';
import { CSV_HEADER } from '../reports/record-text';
import type { ScanOptions } from './common';
import { addScanOptions, endRun, INPUTS_HELP, runScan, stdoutWriter } from './common';

interface ParseOptions extends ScanOptions {
  readonly format: 'jsonl' | 'json' | 'csv';
}

/** `parse`: every record, with the table's 27 columns and values, as JSON Lines, one JSON array, or CSV. */
export function parseCommand(io: Io): Command {
  const command = new Command('parse')
    .description("print every log record with the Athena table's 27 columns and values")
    .argument('<inputs...>', INPUTS_HELP)
    .addOption(
      new Option(
        '--format <format>',
        'jsonl: one JSON object per line; json: one JSON array; csv: a header row, then one row per record',
      )
        .choices(['jsonl', 'json', 'csv'])
        .default('jsonl'),
    );
  addScanOptions(command).action(async (inputs: string[], options: ParseOptions) => {
    const write = stdoutWriter(io);
    switch (options.format) {
      case 'jsonl':
      case 'csv': {
        if (options.format === 'csv') await write(CSV_HEADER);
        const run = await runScan(io, inputs, options, { output: options.format, sigv2: false }, write);
        return endRun(run);
      }
      case 'json': {
        // Every element comes with a leading ",\n"; the very first one's comma must go.
        let first = true;
        await write('[');
        const run = await runScan(io, inputs, options, { output: 'json-array', sigv2: false }, (chunk) => {
          const out = first ? chunk.subarray(1) : chunk;
          first = false;
          return write(out);
        });
        await write(first ? ']\n' : '\n]\n');
        return endRun(run);
      }
      default: {
        const unexpected: never = options.format;
        throw new Error(`unknown format ${unexpected}`);
      }
    }
  });
  return command;
}
