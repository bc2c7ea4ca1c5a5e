import fc from 'fast-check';
import {
  ACCESS_LOG_REGEX,
  AWS_DOCUMENTED_REGEX,
  COLUMN_NAMES,
  COLUMNS,
  type ColumnName,
  type LogRecord,
  parseLineWithRegex,
} from '../../lib/log-format';
import { runs } from '../util/property-runs';
import { isKnownMalformed, peerLines } from './peer-lines';

/** A 27-field line as S3 writes it, one entry per field. */
const FIELDS: readonly string[] = [
  '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
  'amzn-s3-demo-bucket',
  '[06/Feb/2019:00:00:38 +0000]',
  '192.0.2.3',
  'arn:aws:iam::111122223333:user/alice',
  '3E57427F3EXAMPLE',
  'REST.GET.OBJECT',
  'photos/cat.jpg',
  '"GET /amzn-s3-demo-bucket/photos/cat.jpg?versionId=3HL4kqtJlcpXroDTDmJ HTTP/1.1"',
  '200',
  'NoSuchKey',
  '4406583',
  '4406584',
  '41',
  '28',
  '"https://example.com/page"',
  '"aws-cli/1.16.0 Python/2.7.18 Linux/4.14 botocore/1.12.0"',
  '3HL4kqtJlcpXroDTDmJ',
  's9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=',
  'SigV2',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'QueryString',
  'amzn-s3-demo-bucket.s3.us-west-2.amazonaws.com',
  'TLSv1.2',
  'arn:aws:s3:us-west-2:111122223333:accesspoint/example-ap',
  'Yes',
  'us-west-2',
];

/** What the table holds for FIELDS. */
const VALUES: LogRecord = {
  bucketowner: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
  bucket_name: 'amzn-s3-demo-bucket',
  requestdatetime: '06/Feb/2019:00:00:38 +0000',
  remoteip: '192.0.2.3',
  requester: 'arn:aws:iam::111122223333:user/alice',
  requestid: '3E57427F3EXAMPLE',
  operation: 'REST.GET.OBJECT',
  key: 'photos/cat.jpg',
  request_uri: 'GET /amzn-s3-demo-bucket/photos/cat.jpg?versionId=3HL4kqtJlcpXroDTDmJ HTTP/1.1',
  httpstatus: '200',
  errorcode: 'NoSuchKey',
  bytessent: 4406583,
  objectsize: 4406584,
  totaltime: '41',
  turnaroundtime: '28',
  referrer: 'https://example.com/page',
  useragent: 'aws-cli/1.16.0 Python/2.7.18 Linux/4.14 botocore/1.12.0',
  versionid: '3HL4kqtJlcpXroDTDmJ',
  hostid: 's9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=',
  sigv: 'SigV2',
  ciphersuite: 'ECDHE-RSA-AES128-GCM-SHA256',
  authtype: 'QueryString',
  endpoint: 'amzn-s3-demo-bucket.s3.us-west-2.amazonaws.com',
  tlsversion: 'TLSv1.2',
  accesspointarn: 'arn:aws:s3:us-west-2:111122223333:accesspoint/example-ap',
  aclrequired: 'Yes',
  sourceregion: 'us-west-2',
};

const ALL_NULL = Object.fromEntries(COLUMN_NAMES.map((c) => [c, null])) as unknown as LogRecord;

/** FIELDS with some fields replaced, joined into a line. */
function lineWith(changes: Partial<Record<ColumnName, string>>, fieldCount = FIELDS.length): string {
  return FIELDS.slice(0, fieldCount)
    .map((f, i) => changes[COLUMN_NAMES[i]] ?? f)
    .join(' ');
}

/** The record of the first `n` columns of VALUES, NULL after them. */
function firstColumns(n: number): LogRecord {
  return { ...ALL_NULL, ...Object.fromEntries(COLUMN_NAMES.slice(0, n).map((c) => [c, VALUES[c]])) };
}

