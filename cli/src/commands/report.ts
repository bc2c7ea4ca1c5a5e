import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../errors';
import { fileError } from '../inputs/resolve';
import type { Io } from '../io';
import { htmlReport, SERIES_COLORS } from '../reports/html-report';
import { emptyTimeline } from '../reports/html-timeline';
import type { ScanOptions } from './common';
import { addScanOptions, endRun, INPUTS_HELP, PROGRAM, runScan, stdoutWriter } from './common';

interface ReportOptions extends ScanOptions {
  readonly output: string;
  readonly top: number;
}

const DEFAULT_TOP = 8;
/** What the page needs from the scan: the SigV2 tally and the timeline, no records written. */
const REPORT_JOB = { output: 'none', sigv2: true, timeline: true } as const;

function topCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > SERIES_COLORS.length)
    throw new InvalidArgumentError(`expected a whole number from 1 to ${SERIES_COLORS.length}, e.g. --top 5`);
  return n;
}

/**
 * `report`: the SigV2 picture as one HTML file to open in a browser or attach to a ticket: requests per day for
 * the top requesters, the share of SigV2 over time, and every requester with its clients, IPs and buckets.
 */
export function reportCommand(io: Io): Command {
  const command = new Command('report')
    .description('write an HTML report: SigV2 requests per day by requester, SigV2 share, requester table')
    .argument('<inputs...>', INPUTS_HELP)
    .requiredOption('-o, --output <file>', 'the HTML file to write (- for standard output)')
    .addOption(
      new Option('--top <n>', 'requesters drawn as their own line; the rest form one line')
        .argParser(topCount)
        .default(DEFAULT_TOP),
    );
  addScanOptions(command).action(async (inputs: string[], options: ReportOptions) => {
    const output = options.output;
    // Say so before a long scan, not after it.
    if (output !== '-') checkWritable(output);
    const run = await runScan(io, inputs, options, REPORT_JOB);
    const { summary } = run;
    const html = htmlReport({
      inputs,
      generatedAt: `${new Date().toISOString().slice(0, 19)}Z`,
      records: summary.records,
      unparsed: summary.unparsed,
      tally: summary.sigv2,
      timeline: summary.timeline ?? emptyTimeline(),
      top: options.top,
    });
    if (output === '-') {
      await stdoutWriter(io)(html);
    } else {
      try {
        fs.writeFileSync(output, html);
      } catch (error) {
        throw fileError(output, error);
      }
      if (!options.quiet) io.stderr.write(`${PROGRAM}: wrote ${output}\n`);
    }
    // A page over the inputs that could be read, from a run where some could not: exit 3, as the other commands.
    endRun(run);
  });
  return command;
}

function checkWritable(file: string): void {
  const folder = path.dirname(path.resolve(file));
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch {
    throw new UsageError(
      `--output ${file}: the folder ${folder} does not exist; create it or write elsewhere`,
    );
  }
  if (!stat.isDirectory()) throw new UsageError(`--output ${file}: ${folder} is not a folder`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory())
    throw new UsageError(`--output ${file}: is a folder; name a file, e.g. --output report.html`);
}
