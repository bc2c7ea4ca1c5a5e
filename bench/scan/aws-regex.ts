/**
 * Baseline for bench/scan: AWS's documented RegexSerDe regex run in JavaScript over a log file, streamed in
 * 1 MiB chunks, counting lines whose `sigv` group is SigV2. Prints the count. Usage: aws-regex.ts FILE
 */
import * as fs from 'node:fs';
import { AWS_DOCUMENTED_REGEX, COLUMN_NAMES } from '../../lib/log-format';

const pattern = new RegExp(`^(?:${AWS_DOCUMENTED_REGEX})$`);
const SIGV_GROUP = COLUMN_NAMES.indexOf('sigv') + 1;

async function main(file: string): Promise<void> {
  let sigv2 = 0;
  let carry = '';
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20, encoding: 'utf8' })) {
    const lines = (carry + chunk).split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines) if (pattern.exec(line)?.[SIGV_GROUP] === 'SigV2') sigv2++;
  }
  if (carry !== '' && pattern.exec(carry)?.[SIGV_GROUP] === 'SigV2') sigv2++;
  console.log(`sigv2=${sigv2}`);
}

void main(process.argv[2]);
