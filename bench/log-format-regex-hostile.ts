/**
 * `npm run --silent bench:regex-hostile`: how long one hostile line takes to read, by line length, with the
 * table's regex before and after it was made safe for java.util.regex (test/log-format/previous-regex.ts), in
 * Java as Athena runs it (Matcher.matches(), default thread stack; bench/java/RegexTiming.java, median of 3 after
 * a warm-up, stopped after BENCH_REGEX_LIMIT_MS, 10 s by default), and the new regex and the splitter in
 * JavaScript. Lines come from test/log-format/hostile-lines.ts. Needs `java` (11+) on PATH.
 * "overflow" is a StackOverflowError: in Athena, every query over that line's day fails.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ACCESS_LOG_PATTERN, ACCESS_LOG_REGEX } from '../lib/log-format';
import { parseLine } from '../lib/log-format/split';
import { hostileLines, MAX_LINE } from '../test/log-format/hostile-lines';
import { PREVIOUS_REGEX } from '../test/log-format/previous-regex';

const LENGTHS = [1024, 4096, 16384, MAX_LINE];
const FAMILIES = [
  'useragent of "\\""',
  'referrer of "\\" \\""',
  'user agent of "\\" \\"", line cut after it',
  'request URI of status-like blocks, cut, OAI requester',
  'referrer of "" "" blocks, cut, OAI requester',
  'random fragments #0',
];
const LIMIT_MS = Number(process.env.BENCH_REGEX_LIMIT_MS ?? 10_000);

const family = (name: string) => name.replace(/ \(\d+ chars\)$/, '');
const lines = LENGTHS.flatMap((length) =>
  hostileLines(length).filter((l) => FAMILIES.includes(family(l.name))),
);

/** Median of 3 runs (after one warm-up) of `read`, in ms. */
function jsMs(read: () => unknown): number {
  read();
  const runs = [0, 1, 2].map(() => {
    const start = process.hrtime.bigint();
    read();
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
  return runs.sort((a, b) => a - b)[1];
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regex-hostile-'));
try {
  const files = [PREVIOUS_REGEX, ACCESS_LOG_REGEX].map((regex, i) => {
    const file = path.join(dir, `regex-${i}.txt`);
    fs.writeFileSync(file, regex);
    return file;
  });
  const program = path.join(__dirname, 'java', 'RegexTiming.java');
  const out = execFileSync('java', [program, String(LIMIT_MS), ...files], {
    input: `${lines.map((l) => `${l.name}\t${l.text}`).join('\n')}\n`,
    maxBuffer: 1 << 26,
  }).toString('utf8');
  const java = new Map<string, string>();
  for (const row of out.trim().split('\n')) {
    const [name, index, result, ms] = row.split('\t');
    java.set(
      `${name}\t${index}`,
      result === 'match' || result === 'nomatch' ? `${ms} ms (${result})` : `${result} after ${ms} ms`,
    );
  }
  console.log(
    `load average: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${os.cpus().length} CPUs`,
  );
  console.log('| line | chars | previous regex, Java | new regex, Java | new regex, JS | splitter, JS |');
  console.log('|---|---|---|---|---|---|');
  for (const l of lines) {
    const js = jsMs(() => ACCESS_LOG_PATTERN.exec(l.text)).toFixed(1);
    const split = jsMs(() => parseLine(l.text)).toFixed(1);
    const cells = [
      family(l.name),
      l.text.length,
      java.get(`${l.name}\t0`),
      java.get(`${l.name}\t1`),
      `${js} ms`,
      `${split} ms`,
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