describe('ACCESS_LOG_REGEX', () => {
  it('has exactly 27 capture groups, one per column', () => {
    // An alternative that matches the empty string reports every group of the pattern, all unset.
    const groups = new RegExp(`${ACCESS_LOG_REGEX}|`).exec('')!.length - 1;
    expect(groups).toBe(COLUMNS.length);
  });

  it.each([18, 20, 24, 26, 27])('reads every field of a line of %i fields', (n) => {
    expect(parseLineWithRegex(lineWith({}, n))).toEqual(firstColumns(n));
  });

  it('ignores unknown fields after the 27th (a line of 29 fields)', () => {
    const line = `${lineWith({})} future-field "a quoted future field"`;
    expect(parseLineWithRegex(line)).toEqual(VALUES);
  });

  it.each([20, 24, 26])('reads sigv on a line of %i fields, where AWS documented regex reads NULL', (n) => {
    const line = lineWith({}, n);
    expect(parseLineWithRegex(line)?.sigv).toBe('SigV2');
    const aws = new RegExp(`^(?:${AWS_DOCUMENTED_REGEX})$`).exec(line)!;
    expect(aws[COLUMN_NAMES.indexOf('sigv') + 1]).toBeUndefined();
  });

  it('does not read a line of 17 fields, an empty line or a line with an empty field', () => {
    expect(parseLineWithRegex(lineWith({}, 17))).toBeNull();
    expect(parseLineWithRegex('')).toBeNull();
    expect(parseLineWithRegex(lineWith({ remoteip: '192.0.2.3 ' }))).toBeNull();
  });

  it('reads a CloudFront origin access identity, whose ARN holds spaces, as the requester', () => {
    const requester = 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLEID';
    expect(parseLineWithRegex(lineWith({ requester }))).toEqual({ ...VALUES, requester });
  });

  it('does not let any other requester hold a space', () => {
    expect(
      parseLineWithRegex(lineWith({ requester: 'arn:aws:iam::111122223333:user/two words' })),
    ).toBeNull();
  });

  it('reads an IPv6 remote address', () => {
    const record = parseLineWithRegex(lineWith({ remoteip: '2001:db8:85a3::8a2e:370:7334' }));
    expect(record).toEqual({ ...VALUES, remoteip: '2001:db8:85a3::8a2e:370:7334' });
  });

  it('reads a bare - as NULL in every column', () => {
    const line = FIELDS.map(() => '-').join(' ');
    expect(parseLineWithRegex(line)).toEqual(ALL_NULL);
  });

  it('reads a quoted "-" as NULL in the request URI, referrer and user agent', () => {
    const line = lineWith({ request_uri: '"-"', referrer: '"-"', useragent: '"-"' });
    expect(parseLineWithRegex(line)).toEqual({
      ...VALUES,
      request_uri: null,
      referrer: null,
      useragent: null,
    });
  });

  it('reads a dash that starts a longer value as the value', () => {
    const record = parseLineWithRegex(lineWith({ key: '-draft', referrer: '"-x"', useragent: '"- "' }));
    expect(record).toEqual({ ...VALUES, key: '-draft', referrer: '-x', useragent: '- ' });
  });

  it('reads a bigint field that is not a whole number as NULL and keeps the rest of the line', () => {
    const record = parseLineWithRegex(lineWith({ bytessent: '12x', objectsize: '1234567890123456' }));
    expect(record).toEqual({ ...VALUES, bytessent: null, objectsize: null });
  });

  it('reads unescaped double quotes inside the request URI', () => {
    const uri = 'GET /b/k.json?response-content-disposition=attachment;%20filename="k.json"&x="" HTTP/1.1';
    expect(parseLineWithRegex(lineWith({ request_uri: `"${uri}"` }))?.request_uri).toBe(uri);
  });

  it('reads unescaped double quotes inside the referrer', () => {
    const referrer = 'https://example.com/?q="a b"&c="d" x';
    const record = parseLineWithRegex(lineWith({ referrer: `"${referrer}"` }));
    expect(record).toEqual({ ...VALUES, referrer });
  });

  it.each([
    ['a leading quote', '"Mozilla/5.0 (X11; Linux x86_64)'],
    ['a quoted word followed by more words', 'curl "quoted" and then 1 2 3 4 5 6 7 8 9 10 11 12 words'],
    ['a trailing quote', 'Wget/1.21 "'],
    ['nothing but quotes', '" "'],
  ])('reads unescaped double quotes inside the user agent: %s', (_name, useragent) => {
    for (const n of [18, 20, 27]) {
      const record = parseLineWithRegex(lineWith({ useragent: `"${useragent}"` }, n));
      expect(record).toEqual({ ...firstColumns(n), useragent });
    }
    const withExtras = parseLineWithRegex(`${lineWith({ useragent: `"${useragent}"` })} extra`);
    expect(withExtras).toEqual({ ...VALUES, useragent });
  });
});

