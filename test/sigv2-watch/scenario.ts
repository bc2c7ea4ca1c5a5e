/**
 * Six weeks of generated S3 server access logs (2026-10-20 to 2026-12-01) in which each requester plays one
 * part of the digest: steady, new, back after more than the lookback, exactly at the lookback's edge, gone,
 * SigV4 only, across midnight. 2026-12-01 has SigV4 requests only. 2026-11-15 has no record at all (logging broken that day). The expected digest
 * values in the tests are counted by hand from this description, not computed.
 */

export const DIGEST_DAY = '2026-11-29';
export const EMPTY_DAY = '2026-11-15';
const FIRST = Date.UTC(2026, 9, 20);
const LAST = Date.UTC(2026, 11, 1);
const DAY_MS = 86_400_000;

const ARN = 'arn:aws:iam::111122223333:user/';
export const STEADY = `${ARN}steady`;
export const FRESH = `${ARN}fresh`;
export const RETURNING = `${ARN}returning`;
export const BOUNDARY = `${ARN}boundary`;
export const GONE = `${ARN}gone`;
export const MODERN = `${ARN}modern`;
export const MIDNIGHT = `${ARN}midnight`;
export const MANY_IPS = `${ARN}many-ips`;

/** One request as the generator writes it. */
export interface Request {
  readonly time: string;
  readonly requester: string;
  readonly sigv: 'SigV2' | 'SigV4' | '-';
  readonly auth?: 'AuthHeader' | 'QueryString' | '-';
  readonly ip?: string;
  readonly ua?: string;
  readonly bucket?: string;
  readonly operation?: string;
}

const at = (day: number, time: string) => `${new Date(day).toISOString().slice(0, 10)}T${time}Z`;

/** Every request of the six weeks, in time order per requester. */
export function scenarioRequests(): Request[] {
  const requests: Request[] = [];
  for (let day = FIRST; day <= LAST; day += DAY_MS) {
    const iso = new Date(day).toISOString().slice(0, 10);
    if (iso === EMPTY_DAY) continue;
    if (day < Date.UTC(2026, 10, 30)) {
      requests.push({ time: at(day, '08:00:00'), requester: STEADY, sigv: 'SigV2' });
      requests.push({ time: at(day, '20:00:00'), requester: STEADY, sigv: 'SigV2' });
    }
    for (const hour of ['09', '10', '11', '12', '13']) {
      requests.push({ time: at(day, `${hour}:30:00`), requester: MODERN, sigv: 'SigV4' });
    }
  }
  const d = (iso: string, time: string) => `${iso}T${time}Z`;
  const java =
    'aws-sdk-java/1.11.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/25.372-b07 java/1.8.0_372, vendor/Amazon';
  requests.push(
    // New on the day: presigned URLs and a header-signed PUT.
    {
      time: d(DIGEST_DAY, '01:00:00'),
      requester: FRESH,
      sigv: 'SigV2',
      auth: 'QueryString',
      ip: '198.51.100.7',
      ua: java,
    },
    {
      time: d(DIGEST_DAY, '02:00:00'),
      requester: FRESH,
      sigv: 'SigV2',
      auth: 'QueryString',
      ip: '198.51.100.7',
      ua: java,
    },
    {
      time: d(DIGEST_DAY, '03:00:00'),
      requester: FRESH,
      sigv: 'SigV2',
      ip: '198.51.100.8',
      ua: 'Boto/2.49.0 Python/2.7.18',
      operation: 'REST.PUT.OBJECT',
    },
    // The day after: not part of the digest.
    { time: d('2026-11-30', '00:00:00'), requester: FRESH, sigv: 'SigV2' },
    // Last seen 31 days before: outside a 30-day lookback, so new again.
    { time: d('2026-10-29', '12:00:00'), requester: RETURNING, sigv: 'SigV2' },
    { time: d(DIGEST_DAY, '12:00:00'), requester: RETURNING, sigv: 'SigV2' },
    // Seen exactly 30 days before: inside the lookback, so not new.
    { time: d('2026-10-30', '00:00:00'), requester: BOUNDARY, sigv: 'SigV2' },
    { time: d(DIGEST_DAY, '23:59:59'), requester: BOUNDARY, sigv: 'SigV2' },
    // Gone: five requests in the lookback, none on the day.
    ...[1, 2, 3, 4].map(
      (i): Request => ({ time: d('2026-11-20', `0${i}:00:00`), requester: GONE, sigv: 'SigV2' }),
    ),
    { time: d('2026-11-24', '06:00:00'), requester: GONE, sigv: 'SigV2' },
    // Across midnight: the last second of the day before, and the first second of the day after.
    { time: d('2026-11-28', '23:59:59'), requester: MIDNIGHT, sigv: 'SigV2' },
    { time: d('2026-11-30', '00:00:00'), requester: MIDNIGHT, sigv: 'SigV2' },
    // Anonymous requests: records, not SigV2.
    { time: d(DIGEST_DAY, '05:00:00'), requester: '-', sigv: '-', auth: '-' },
    { time: d(DIGEST_DAY, '05:00:01'), requester: '-', sigv: '-', auth: '-' },
  );
  // Ten requests from seven source IPs: 3 from one, 2 from another, 1 from each of five more.
  const ips = ['1', '1', '1', '2', '2', '3', '4', '5', '6', '7'].map((n) => `192.0.2.${n}`);
  ips.forEach((ip, i) => {
    requests.push({ time: d(DIGEST_DAY, `14:00:0${i}`), requester: MANY_IPS, sigv: 'SigV2', ip });
  });
  return requests;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `[29/Nov/2026:01:00:00 +0000]` */
function logTime(iso: string): string {
  const t = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `[${pad(t.getUTCDate())}/${MONTHS[t.getUTCMonth()]}/${t.getUTCFullYear()}:` +
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0000]`
  );
}

/** One log line in the format S3 writes (the fields after `versionid` as current logs have them). */
export function logLine(request: Request, index: number): string {
  const bucket = request.bucket ?? 'photos';
  const operation = request.operation ?? 'REST.GET.OBJECT';
  const method = operation === 'REST.PUT.OBJECT' ? 'PUT' : 'GET';
  const key = `images/${index}.jpg`;
  const auth = request.auth ?? (request.sigv === '-' ? '-' : 'AuthHeader');
  return [
    '111122223333aaaabbbbccccddddeeeeffff0000111122223333aaaabbbbcccc',
    bucket,
    logTime(request.time),
    request.ip ?? '203.0.113.9',
    request.requester,
    `REQ${String(index).padStart(6, '0')}`,
    operation,
    key,
    `"${method} /${bucket}/${key} HTTP/1.1"`,
    '200',
    '-',
    '1000',
    '1000',
    '12',
    '10',
    '"-"',
    `"${request.ua ?? 'aws-cli/1.16.0 Python/3.6.0'}"`,
    '-',
    'hostidAAAABBBBCCCCDDDD=',
    request.sigv,
    'ECDHE-RSA-AES128-GCM-SHA256',
    auth,
    `${bucket}.s3.us-east-1.amazonaws.com`,
    'TLSv1.2',
    '-',
    '-',
  ].join(' ');
}

/** The scenario's log lines, grouped into one text per UTC day (`yyyy-mm-dd` to text), as S3 would deliver them. */
export function scenarioLogsByDay(): Map<string, string> {
  const byDay = new Map<string, string[]>();
  scenarioRequests().forEach((request, i) => {
    const day = request.time.slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), logLine(request, i)]);
  });
  return new Map([...byDay.entries()].sort().map(([day, lines]) => [day, `${lines.join('\n')}\n`]));
}
