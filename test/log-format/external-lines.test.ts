import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ACCESS_LOG_PATTERN,
  ACCESS_LOG_REGEX,
  COLUMNS,
  type LogRecord,
  parseLineWithRegex,
} from '../../lib/log-format';

/**
 * S3 server access log lines published by AWS's documentation, other projects' parsers and their issue threads
 * (test/fixtures/external, see its README): none of them is in the peer fixtures, so they check the regex the way
 * the project's owners will, with lines nobody here wrote.
 */
const EXTERNAL_DIR = path.join(__dirname, '..', 'fixtures', 'external');

interface ExternalFile {
  readonly file: string;
  /** The source prints each line as a Markdown list item (`1. <line>`); the number is not part of the line. */
  readonly numbered?: boolean;
  /** 1-based line numbers that are not records, with the reason (the source agrees unless it says otherwise). */
  readonly notRecords?: Readonly<Record<number, string>>;
}

const FILES: readonly ExternalFile[] = [
  { file: '63klabs-atlantis-tutorials/README.md.example' },
  { file: 'apache-hadoop/TestHttpReferrerAuditHeader.SAMPLE_LOG_ENTRY' },
  { file: 'aws-docs-current/LogFormat-en_us-cn.md.example' },
  { file: 'aws-docs-current/LogFormat-zh.md.example' },
  { file: 'awsdocs-userguide/LogFormat.md.example', numbered: true },
  { file: 'github-issue-threads/allinurl-goaccess-issue-408.log' },
  { file: 'github-issue-threads/aws-samples-siem-on-amazon-opensearch-service-pr-34.log' },
  { file: 'github-issue-threads/elastic-beats-issue-26913.log' },
  { file: 'github-issue-threads/elastic-integrations-issue-13617.log' },
  { file: 'github-issue-threads/matomo-org-matomo-issue-8575.log' },
  { file: 'githubjianx-aws-s3-log-analyzer/sample_logs.txt' },
  { file: 'hortonworks-spark-cloud-integration/TestLogParsing.scala.records' },
  {
    file: 'icodeforlove-s3-access-log-parser/matches.test.js.lines',
    notRecords: { 4: 'bucket owner missing (17 fields)', 5: 'not a log line' },
  },
  { file: 'kdgm-logstash-plugins/s3_access_log_spec.rb.later-version.lines' },
  { file: 'kdgm-logstash-plugins/s3_access_log_spec.rb.lines' },
  { file: 'logstash-patterns-core/aws_spec.rb.lines' },
  { file: 'nekrassov01-access-log-parser/sample_s3_all_match.log' },
  {
    file: 'nekrassov01-access-log-parser/sample_s3_contains_unmatch.log',
    notRecords: { 4: 'ends after the user agent (17 fields, no Version Id)' },
  },
  { file: 'richardforshaw-resume/COLLATE_PAGE_TEST_DATA.lines' },
  { file: 'suhaibaffan-rust-parser/sample.txt' },
  {
    file: 'tstack-lnav/s3_log.json.samples',
    // lnav's own "std" pattern reads it; the table needs 18 fields (see MIN_FIELDS and the review report).
    notRecords: { 1: 'ends after the user agent (17 fields, no Version Id)' },
  },
];

interface ExternalLine {
  readonly file: string;
  readonly lineNumber: number;
  readonly text: string;
  readonly isRecord: boolean;
}

function linesOf(entry: ExternalFile): ExternalLine[] {
  return fs
    .readFileSync(path.join(EXTERNAL_DIR, entry.file), 'utf8')
    .split('\n')
    .map((raw, i) => ({ raw, lineNumber: i + 1 }))
    .filter(({ raw }) => raw !== '')
    .map(({ raw, lineNumber }) => ({
      file: entry.file,
      lineNumber,
      text: entry.numbered ? raw.replace(/^\d+\. /, '') : raw,
      isRecord: entry.notRecords?.[lineNumber] === undefined,
    }));
}

const ALL_LINES = FILES.flatMap(linesOf);

function lineAt(file: string, lineNumber: number): string {
  const line = ALL_LINES.find((l) => l.file === file && l.lineNumber === lineNumber);
  if (line === undefined) throw new Error(`no line ${lineNumber} in ${file}`);
  return line.text;
}