describe('parseLineWithRegex on lifecycle and batch-delete lines (elastic-integrations fixture)', () => {
  const lines = peerLines('elastic-integrations/test-s3-server-access.log').map((l) => l.text);

  it('reads an S3.EXPIRE.OBJECT line: no request URI, referrer or user agent, AmazonS3 as requester', () => {
    const record = parseLineWithRegex(lines.find((l) => l.includes(' S3.EXPIRE.OBJECT '))!);
    expect(record).toMatchObject({
      operation: 'S3.EXPIRE.OBJECT',
      requester: 'AmazonS3',
      remoteip: null,
      request_uri: null,
      httpstatus: null,
      bytessent: null,
      objectsize: 317,
      referrer: null,
      useragent: null,
      versionid: 'qsEq9bDa2VyxyZ4cz0c7oBnF67VYTTij',
      hostid: 'DMlPb9al4CvVBck150CgpEIIYgtSI3HC/atetNVYwPtHZffW6jfpg+BrffhbT9/B',
      sigv: null,
      aclrequired: null,
      sourceregion: null,
    });
  });

  it('reads a BATCH.DELETE.OBJECT line: bare - request URI, 204, the deleted object size', () => {
    const record = parseLineWithRegex(lines.find((l) => l.includes(' BATCH.DELETE.OBJECT jolokia'))!);
    expect(record).toMatchObject({
      operation: 'BATCH.DELETE.OBJECT',
      key: 'jolokia-war-1.5.0.war',
      request_uri: null,
      httpstatus: '204',
      objectsize: 344017,
      referrer: null,
      useragent: null,
      versionid: null,
      sigv: 'SigV4',
      tlsversion: 'TLSv1.2',
      accesspointarn: null,
    });
  });
});

/**
 * An independent reading of lines whose quoted fields hold no quote: each field is a bracketed date, a quoted
 * string or a run of non-spaces. Used as an oracle for the fixture lines it applies to.
 */
function naiveFields(line: string): string[] | null {
  const fields = line.match(/\[[^\]]*\]|"[^"]*"|[^ ]+/g) ?? [];
  return fields.join(' ') === line ? fields : null;
}

