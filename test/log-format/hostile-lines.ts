import fc from 'fast-check';
import { COLUMN_NAMES, type ColumnName } from '../../lib/log-format';

/**
 * Lines a client (or a broken writer) can put in front of the table: up to 64 KB, with long runs of the
 * characters the grammar turns on (quotes, spaces, brackets, backslashes, dashes) in every field, lines cut short
 * so that nothing matches, and lines built so that a backtracking regex has the most closing quotes to try.
 * Deterministic, so Java, JavaScript and the splitter read the same lines in every run. Used by the tests
 * (test/log-format/hostile-lines.test.ts) and the timing table (bench/log-format-regex-hostile.ts).
 */

/** The longest line generated: 64 KB, the size the table must read (or refuse) without failing a query. */
export const MAX_LINE = 64 * 1024;

/** A well-formed 27-field line, one entry per field, as S3 writes it. */
const BASE: Readonly<Record<ColumnName, string>> = {
  bucketowner: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
  bucket_name: 'amzn-s3-demo-bucket',
  requestdatetime: '[06/Feb/2019:00:00:38 +0000]',
  remoteip: '192.0.2.3',
  requester: 'arn:aws:iam::111122223333:user/alice',
  requestid: '3E57427F3EXAMPLE',
  operation: 'REST.GET.OBJECT',
  key: 'photos/cat.jpg',
  request_uri: '"GET /amzn-s3-demo-bucket/photos/cat.jpg HTTP/1.1"',
  httpstatus: '200',
  errorcode: '-',
  bytessent: '4406583',
  objectsize: '4406583',
  totaltime: '41',
  turnaroundtime: '28',
  referrer: '"-"',
  useragent: '"aws-cli/1.16.0 Python/2.7.18"',
  versionid: '-',
  hostid: 's9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=',
  sigv: 'SigV2',
  ciphersuite: 'ECDHE-RSA-AES128-GCM-SHA256',
  authtype: 'AuthHeader',
  endpoint: 'amzn-s3-demo-bucket.s3.us-west-2.amazonaws.com',
  tlsversion: 'TLSv1.2',
  accesspointarn: '-',
  aclrequired: '-',
  sourceregion: 'us-west-2',
};

/** The base line with some fields replaced. */
export function lineWith(changes: Partial<Record<ColumnName, string>>): string {
  return COLUMN_NAMES.map((c) => changes[c] ?? BASE[c]).join(' ');
}

/** Runs that a client can send in a header (and that some fields hold when a writer breaks). */
const RUNS = ['"', '" ', '" "', '"-" ', '\\"', '\\', ' ', '[', ']', '[]', '" 200 - 1 1 1 1 ', 'a"b'];

/** `unit` repeated until the whole line is `length` characters (or one repetition, if the rest is longer). */
function fill(line: (content: string) => string, unit: string, length: number): string {
  const room = Math.max(length - line('').length, unit.length);
  const content = unit.repeat(Math.ceil(room / unit.length)).slice(0, room);
  return line(content);
}

/** One hostile line, with a name that says how it was made (for test failure messages and the bench table). */
export interface HostileLine {
  readonly name: string;
  readonly text: string;
}

const QUOTED: readonly ColumnName[] = ['request_uri', 'referrer', 'useragent'];
const OAI = 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLEID';

/** Every family at one length. */
export function hostileLines(length: number): HostileLine[] {
  const lines: HostileLine[] = [];
  const add = (name: string, text: string) => lines.push({ name: `${name} (${text.length} chars)`, text });
  for (const unit of RUNS) {
    const label = JSON.stringify(unit);
    // A quoted field holding a long run: what any client can do with its User-Agent or Referer.
    for (const field of QUOTED) {
      add(
        `${field} of ${label}`,
        fill((c) => lineWith({ [field]: `"${c}"` }), unit, length),
      );
    }
    // The same run in place of every other field (a writer that broke, or a line that is not S3's at all).
    for (const field of COLUMN_NAMES.filter((c) => !QUOTED.includes(c))) {
      add(
        `${field} of ${label}`,
        fill((c) => lineWith({ [field]: c }), unit, length),
      );
    }
    // Cut after the user agent, so that nothing after it can match and every closing quote is tried.
    add(
      `user agent of ${label}, line cut after it`,
      fill((c) => lineWith({ useragent: `"${c}` }).split(' - s9lzHY')[0], unit, length),
    );
  }
  // Closing-quote candidates for the request URI and the referrer, each followed by what a status and the sizes
  // look like, and a referrer candidate before every user agent: the most paths a backtracking regex can take.
  // Both end in a quote, after which no trailing field can follow, so neither line matches and every path is
  // tried.
  const block = '" 200 - 1 1 1 1 " ';
  for (const requester of ['-', OAI]) {
    const head = `- - - - ${requester} - - - "GET /`;
    add(
      `request URI of status-like blocks, cut, ${requester === '-' ? 'plain' : 'OAI'} requester`,
      fill((c) => `${head}${c}"`, block, length),
    );
    add(
      `referrer of "" "" blocks, cut, ${requester === '-' ? 'plain' : 'OAI'} requester`,
      fill((c) => `- - - - ${requester} - - - "-" 200 - 1 1 1 1 "-" "${c}"`, '" "', length),
    );
  }
  // Random joins of the runs and of field-like fragments.
  const pieces = fc.constantFrom(
    ...RUNS,
    '-',
    '"-"',
    '200',
    '12345',
    '[06/Feb/2019:00:00:38 +0000]',
    'x',
    'SigV2',
  );
  const random = fc.array(pieces, { minLength: 1, maxLength: 64 }).map((ps) => ps.join(' '));
  fc.sample(random, { numRuns: 8, seed: length }).forEach((unit, i) => {
    add(
      `random fragments #${i}`,
      fill((c) => c, unit, length),
    );
    add(
      `user agent of random fragments #${i}`,
      fill((c) => lineWith({ useragent: `"${c}"` }), unit, length),
    );
  });
  return lines;
}
