/**
 * A deterministic synthetic S3 server access log for the scan benchmark. The generator knows, for every line
 * it writes, whether the line is a SigV2 request, so the benchmark can check the CLI's count against a truth
 * that does not come from any parser.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prng } from '../prng';

/** Bump when the generated text changes, so a cached file of an older shape is not reused. */
export const GENERATOR_VERSION = 2;

export interface SyntheticLog {
  readonly path: string;
  readonly bytes: number;
  readonly lines: number;
  /** Lines the generator wrote with `SigV2` in the sigv field. */
  readonly sigv2: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HEX = '0123456789abcdef';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function pick<T>(rand: () => number, values: readonly T[]): T {
  return values[Math.floor(rand() * values.length)];
}

function chars(rand: () => number, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** What to generate beyond the defaults (12 buckets, 16 lines a second from 2024-01-01). */
export interface SyntheticLogOptions {
  /** Source buckets. @default 12 */
  readonly buckets?: number;
  /** Put every line on this UTC day (`Date.UTC(...)` of its midnight), spread evenly over it. */
  readonly day?: number;
}

function makePools(rand: () => number, bucketCount: number) {
  const owners = Array.from({ length: 4 }, () => chars(rand, HEX, 64));
  const buckets = Array.from({ length: bucketCount }, (_, i) => `example-bucket-${i}-${chars(rand, HEX, 6)}`);
  const requesters = [
    '-',
    ...Array.from({ length: 150 }, (_, i) => `arn:aws:iam::${100000000000 + i * 7919}:user/svc-${i}`),
    ...Array.from(
      { length: 50 },
      (_, i) => `arn:aws:sts::${200000000000 + i * 104729}:assumed-role/role-${i}/i-${chars(rand, HEX, 17)}`,
    ),
  ];
  const ips = Array.from({ length: 1000 }, (_, i) =>
    i % 10 === 0
      ? `2001:db8:${chars(rand, HEX, 4)}::${chars(rand, HEX, 3)}`
      : `${10 + (i % 200)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`,
  );
  const agents = [
    'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2023 prompt/off command/s3.cp',
    'aws-sdk-java/1.11.590 Linux/4.9.137 OpenJDK_64-Bit_Server_VM/25.212-b03 java/1.8.0_212 vendor/Oracle_Corporation',
    'Boto3/1.21.19 Python/3.9.10 Linux/4.4.0-1104-aws Botocore/1.24.19 Resource',
    'S3Console/0.4',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0 Safari/537.36',
    'aws-sdk-go/1.44.0 (go1.20; linux; amd64)',
    'Hadoop 3.3.6, aws-sdk-java/1.12.367 Linux/5.10 OpenJDK_64-Bit_Server_VM/25.372-b07 java/1.8.0_372',
    'rclone/v1.62.2',
    's3fs/1.91 (commit hash unknown; OpenSSL)',
    'git-annex/10.20220927-geb4a544',
  ];
  const keys = Array.from(
    { length: 500 },
    (_, i) => `data/${chars(rand, HEX, 2)}/part-${i}-${chars(rand, HEX, 8)}.parquet`,
  );
  // As in real logs, a requester works from a few hosts with a few clients on a few buckets; anonymous
  // requests come from anywhere.
  const some = <T>(values: readonly T[], most: number) =>
    Array.from({ length: 1 + Math.floor(rand() * most) }, () => pick(rand, values));
  const profiles = requesters.map((requester) =>
    requester === '-'
      ? { requester, ips, agents, buckets }
      : { requester, ips: some(ips, 4), agents: some(agents, 3), buckets: some(buckets, 3) },
  );
  return { owners, buckets, requesters, ips, agents, keys, profiles };
}

const OPERATIONS = [
  ['REST.GET.OBJECT', 'GET'],
  ['REST.PUT.OBJECT', 'PUT'],
  ['REST.HEAD.OBJECT', 'HEAD'],
  ['REST.GET.BUCKET', 'GET'],
  ['REST.DELETE.OBJECT', 'DELETE'],
] as const;

/**
 * One line and whether it is SigV2. Field counts vary (18 to 27 fields, as S3 has written them over the years)
 * so the scanner meets every trailing-field shape.
 */
function line(
  rand: () => number,
  pools: ReturnType<typeof makePools>,
  second: number,
  start = Date.UTC(2024, 0, 1),
): [string, boolean] {
  const date = new Date(start + second * 1000);
  const time = `[${pad2(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())} +0000]`;
  const profile = pick(rand, pools.profiles);
  const bucket = pick(rand, profile.buckets);
  const [operation, method] = pick(rand, OPERATIONS);
  const listing = operation === 'REST.GET.BUCKET';
  const key = listing ? '-' : pick(rand, pools.keys);
  const uri = listing
    ? `${method} /${bucket}?list-type=2&prefix=data%2F HTTP/1.1`
    : `${method} /${bucket}/${key} HTTP/1.1`;
  const error = rand() < 0.03;
  const status = error ? '404' : method === 'PUT' ? '200' : rand() < 0.1 ? '206' : '200';
  const errorCode = error ? 'NoSuchKey' : '-';
  const size = Math.floor(rand() * 50_000_000);
  const bytesSent = method === 'GET' && !error ? String(size) : error ? '243' : '-';
  const objectSize = listing || error ? '-' : String(size);
  const total = String(1 + Math.floor(rand() * 900));
  const turnaround = rand() < 0.1 ? '-' : String(1 + Math.floor(rand() * 50));
  const referrer = rand() < 0.9 ? '"-"' : `"https://console.aws.amazon.com/s3/buckets/${bucket}"`;
  const agent = `"${pick(rand, profile.agents)}"`;
  const version = rand() < 0.05 ? chars(rand, B64, 32) : '-';
  const hostId = `${chars(rand, B64, 76)}=`;
  const r = rand();
  const sigv = r < 0.05 ? 'SigV2' : r < 0.9 ? 'SigV4' : '-';
  const head = [
    pick(rand, pools.owners),
    bucket,
    time,
    pick(rand, profile.ips),
    profile.requester,
    chars(rand, 'ABCDEF0123456789', 16),
    operation,
    key,
    `"${uri}"`,
    status,
    errorCode,
    bytesSent,
    objectSize,
    total,
    turnaround,
    referrer,
    agent,
    version,
  ];
  const tail = [
    hostId,
    sigv,
    'ECDHE-RSA-AES128-GCM-SHA256',
    sigv === '-' ? '-' : rand() < 0.8 ? 'AuthHeader' : 'QueryString',
    `${bucket}.s3.us-east-1.amazonaws.com`,
    'TLSv1.2',
    '-',
    rand() < 0.02 ? 'Yes' : '-',
    '-',
  ];
  // Most lines carry every field; older shapes stop after hostid, sigv, endpoint or tlsversion.
  const shape = rand();
  const kept = shape < 0.7 ? 9 : shape < 0.8 ? 7 : shape < 0.88 ? 6 : shape < 0.94 ? 4 : shape < 0.97 ? 2 : 0;
  const fields = head.concat(tail.slice(0, kept));
  return [fields.join(' '), kept >= 2 && sigv === 'SigV2'];
}

/** Writes about `targetBytes` of log (whole lines) to `file` and returns what it wrote. */
export function writeSyntheticLog(
  file: string,
  targetBytes: number,
  seed = 42,
  options: SyntheticLogOptions = {},
): SyntheticLog {
  const rand = prng(seed);
  const pools = makePools(rand, options.buckets ?? 12);
  // One day: about 330 bytes a line, so this many lines a second fill the day once.
  const perSecond = Math.max(1, Math.ceil(targetBytes / 330 / 86_400));
  const second = (n: number) =>
    options.day === undefined ? n >> 4 : Math.min(86_399, Math.floor(n / perSecond));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  let bytes = 0;
  let lines = 0;
  let sigv2 = 0;
  let batch: string[] = [];
  let batchBytes = 0;
  try {
    while (bytes < targetBytes) {
      const [text, isSigV2] = line(rand, pools, second(lines), options.day);
      batch.push(text);
      batchBytes += text.length + 1;
      bytes += text.length + 1;
      lines++;
      if (isSigV2) sigv2++;
      if (batchBytes >= 4 << 20) {
        fs.writeSync(fd, `${batch.join('\n')}\n`);
        batch = [];
        batchBytes = 0;
      }
    }
    if (batch.length > 0) fs.writeSync(fd, `${batch.join('\n')}\n`);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  return { path: file, bytes, lines, sigv2 };
}

/** The cached log of this size under `dir`, generated once. */
export function syntheticLog(
  dir: string,
  targetBytes: number,
  options: SyntheticLogOptions = {},
): SyntheticLog {
  const shape =
    options.buckets === undefined && options.day === undefined ? '' : `-b${options.buckets}-d${options.day}`;
  const file = path.join(dir, `synthetic-v${GENERATOR_VERSION}-${targetBytes}${shape}.log`);
  const truthFile = `${file}.json`;
  if (fs.existsSync(file) && fs.existsSync(truthFile)) {
    return { ...(JSON.parse(fs.readFileSync(truthFile, 'utf8')) as SyntheticLog), path: file };
  }
  const log = writeSyntheticLog(file, targetBytes, 42, options);
  fs.writeFileSync(truthFile, JSON.stringify(log));
  return log;
}
