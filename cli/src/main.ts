import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { PROGRAM } from './commands/common';
import { digestCommand } from './commands/digest';
import { parseCommand } from './commands/parse';
import { queryCommand } from './commands/query';
import { reportCommand } from './commands/report';
import { sigv2Command } from './commands/sigv2';
import { CliError, describeError, UsageError } from './errors';
import type { Io } from './io';
import { processIo } from './io';

/**
 * The `s3-access-logs` command: the Athena table's columns and saved questions over local log files or S3,
 * with no Athena. Exit codes: 0 done (unparsed lines are reported, not fatal), 1 nothing could be read or the
 * environment failed (the message names it), 2 the command line is wrong, 3 the output is incomplete: some inputs
 * could not be read (named on standard error) and the output covers the rest.
 */

const EXAMPLES = `
Inputs: log files, folders (read recursively), .gz files (any name: gzip is detected by content),
- for standard input, and s3://bucket/prefix (default AWS credentials; --since/--until skip the
date folders and dated objects outside the window).

Examples:
  $ ${PROGRAM} sigv2 logs/                              who still uses SigV2, most requests first
  $ ${PROGRAM} sigv2 s3://my-logs/ --since 2024-05-01 --format csv > sigv2.csv
  $ ${PROGRAM} parse access.log.gz --format csv         the 27 columns, one row per record
  $ zcat *.gz | ${PROGRAM} parse - | jq .useragent
  $ ${PROGRAM} report logs/ -o report.html              SigV2 over time, as one HTML file
  $ ${PROGRAM} digest logs/ --day yesterday             the SigV2 watch's digest of a day
  $ ${PROGRAM} query --list                             the Athena table's saved queries
  $ ${PROGRAM} query sigv2-per-day logs/ --param 2024-05-01 --param 2024-05-31

Days (--since, --until, --day, a query's days): 2024-05-01, 2024/05/01, today, yesterday, -7d (UTC).

Exit codes: 0 done; 1 nothing could be read, or --strict met a bad input or line; 2 the command line is
wrong; 3 incomplete: some inputs could not be read, or not to the end, or were corrupt (named on stderr);
the output covers the rest.
`;

/** The CLI package's version, from the package.json above this file (cli/src/ in a checkout, dist/ installed). */
function version(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file))
      return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

export function buildProgram(io: Io): Command {
  const program = new Command(PROGRAM)
    .version(version())
    .description(
      'Read S3 server access logs locally: the same columns and saved queries as the Athena table.',
    )
    .addHelpText('after', EXAMPLES);
  for (const command of [
    sigv2Command(io),
    parseCommand(io),
    queryCommand(io),
    reportCommand(io),
    digestCommand(io),
  ]) {
    command.addHelpText('after', EXAMPLES);
    program.addCommand(command);
  }
  const output = {
    writeOut: (text: string) => void io.stdout.write(text),
    writeErr: (text: string) => void io.stderr.write(text),
    // Commander's own errors (unknown option, a --format not among the choices) read like the command's: the
    // program's name first, then the hint to --help (showHelpAfterError).
    outputError: (text: string, write: (text: string) => void) =>
      write(`${PROGRAM}: ${text.replace(/^error: /, '')}`),
  };
  // Commander exits by itself; route its exits through exitOverride so usage errors become exit code 2.
  for (const command of [program, ...program.commands]) {
    command
      .exitOverride()
      .configureOutput(output)
      .showHelpAfterError(`(${PROGRAM} --help shows the commands and examples)`);
  }
  return program;
}

/** Runs the command on `args` (without `node` and the script) and returns the exit code. */
export async function main(args: readonly string[], io: Io = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    if (args.length === 0) {
      program.outputHelp({ error: true });
      return 2;
    }
    await program.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; everything else it reports is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`${PROGRAM}: ${error.message}\n(${PROGRAM} --help shows the commands and examples)\n`);
      return error.exitCode;
    }
    if (error instanceof CliError) {
      io.stderr.write(`${PROGRAM}: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(
      `${PROGRAM}: internal error: ${error instanceof Error ? error.stack : describeError(error)}\n`,
    );
    return 1;
  }
}

/** The process entry (bin/s3-access-logs.js). */
export function run(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // A reader that goes away (`| head`) is not an error: stop quietly. Any other failure to write the output
  // (a full disk) is named, without a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    process.stderr.write(`${PROGRAM}: cannot write the output: ${describeError(error)}\n`);
    process.exit(1);
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${PROGRAM}: internal error: ${describeError(error)}\n`);
      process.exitCode = 1;
    },
  );
}
