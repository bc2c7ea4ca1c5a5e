import { Command, Option } from 'commander';
import { UsageError } from '../errors';
import type { Io } from '../io';
import { CSV_HEADER } from '../reports/record-text';
import type { ScanOptions } from './common';
import { addScanOptions, endRun, INPUTS_HELP, runScan, stdoutWriter } from './common';

interface ParseOptions extends ScanOptions {
  readonly format: 'jsonl' | 'json' | 'csv';
  readonly sigv2?: boolean;
}

/**
 * In a JSON record as the encoder writes it, the exact text of a SigV2 signature: inside a JSON string every `"`
 * is escaped, so these bytes can only be the `sigv` member itself.
 */
const SIGV2_MEMBER = ',"sigv":"SigV2",';

/**
 * Keeps the SigV2 records of JSON Lines output. Every chunk holds whole records (see RecordEncoder), one per
 * line, so a chunk is filtered on its own.
 */
function sigv2Lines(write: (chunk: Uint8Array | string) => Promise<void>) {
  return (chunk: Uint8Array): Promise<void> => {
    const kept = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      .toString('utf8')
      .split('\n')
      .filter((line) => line.includes(SIGV2_MEMBER));
    return kept.length === 0 ? Promise.resolve() : write(`${kept.join('\n')}\n`);
  };
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
    )
    .option('--sigv2', 'only the records signed with Signature Version 2 (--format jsonl or json)');
  addScanOptions(command).action(async (inputs: string[], options: ParseOptions) => {
    const write = stdoutWriter(io);
    if (options.sigv2 && options.format === 'csv')
      throw new UsageError('--sigv2 works with --format jsonl or json (not csv)');
    if (options.sigv2) return parseSigv2(io, inputs, options, write);
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

/** `parse --sigv2`: JSON Lines filtered to SigV2 records, or those records as one JSON array. */
async function parseSigv2(
  io: Io,
  inputs: string[],
  options: ParseOptions,
  write: (chunk: Uint8Array | string) => Promise<void>,
): Promise<void> {
  let first = true;
  const array = options.format === 'json';
  const out = array
    ? async (chunk: Uint8Array | string) => {
        const records = String(chunk).trimEnd().split('\n');
        await write(`${first ? '[\n' : ',\n'}${records.join(',\n')}`);
        first = false;
      }
    : write;
  const run = await runScan(io, inputs, options, { output: 'jsonl', sigv2: false }, sigv2Lines(out));
  if (array) await write(first ? '[]\n' : '\n]\n');
  endRun(run);
}