/**
 * A second, deliberately naive reading of a record, to compare every field with: split at single spaces, except
 * that `[...]` runs to `]` and `"..."` runs to the next quote followed by a space or the end of the line. Right for
 * every line here (none has `" ` inside a quoted field); the regex has to be right for far more.
 */
function readNaively(line: string): LogRecord {
  const tokens: { text: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === '[') {
      const end = line.indexOf(']', i);
      tokens.push({ text: line.slice(i + 1, end), quoted: true });
      i = end + 2;
    } else if (line[i] === '"') {
      let end = line.indexOf('"', i + 1);
      while (end + 1 < line.length && line[end + 1] !== ' ') end = line.indexOf('"', end + 1);
      tokens.push({ text: line.slice(i + 1, end), quoted: true });
      i = end + 2;
    } else {
      const end = line.indexOf(' ', i) === -1 ? line.length : line.indexOf(' ', i);
      tokens.push({ text: line.slice(i, end), quoted: false });
      i = end + 1;
    }
  }
  const record: Record<string, string | number | null> = {};
  COLUMNS.forEach((column, n) => {
    const token = tokens[n];
    const text = token === undefined || token.text === '-' ? null : token.text;
    record[column.name] =
      column.type === 'bigint' ? (text !== null && /^\d+$/.test(text) ? Number(text) : null) : text;
  });
  return record as LogRecord;
}

describe('the external fixtures', () => {
  it('are all listed here, so none is left untested', () => {
    const walk = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    const onDisk = walk(EXTERNAL_DIR)
      .map((f) => path.relative(EXTERNAL_DIR, f))
      .filter((f) => f !== 'README.md' && !f.endsWith('.expected.json'))
      .sort();
    expect(onDisk).toEqual(FILES.map((f) => f.file).sort());
    expect(ALL_LINES.length).toBeGreaterThan(100);
  });
});

describe('parseLineWithRegex on external lines', () => {
  it.each(FILES.map((f) => [f.file, f] as const))(
    '%s: reads every record and rejects the rest',
    (_name, entry) => {
      for (const line of linesOf(entry)) {
        const record = parseLineWithRegex(line.text);
        if (line.isRecord) {
          expect({ line: line.lineNumber, record }).toEqual({
            line: line.lineNumber,
            record: readNaively(line.text),
          });
        } else {
          expect({ line: line.lineNumber, record }).toEqual({ line: line.lineNumber, record: null });
        }
      }
    },
  );

  it('reads the current AWS example (27 fields): access point ARN, aclrequired Yes, source Region', () => {
    expect(parseLineWithRegex(lineAt('aws-docs-current/LogFormat-en_us-cn.md.example', 1))).toMatchObject({
      bucket_name: 'amzn-s3-demo-bucket1',
      sigv: 'SigV4',
      endpoint: 'amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com.cn',
      accesspointarn: 'arn:aws-cn:s3:us-west-1:123456789012:accesspoint/example-AP',
      aclrequired: 'Yes',
      sourceregion: 'us-east-1',
    });
  });

  it('keeps a quote that a client put at the end of the user agent (siem-on-amazon-opensearch-service #34)', () => {
    const line = lineAt('github-issue-threads/aws-samples-siem-on-amazon-opensearch-service-pr-34.log', 1);
    expect(parseLineWithRegex(line)).toMatchObject({
      referrer: 'https://example,com/some/url',
      useragent:
        'Mozilla/5.0 (iPad; CPU OS 13_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0.1 Mobile/15E148 Safari/604.1"',
      versionid: null,
      hostid: 'someIDstring',
      sigv: null,
      ciphersuite: 'ECDHE-RSA-AES128-GCM-SHA256',
      authtype: null,
      tlsversion: 'TLSv1.2',
    });
  });

  it('keeps a quote at the end of the referrer, a line kdgm/logstash-plugins rejects', () => {
    const record = parseLineWithRegex(lineAt('kdgm-logstash-plugins/s3_access_log_spec.rb.lines', 11));
    expect(record?.referrer).toBe('http://kerkdienstgemist.nl/mp3/recorder.php?id=452"');
    expect(record?.useragent).toBe('Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; WOW64; Trident/5.0)');
  });

  it('reads words after the 18th field by position, as S3 defines them (kdgm "trailing fields" case)', () => {
    const record = parseLineWithRegex(lineAt('kdgm-logstash-plugins/s3_access_log_spec.rb.lines', 17));
    expect(record).toMatchObject({ versionid: null, hostid: 'any', sigv: 'other', ciphersuite: 'fields' });
  });
});