function naiveValue(field: string | undefined, type: 'string' | 'bigint'): string | number | null {
  if (field === undefined || field === '-' || field === '"-"') return null;
  const inner = /^["[]/.test(field) ? field.slice(1, -1) : field;
  return type === 'bigint' ? Number(inner) : inner;
}

describe('parseLineWithRegex on every peer fixture line', () => {
  const lines = peerLines();

  it('reads 1,109 of the 1,110 lines, all but the known malformed one', () => {
    const unread = lines.filter((l) => parseLineWithRegex(l.text) === null);
    expect(lines).toHaveLength(1110);
    expect(unread.map((l) => `${l.file}:${l.lineNumber}`)).toEqual(
      lines.filter(isKnownMalformed).map((l) => `${l.file}:${l.lineNumber}`),
    );
  });

  it('agrees field by field with a plain split on every line without quotes inside quoted fields', () => {
    let compared = 0;
    for (const line of lines.filter((l) => !isKnownMalformed(l))) {
      const fields = naiveFields(line.text);
      if (fields === null) continue;
      compared++;
      const expected = Object.fromEntries(COLUMNS.map((c, i) => [c.name, naiveValue(fields[i], c.type)]));
      expect({ line: `${line.file}:${line.lineNumber}`, record: parseLineWithRegex(line.text) }).toEqual({
        line: `${line.file}:${line.lineNumber}`,
        record: expected,
      });
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('reads the dandi lines whose quoted fields hold unescaped quotes', () => {
    const dandi = peerLines('dandi-extraction/2022-01-01-05-06-35-0123456789ABCDEF').map((l) => l.text);
    const baidu = parseLineWithRegex(dandi.find((l) => l.includes('Baiduspider'))!)!;
    expect(baidu.request_uri).toMatch(/^GET \/\/\?s=index.*\$password%20=%20"xinba";.*\?> HTTP\/1\.1$/);
    expect(baidu.referrer).toMatch(/^https:\/\/dandiarchive\.s3\.amazonaws\.com\/\/\?s=.*"xinba".*\?>$/);
    expect(baidu.useragent).toBe(
      'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
    );
    expect(baidu.httpstatus).toBe('404');
    expect(baidu.tlsversion).toBe('TLSv1.2');

    const leadingQuote = parseLineWithRegex(dandi.find((l) => l.includes('""Mozilla'))!)!;
    expect(leadingQuote.useragent).toMatch(/^"Mozilla\/5\.0 \(Windows NT 10\.0.*Safari\/537\.36$/);
    expect(leadingQuote.hostid).toMatch(/^A54Zaz7Sl0/);

    const presigned = parseLineWithRegex(
      dandi.find((l) => l.includes('filename="dataset_description.json"'))!,
    )!;
    expect(presigned.request_uri).toMatch(
      /filename="dataset_description\.json"&X-Amz-Algorithm=.* HTTP\/1\.1$/,
    );
    expect(presigned).toMatchObject({ sigv: 'SigV4', authtype: 'QueryString', bytessent: 1194552 });
  });
});

describe('parseLineWithRegex on generated lines', () => {
  const token = fc.stringMatching(/^[^ "\n]+$/).filter((s) => s !== '-');
  const orNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
  const noSpace = fc.stringMatching(/^[^ \n]*$/);
  const digits = fc.integer({ min: 0, max: 5 * 2 ** 40 });
  // A request line holds no raw space but its URI may hold quotes; a referrer may hold quotes and spaces but
  // not `" "` or `" -` (where the user agent would start), counting its own closing quote (a referrer `" ` is
  // written `"" "`); a user agent may hold anything but a line break.
  const requestUri = fc.tuple(token, noSpace, token).map(([m, u, p]) => `${m} /${u} ${p}`);
  const referrer = fc.stringMatching(/^[^\n]*$/).filter((s) => !/" ["-]/.test(`${s}"`) && s !== '-');
  const useragent = fc.stringMatching(/^[^\n]*$/).filter((s) => s !== '-');

  const record = fc.record({
    bucketowner: orNull(token),
    bucket_name: orNull(token),
    requestdatetime: orNull(fc.stringMatching(/^[^\]\n]+$/)),
    remoteip: orNull(token),
    requester: orNull(token),
    requestid: orNull(token),
    operation: orNull(token),
    key: orNull(token),
    request_uri: orNull(requestUri),
    httpstatus: orNull(fc.integer({ min: 100, max: 599 }).map(String)),
    errorcode: orNull(token),
    bytessent: orNull(digits),
    objectsize: orNull(digits),
    totaltime: orNull(token),
    turnaroundtime: orNull(token),
    referrer: orNull(referrer),
    useragent: orNull(useragent),
    versionid: orNull(token),
    hostid: orNull(token),
    sigv: orNull(token),
    ciphersuite: orNull(token),
    authtype: orNull(token),
    endpoint: orNull(token),
    tlsversion: orNull(token),
    accesspointarn: orNull(token),
    aclrequired: orNull(token),
    sourceregion: orNull(token),
  });

  function write(r: LogRecord, fieldCount: number): string {
    return COLUMNS.slice(0, fieldCount)
      .map(({ name }) => {
        const v = r[name];
        if (name === 'requestdatetime') return v === null ? '-' : `[${v}]`;
        if (name === 'request_uri' || name === 'referrer' || name === 'useragent') return `"${v ?? '-'}"`;
        return v === null ? '-' : String(v);
      })
      .join(' ');
  }

  it('reads back every field S3 wrote, on lines of 18 to 27 fields and with extra fields', () => {
    fc.assert(
      fc.property(record, fc.integer({ min: 18, max: 29 }), (r, n) => {
        const extra = n > 27 ? ' new-field "another new field"' : '';
        const kept = Math.min(n, 27);
        const expected = Object.fromEntries(COLUMN_NAMES.map((c, i) => [c, i < kept ? r[c] : null]));
        expect(parseLineWithRegex(write(r, kept) + extra)).toEqual(expected);
      }),
      { numRuns: runs(500) },
    );
  });
});
