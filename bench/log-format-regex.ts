/**
 * Throughput of the table's regex in JavaScript, against AWS's documented one, on the rotemfogel peer lines
 * repeated to about 50 MB held in memory (no I/O, no line splitting). Prints MB/s, median of 3 runs.
 * Run: npx tsx bench/log-format-regex.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACCESS_LOG_PATTERN, AWS_DOCUMENTED_REGEX, parseLineWithRegex } from '../lib/log-format';

const TARGET_BYTES = 50e6;
const dir = path.join(__dirname, '..', 'test', 'fixtures', 'peer', 'rotemfogel');
const base = fs
  .readdirSync(dir)
  .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n'))
  .filter((l) => l !== '');
const lines: string[] = [];
let bytes = 0;
while (bytes < TARGET_BYTES) {
  for (const l of base) {
    lines.push(l);
    bytes += Buffer.byteLength(l) + 1;
  }
}

const aws = new RegExp(`^(?:${AWS_DOCUMENTED_REGEX})$`);
const candidates: [string, (line: string) => unknown][] = [
  ['ACCESS_LOG_PATTERN.exec', (l) => ACCESS_LOG_PATTERN.exec(l)],
  ['parseLineWithRegex (exec + record)', parseLineWithRegex],
  ['AWS_DOCUMENTED_REGEX.exec', (l) => aws.exec(l)],
];
for (const [name, read] of candidates) {
  const seconds: number[] = [];
  for (let run = 0; run < 3; run++) {
    const start = process.hrtime.bigint();
    let matched = 0;
    for (const l of lines) if (read(l) !== null) matched++;
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (matched !== lines.length) throw new Error(`${name} matched ${matched} of ${lines.length} lines`);
  }
  seconds.sort((a, b) => a - b);
  const mbps = bytes / 1e6 / seconds[1];
  console.log(`${name}: ${mbps.toFixed(0)} MB/s (${(bytes / 1e6).toFixed(0)} MB, ${lines.length} lines)`);
}