describe('parseLineWithRegex equals the values the sources expect', () => {
  it('logstash-patterns-core S3_ACCESS_LOG spec (legacy and ECS expectations)', () => {
    const file = 'logstash-patterns-core/aws_spec.rb.lines';
    // Logstash keeps "-" and the quotes; here both are NULL / stripped, as the table defines.
    expect(parseLineWithRegex(lineAt(file, 1))).toMatchObject({
      bucketowner: '79a5',
      bucket_name: 'mybucket',
      requestdatetime: '06/Feb/2014:00:00:38 +0000',
      remoteip: '192.0.2.3',
      requester: '79a5',
      requestid: '3E57427F3EXAMPLE',
      operation: 'REST.GET.VERSIONING',
      key: null,
      request_uri: 'GET /mybucket?versioning HTTP/1.1',
      httpstatus: '200',
      errorcode: null,
      bytessent: 113,
      objectsize: null,
      totaltime: '7',
      turnaroundtime: null,
      referrer: null,
      useragent: 'S3Console/0.4',
      versionid: null,
    });
    expect(parseLineWithRegex(lineAt(file, 2))).toMatchObject({
      remoteip: '10.0.1.2',
      requester: null,
      requestid: '7ACC4BE89EXAMPLE',
      key: 'foo/bar.html',
      request_uri: 'GET /foo/bar.html HTTP/1.1',
      httpstatus: '304',
      bytessent: null,
      objectsize: 1718,
      totaltime: '10',
      turnaroundtime: null,
      useragent: 'Mozilla/5.0',
    });
    expect(parseLineWithRegex(lineAt(file, 3))).toMatchObject({
      requester: 'arn:aws:iam::123456:user/test@elastic.co',
      request_uri: 'GET /awsexamplebucket1?policy HTTP/1.1',
      httpstatus: '404',
      errorcode: 'NoSuchBucketPolicy',
      bytessent: 297,
      totaltime: '38',
      turnaroundtime: '12',
      useragent:
        'AWS-Support-TrustedAdvisor, aws-internal/3 aws-sdk-java/1.11.590 Linux/4.9.137-0.1.ac.218.74.329.metal1.x86_64',
      hostid: 'BNaBsXZQQDbssi6xMBdBU2sLt+Yf5kZDmeBUP35sFoKa3sLLeMC78iwEIWxs99CRUrbS4n11234=',
      sigv: 'SigV2',
      ciphersuite: 'ECDHE-RSA-AES128-GCM-SHA256',
      authtype: 'AuthHeader',
      endpoint: 'awsexamplebucket1.s3.us-west-1.amazonaws.com',
      tlsversion: 'TLSV1.1',
    });
  });

  it('icodeforlove/s3-access-log-parser: a %20 key, an IAM requester, and an all-dash line as nothing', () => {
    const file = 'icodeforlove-s3-access-log-parser/matches.test.js.lines';
    expect(parseLineWithRegex(lineAt(file, 1))).toMatchObject({
      bucket_name: 'mybucket-2',
      key: 'mybucket-%20file',
      request_uri: 'GET /mybucket-%20file?versioning HTTP/1.1',
      httpstatus: '200',
      bytessent: 113,
      totaltime: '7',
      useragent: 'S3Console/0.4',
    });
    expect(parseLineWithRegex(lineAt(file, 3))?.requester).toBe('arn:aws:iam::100:user/iam-user');
    const allDash = parseLineWithRegex(lineAt(file, 2));
    expect(allDash).not.toBeNull();
    expect(Object.values(allDash ?? {}).every((v) => v === null)).toBe(true);
  });

  it('kdgm/logstash-plugins: the CLF conversions it expects (remote IP, request, status, bytes, agents)', () => {
    const file = 'kdgm-logstash-plugins/s3_access_log_spec.rb.lines';
    expect(parseLineWithRegex(lineAt(file, 8))).toMatchObject({
      operation: 'SOAP.PUT.OBJECT',
      remoteip: '10.32.219.38',
      request_uri: 'POST /soap/ HTTP/1.1',
      httpstatus: '200',
      bytessent: 797,
      referrer: null,
      useragent: 'Axis/1.3',
    });
    expect(parseLineWithRegex(lineAt(file, 9))).toMatchObject({
      requester: null,
      httpstatus: '307',
      bytessent: 488,
    });
    expect(parseLineWithRegex(lineAt(file, 10))).toMatchObject({
      bytessent: 234,
      referrer: null,
      useragent: null,
    });
    // REST.COPY.OBJECT_GET: no request line, bytes "-" (the upstream converts it to 0), everything after "-".
    expect(parseLineWithRegex(lineAt(file, 12))).toMatchObject({
      operation: 'REST.COPY.OBJECT_GET',
      key: '10010150/2010-08-29-0930.mp3',
      request_uri: null,
      httpstatus: '200',
      bytessent: null,
      objectsize: 13538337,
      totaltime: null,
      useragent: null,
      versionid: null,
    });
  });

  it('apache/hadoop TestHttpReferrerAuditHeader: a PUT whose referrer carries the audit query parameters', () => {
    const record = parseLineWithRegex(
      lineAt('apache-hadoop/TestHttpReferrerAuditHeader.SAMPLE_LOG_ENTRY', 1),
    );
    expect(record?.request_uri?.split(' ')[0]).toBe('PUT');
    const params = new URL(record?.referrer ?? 'invalid:').searchParams;
    expect([params.get('op'), params.get('pr'), params.get('ts')]).toEqual([
      'op_create',
      'alice',
      '1620905165700',
    ]);
  });

  it('RichardForshaw/resume: the page views its test expects, counted from the parsed request URIs', () => {
    const views: Record<string, number> = {};
    for (const line of linesOf({ file: 'richardforshaw-resume/COLLATE_PAGE_TEST_DATA.lines' })) {
      const record = parseLineWithRegex(line.text);
      if (record?.operation !== 'REST.GET.OBJECT' && record?.operation !== 'WEBSITE.GET.OBJECT') continue;
      const page = (record.request_uri ?? '').split(' ')[1].slice(1);
      views[page] = (views[page] ?? 0) + 1;
    }
    expect(views).toEqual({
      'awsexamplebucket1/folder/page-1.html': 1,
      'awsexamplebucket1/s3-dg.pdf': 1,
      'awsexamplebucket1/folder/page-2.html': 2,
      'awsexamplebucket1/page0.html': 1,
      'favicon.ico': 1,
      'blog/search/worker.js': 1,
      'blog/search/search_index.json': 1,
      'blog/': 2,
      'blog/StaticWebSiteDevOps_Basic.png': 2,
      'blog/articles/2022-08-30-aws-cli-essentials/': 1,
      'blog/articles/images/calculator.jpg': 1,
      'blog/articles/2018-11-28-backlog-priorities/': 1,
    });
  });

  it('githubjianx/aws-s3-log-analyzer: the requester / key pairs its summary counts', () => {
    const pairs = linesOf({ file: 'githubjianx-aws-s3-log-analyzer/sample_logs.txt' })
      .map((l) => parseLineWithRegex(l.text))
      .map((r) => `${r?.requestdatetime?.slice(0, 11)} ${r?.requester} ${r?.key}`);
    expect(pairs).toEqual([
      "06/Feb/2019 alice '/foo.txt'",
      "06/Feb/2019 alice '/foo.txt'",
      "06/Feb/2019 alice '/foo.txt'",
      "07/Feb/2019 alice '/bar.txt'",
      "07/Feb/2019 bob '/foo.txt'",
    ]);
  });
});

const hasJava = spawnSync('java', ['-version']).status === 0;
const javaIt = hasJava ? it : it.skip;

describe(`java.util.regex on external lines${hasJava ? '' : ' (skipped: no java on PATH)'}`, () => {
  javaIt('reads every external line into the same groups as JavaScript', () => {
    const lines = ALL_LINES.map((l) => l.text);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'external-parity-'));
    try {
      fs.writeFileSync(path.join(dir, 'regex.txt'), ACCESS_LOG_REGEX);
      const out = execFileSync(
        'java',
        [path.join(__dirname, 'java', 'RegexParity.java'), path.join(dir, 'regex.txt')],
        { input: `${lines.join('\n')}\n` },
      );
      const java = out.toString('utf8').trimEnd().split('\n');
      const javascript = lines.map((l) => {
        const match = ACCESS_LOG_PATTERN.exec(l);
        return JSON.stringify(match === null ? null : match.slice(1).map((v) => v ?? null));
      });
      expect(java).toEqual(javascript);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
