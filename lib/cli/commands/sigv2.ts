import { Command, Option } from 'commander';
import type { Io } from '../io';
import { summarize } from '../reports/sigv2-report';
import { sigv2Csv, sigv2Table } from '../reports/sigv2-text';
import type { ScanOptions } from './common';
import { addScanOptions, INPUTS_HELP, runScan, stdoutWriter } from './common';

interface Sigv2Options extends ScanOptions {
  readonly format: 'table' | 'json' | 'csv';
}

/** `sigv2`: who still signs requests with Signature Version 2, grouped by requester, most requests first. */
export function sigv2Command(io: Io): Command {
  const command = new Command('sigv2')
    .description('list the requesters that sign requests with Signature Version 2, most requests first')
    .argument('<inputs...>', INPUTS_HELP)
    .addOption(
      new Option(
        '--format <format>',
        'table: for people; json: every parsed record plus the report; csv: one row per requester',
      )
        .choices(['table', 'json', 'csv'])
        .default('table'),
    );
  addScanOptions(command).action(async (inputs: string[], options: Sigv2Options) => {
    const write = stdoutWriter(io);
    switch (options.format) {
      case 'table':
      case 'csv': {
        const { summary } = await runScan(io, inputs, options, {
          output: 'none',
          sigv2: true,
          strict: false,
        });
        const report = summarize(summary.sigv2, summary.records, summary.unparsed);
        await write(options.format === 'table' ? sigv2Table(report) : sigv2Csv(report));
        return;
      }
      case 'json':
        return sigv2Json(io, inputs, options);
      default: {
        const unexpected: never = options.format;
        throw new Error(`unknown format ${unexpected}`);
      }
    }
  });
  return command;
}

/**
 * `{"records": [...], "unparsed": n, "sigv2Requests": n, "requesters": [...]}`, streamed: the records go out as
 * they are read (one per line), the report after them.
 */
async function sigv2Json(io: Io, inputs: string[], options: Sigv2Options): Promise<void> {
  const write = stdoutWriter(io);
  let first = true;
  await write('{"records":[');
  const { summary } = await runScan(
    io,
    inputs,
    options,
    { output: 'json-array', sigv2: true, strict: false },
    (chunk) => {
      // Every record comes with a leading ",\n"; the very first one's comma must go.
      const out = first ? chunk.subarray(1) : chunk;
      first = false;
      return write(out);
    },
  );
  const report = summarize(summary.sigv2, summary.records, summary.unparsed);
  await write(
    `\n],\n"unparsed":${report.unparsed},\n"sigv2Requests":${report.sigv2Requests},\n` +
      `"requesters":${JSON.stringify(report.requesters, null, 2)}}\n`,
  );
}
