/**
 * `npm run --silent bench:scan`: how fast `s3-access-logs sigv2` reads a large log, against the obvious
 * alternatives, each timed as a whole process (start-up included) on a file already in the page cache, median
 * of 3 runs:
 * - cli1 / cli2: this CLI's `sigv2` on 1 and 2 threads (run from the checkout, through the bin shim and tsx);
 * - awsRegex: AWS's documented RegexSerDe regex in JavaScript (bench/scan/aws-regex.ts);
 * - duckdbRegex1 / 2: DuckDB regexp_extract with AWS's regex on 1 and 2 threads (bench/scan/duckdb-regex.ts;
 *   AWS's regex because RE2 runs the table's, with its quoted-field alternatives, about 4x slower);
 * - wc: `wc -l`, the floor for reading the file at all;
 * - grep: `grep -c ' SigV2 '`, what people reach for first, and the anchor: grepRatio1 / grepRatio2 are the CLI's
 *   seconds on 1 / 2 threads over grep's (target: grepRatio2 <= 1.5). grep is not exact: it misses a SigV2 line
 *   whose sigv field is its last (older shapes) and would count ' SigV2 ' in a user agent or key;
 * - startup: `node cli/bin/s3-access-logs.js --help` less `node -e 0` (median of 5), the command's own start-up.
 * The log is synthetic (bench/scan/synthetic-log.ts), 1 GiB by default (BENCH_SCAN_MB to change), generated once
 * into .bench/. The last line printed is one JSON object with the figures; sigv2Exact says whether every CLI run
 * counted exactly the SigV2 lines the generator wrote, countsExact whether each read every line as a record.
 * BENCH_SCAN_QUICK=1 skips the AWS regex and DuckDB runs (about two minutes on these machines), for comparing
 * the CLI on 1 and 2 threads with grep only.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { syntheticLog } from './synthetic-log';

const ROOT = path.join(__dirname, '..', '..');
const MB = 1e6;
const RUNS = 3;
const GNU_TIME = '/usr/bin/time';

interface Measured {
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly stdout: string;
}

/** Runs a command to completion; peak RSS from GNU time when installed, else by watching /proc. */
function measure(command: string, args: string[]): Promise<Measured> {
  const rssFile = path.join(os.tmpdir(), `bench-scan-rss-${process.pid}`);
  const gnuTime = fs.existsSync(GNU_TIME);
  const [file, argv] = gnuTime ? [GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let peakKb = 0;
    const watch = gnuTime
      ? undefined
      : setInterval(() => {
          try {
            const hwm = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
          } catch {
            // exited between ticks
          }
        }, 10);
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (watch) clearInterval(watch);
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited with ${code}`));
      if (gnuTime) peakKb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
      resolve({ seconds, peakRssMb: peakKb / 1024, stdout: Buffer.concat(out).toString('utf8') });
    });
  });
}

interface Figure {
  /** Median seconds, whole process. */
  readonly seconds: number;
  readonly mbps: number;
  readonly peakRssMb: number;
  readonly stdouts: string[];
}

async function median(name: string, bytes: number, command: string, args: string[]): Promise<Figure> {
  const runs: Measured[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(command, args));
  const seconds = runs.map((r) => r.seconds).sort((a, b) => a - b)[Math.floor(RUNS / 2)];
  const mbps = bytes / MB / seconds;
  const peakRssMb = Math.max(...runs.map((r) => r.peakRssMb));
  console.log(
    `${name.padEnd(13)} ${runs.map((r) => r.seconds.toFixed(2)).join(' / ')} s  median ${mbps.toFixed(0)} MB/s  ` +
      `peak RSS ${peakRssMb.toFixed(0)} MB`,
  );
  return { seconds, mbps, peakRssMb, stdouts: runs.map((r) => r.stdout) };
}

/** The counts in `sigv2 --format json`: records read, lines that are not records, SigV2 requests. */
function reportCounts(json: string): { records: number; unparsed: number; sigv2: number } {
  const report = JSON.parse(json) as { records: number; unparsed: number; sigv2Requests: number };
  return { records: report.records, unparsed: report.unparsed, sigv2: report.sigv2Requests };
}

/** The command's own start-up: `--help` less a bare node, medians of 5 (the first run warms tsx's cache). */
async function startupSeconds(node: string, bin: string): Promise<number> {
  const med = async (args: string[]) => {
    await measure(node, args);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push((await measure(node, args)).seconds);
    return times.sort((a, b) => a - b)[2];
  };
  return (await med([bin, '--help'])) - (await med(['-e', '0']));
}

async function main(): Promise<void> {
  const targetMb = Number(process.env.BENCH_SCAN_MB ?? 1024);
  const log = syntheticLog(path.join(ROOT, '.bench'), Math.round(targetMb * 2 ** 20));
  const bytes = fs.statSync(log.path).size;
  console.log(`log: ${log.path} (${(bytes / MB).toFixed(0)} MB, ${log.lines} lines, ${log.sigv2} SigV2)`);
  console.log(
    `load average: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${os.availableParallelism()} CPUs`,
  );

  const node = process.execPath;
  const tsx = ['--require', 'tsx/cjs'];
  const bin = path.join(ROOT, 'cli', 'bin', 's3-access-logs.js');
  const cli = (threads: number) => [
    bin,
    'sigv2',
    log.path,
    '--format',
    'json',
    '--quiet',
    '--threads',
    String(threads),
  ];
  const startup = await startupSeconds(node, bin);
  console.log(`start-up      ${startup.toFixed(3)} s beyond node -e 0 (--help)`);
  const wc = await median('wc -l', bytes, 'wc', ['-l', log.path]); // also puts the file in the page cache
  const grep = await median('grep -c', bytes, 'grep', ['-c', ' SigV2 ', log.path]);
  const cli1 = await median('cli 1 thread', bytes, node, cli(1));
  const cli2 = await median('cli 2 threads', bytes, node, cli(2));
  const quick = process.env.BENCH_SCAN_QUICK === '1';
  const skipped: Figure = { seconds: Number.NaN, mbps: Number.NaN, peakRssMb: Number.NaN, stdouts: [] };
  const aws = quick
    ? skipped
    : await median('AWS regex JS', bytes, node, [...tsx, path.join(__dirname, 'aws-regex.ts'), log.path]);
  const duck = (threads: number) => [
    ...tsx,
    path.join(__dirname, 'duckdb-regex.ts'),
    log.path,
    String(threads),
    'aws',
  ];
  const duck1 = quick ? skipped : await median('DuckDB 1 thr', bytes, node, duck(1));
  const duck2 = quick ? skipped : await median('DuckDB 2 thr', bytes, node, duck(2));

  const counts = [...cli1.stdouts, ...cli2.stdouts].map(reportCounts);
  const round = (n: number) => Math.round(n);
  console.log(
    JSON.stringify({
      fileMb: round(bytes / MB),
      cli1Mbps: round(cli1.mbps),
      cli2Mbps: round(cli2.mbps),
      awsRegexMbps: round(aws.mbps),
      duckdbRegex1Mbps: round(duck1.mbps),
      duckdbRegex2Mbps: round(duck2.mbps),
      wcMbps: round(wc.mbps),
      grepMbps: round(grep.mbps),
      grepRatio1: Number((cli1.seconds / grep.seconds).toFixed(2)),
      grepRatio2: Number((cli2.seconds / grep.seconds).toFixed(2)),
      grepCount: Number(grep.stdouts[0].trim()),
      startupSeconds: Number(startup.toFixed(3)),
      peakRssMb: round(Math.max(cli1.peakRssMb, cli2.peakRssMb)),
      sigv2Exact: counts.every((c) => c.sigv2 === log.sigv2),
      countsExact: counts.every((c) => c.records === log.lines && c.unparsed === 0),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
