import { Command, Option } from 'commander';
import type { Io } from '../io';
import { summarize } from '../reports/sigv2-report';
import { sigv2Csv, sigv2Table } from '../reports/sigv2-text';
import type { ScanOptions } from './common';
import { addScanOptions, endRun, INPUTS_HELP, runScan, stdoutWriter } from './common';

type Sigv2Format = 'table' | 'json' | 'jsonl' | 'csv';

interface Sigv2Options extends ScanOptions {
  readonly format: Sigv2Format;
}

/** `sigv2`: who still signs requests with Signature Version 2, grouped by requester, most requests first. */
export function sigv2Command(io: Io): Command {
  const command = new Command('sigv2')
    .description('list the requesters that sign requests with Signature Version 2, most requests first')
    .argument('<inputs...>', INPUTS_HELP)
    .addOption(
      new Option(
        '--format <format>',
        'table: for people (the top values per requester); json: the report as one document, full lists; ' +
          'jsonl: one requester per line; csv: one row per requester',
      )
        .choices(['table', 'json', 'jsonl', 'csv'])
        .default('table'),
    );
  addScanOptions(command).action(async (inputs: string[], options: Sigv2Options) => {
    const run = await runScan(io, inputs, options, { output: 'none', sigv2: true });
    const { summary } = run;
    const report = summarize(summary.sigv2, summary.records, summary.unparsed);
    await stdoutWriter(io)(render(report, options.format));
    endRun(run);
  });
  return command;
}

function render(report: ReturnType<typeof summarize>, format: Sigv2Format): string {
  switch (format) {
    case 'table':
      return sigv2Table(report);
    case 'csv':
      return sigv2Csv(report);
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'jsonl':
      return report.requesters.map((r) => `${JSON.stringify(r)}\n`).join('');
    default: {
      const unexpected: never = format;
      throw new Error(`unknown format ${unexpected}`);
    }
  }
}
