import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { lineWith } from '../../../test/log-format/hostile-lines';
import { PEER_DIR } from '../../../test/log-format/peer-lines';
import type { FileSource, Source } from '../../src/inputs/sources';
import { timeWindow } from '../../src/inputs/time-window';
import type { JobSpec, ScanRequest } from '../../src/scan';
import { scan } from '../../src/scan';

const BEATS = fs.readFileSync(path.join(PEER_DIR, 'elastic-beats', 'test.log'), 'utf8');
const DANDI = fs.readFileSync(
  path.join(PEER_DIR, 'dandi-extraction', '2022-01-01-05-06-35-0123456789ABCDEF'),
  'utf8',
);
/** Line 7 of the dandi file is the known malformed line. */
const DANDI_BAD_LINE = 7;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): FileSource {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return {
    kind: 'file',
    name,
    path: p,
    size: fs.statSync(p).size,
    gzip: content instanceof Buffer && content[0] === 0x1f,
  };
}

const job = (over: Partial<JobSpec> = {}): JobSpec => ({
  output: 'none',
  sigv2: true,
  window: timeWindow(),
  strict: false,
  ...over,
});

async function run(sources: Source[], over: Partial<ScanRequest> & { job: JobSpec }) {
  const chunks: Buffer[] = [];
  const summary = await scan({
    sources,
    threads: 1,
    write: async (chunk) => {
      chunks.push(Buffer.from(chunk));
    },
    ...over,
  });
  return { summary, output: Buffer.concat(chunks).toString('utf8') };
}

describe('scan', () => {
  // 300 copies of two fixture files, with an empty line between copies: 4,200 lines, 300 of them malformed.
  const big = Array.from({ length: 300 }, () => `${BEATS}${DANDI}\n`).join('');
  const linesPerCopy = BEATS.split('\n').length - 1 + DANDI.split('\n').length - 1 + 1;

  it('finds the same records, unparsed lines and SigV2 tally on two worker threads over byte ranges as on one thread', async () => {
    const source = file('big.log', big);
    const one = await run([source], { job: job({ output: 'jsonl' }) });
    const two = await run([source], {
      job: job({ output: 'jsonl' }),
      threads: 2,
      parallelMinBytes: 0,
      rangeBytes: 64 << 10,
    });

    expect(one.summary.records).toBe(300 * 12);
    expect(one.summary.unparsed).toBe(300);
    expect(one.summary.unparsedInputs[0].lines).toEqual(
      [0, 1, 2, 3, 4].map((copy) => copy * linesPerCopy + 6 + DANDI_BAD_LINE),
    );
    // Compared as plain data: Maps cloned from a worker belong to another realm than jest's.
    const isMap = (v: unknown): v is Map<unknown, unknown> =>
      Object.prototype.toString.call(v) === '[object Map]';
    const plain = ({ tasks, workers, ...rest }: typeof one.summary) =>
      JSON.parse(JSON.stringify(rest, (_key, value) => (isMap(value) ? Array.from(value) : value)));
    expect(two.summary.workers).toBe(2);
    expect(two.summary.tasks).toBeGreaterThan(10);
    expect(plain(two.summary)).toEqual(plain(one.summary));
    // Output comes back in input order even though ranges finish in any order.
    expect(two.output).toBe(one.output);
    expect(one.output.split('\n')).toHaveLength(300 * 12 + 1);
    expect(
      one.summary.sigv2.get('79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be')?.requests,
    ).toBe(1200);
  });

  it('reads gzip by content, plain files and several inputs in order', async () => {
    const sources = [file('b.log', BEATS), file('packed', zlib.gzipSync(DANDI)), file('empty.log', '')];
    const { summary, output } = await run(sources, { job: job({ output: 'csv' }) });
    expect(summary.records).toBe(6 + 6);
    expect(summary.unparsedInputs).toEqual([
      expect.objectContaining({ input: 'packed', records: 6, unparsed: 1, lines: [DANDI_BAD_LINE] }),
    ]);
    expect(output.split('\n')[6]).toMatch(/^8787a3c4.*,dandiarchive,/);
  });

  it('filters records by request time', async () => {
    const { summary } = await run([file('window.log', BEATS)], {
      job: job({ window: timeWindow('2019-02-06', '2019-02-06') }),
    });
    expect(summary.records).toBe(5);
    expect(summary.outside).toBe(1);
  });

  it('counts records outside the window among an input\'s records, so its unparsed lines are not "all" it has', async () => {
    const { summary } = await run([file('window-bad.log', `${DANDI}`)], {
      job: job({ window: timeWindow('2001-01-01', '2001-01-02') }),
    });
    expect(summary.records).toBe(0);
    expect(summary.outside).toBe(6);
    expect(summary.unparsedInputs).toEqual([
      expect.objectContaining({ input: 'window-bad.log', records: 6, unparsed: 1, lines: [DANDI_BAD_LINE] }),
    ]);
  });

  it("counts records of ranges before an input's first unparsed line among its records, on two threads", async () => {
    // 40 copies of the fixture's records, then only lines that are not records, read in ranges of 4 KB.
    const records = DANDI.split('\n')
      .filter((_, i) => i !== DANDI_BAD_LINE - 1)
      .join('\n');
    const content = `${records.repeat(40)}${'not an access log line\n'.repeat(1_000)}`;
    const over = { threads: 2, parallelMinBytes: 0, rangeBytes: 4099 };
    const { summary } = await run([file('late-bad.log', content)], { job: job(), ...over });
    expect(summary.tasks).toBeGreaterThan(5);
    expect(summary.unparsedInputs).toEqual([
      expect.objectContaining({ input: 'late-bad.log', records: summary.records, unparsed: 1_000 }),
    ]);
    expect(summary.records).toBeGreaterThan(0);
  });

  it('stops at the first unparsed line in strict mode, with its line number', async () => {
    const { summary } = await run([file('strict.log', `${BEATS}${DANDI}`), file('after.log', BEATS)], {
      job: job({ strict: true, output: 'jsonl' }),
    });
    expect(summary.stoppedAt).toEqual(
      expect.objectContaining({ input: 'strict.log', line: 6 + DANDI_BAD_LINE }),
    );
  });

  it('reports a gzip file cut short by name, keeps the lines read before the cut, and goes on', async () => {
    const whole = zlib.gzipSync(BEATS.repeat(50));
    const { summary } = await run(
      [file('cut.gz', whole.subarray(0, whole.length - 20)), file('next.log', BEATS)],
      {
        job: job(),
      },
    );
    expect(summary.errors).toEqual([expect.stringMatching(/^cut\.gz: gzip data is truncated or corrupt/)]);
    expect(summary.records).toBeGreaterThan(6);
  });

  it('reports a line longer than 64 MiB is not needed to survive a 10 MB line, which is simply unparsed', async () => {
    const { summary } = await run([file('long.log', `${BEATS}${'x'.repeat(10 << 20)}\n${BEATS}`)], {
      job: job(),
    });
    expect(summary.records).toBe(12);
    expect(summary.unparsedInputs[0]).toEqual(expect.objectContaining({ lines: [7] }));
  });
});

describe('scan counting SigV2 without splitting every line', () => {
  // The sigv2 command's job (no window, timeline or record output) counts most lines by a quick check; a job
  // with a timeline splits every line. Both must count the same records, unparsed lines and SigV2 requests.
  const OAI = 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLEID';
  const lines = [
    lineWith({ sigv: 'SigV4', key: 'a/SigV2' }),
    lineWith({ sigv: 'SigV4', request_uri: '"GET /b/x SigV2 y HTTP/1.1"' }),
    lineWith({ sigv: 'SigV4', useragent: '"agent SigV2 "x" SigV2 "' }),
    lineWith({ sigv: 'SigV4', referrer: '" SigV2 "' }),
    lineWith({ requester: 'arn:aws:iam::111122223333:user/v2' }), // SigV2
    lineWith({ requester: OAI }), // SigV2, requester with spaces
    lineWith({ requester: OAI, sigv: 'SigV4' }),
    lineWith({ sigv: 'SigV4', useragent: '"-"' }),
    `${lineWith({ sigv: 'SigV4' })} extra "SigV2" fields`,
    'SigV2 SigV2 SigV2', // not a record
    // A record only as the regex reads it, backtracking: the request URI runs to the user agent's last quote,
    // and every field from `versionid` on, sigv included, is NULL.
    lineWith({ sigv: 'SigV2', httpstatus: 'SigV2' }),
  ];
  const SIGV2_LINES = 2;
  const RECORDS = 10;
  const NOT_A_RECORD = 9;
  const block = `${lines.join('\n')}\n`;

  async function both(sources: Source[], over: Partial<ScanRequest> = {}) {
    const quick = (await run(sources, { job: job(), ...over })).summary;
    const full = (await run(sources, { job: job({ timeline: true }), ...over })).summary;
    const { timeline, tasks, workers, ...rest } = full;
    expect({ ...quick, tasks: 0, workers: 0 }).toEqual({
      ...rest,
      timeline: undefined,
      tasks: 0,
      workers: 0,
    });
    return quick;
  }

  it('counts records, unparsed lines and SigV2 requests exactly, whatever other fields hold', async () => {
    const summary = await both([file('mixed.log', block)]);
    expect(summary.records).toBe(RECORDS);
    expect(summary.unparsed).toBe(1);
    expect(summary.sigv2.get('arn:aws:iam::111122223333:user/v2')?.requests).toBe(1);
    expect(summary.sigv2.get(OAI)?.requests).toBe(1);
    expect([...summary.sigv2.values()].reduce((n, t) => n + t.requests, 0)).toBe(SIGV2_LINES);
  });

  it('reads CRLF lines and a last line without a newline', async () => {
    const crlf = `${lines.join('\r\n')}\r\n${lines[4]}`;
    const summary = await both([file('crlf.log', crlf)]);
    expect(summary.records).toBe(RECORDS + 1);
    expect(summary.unparsed).toBe(1);
    expect(summary.sigv2.get('arn:aws:iam::111122223333:user/v2')?.requests).toBe(2);
  });

  it('counts the same over byte ranges whose boundaries split lines, on two threads', async () => {
    const source = file('ranges.log', block.repeat(200));
    const over = { threads: 2, parallelMinBytes: 0, rangeBytes: 4099 };
    const quick = (await run([source], { job: job(), ...over })).summary;
    expect(quick.tasks).toBeGreaterThan(100);
    expect(quick.records).toBe(200 * RECORDS);
    expect(quick.unparsed).toBe(200);
    const requests = [...quick.sigv2.values()].reduce((n, t) => n + t.requests, 0);
    expect(requests).toBe(200 * SIGV2_LINES);
  });

  it("reads lines far longer than a small input's first buffer: a small gzip file and ranges cut in long lines", async () => {
    // A record whose user agent is 150 KB: its gzip file is a few KB (a small input, read with a small buffer that
    // must grow), and over 4 KB ranges the line runs far past its range's end (read past the end until it ends).
    const longAgent = lineWith({ useragent: `"${'Mozilla/5.0 '.repeat(12_500)}"`, sigv: 'SigV2' });
    const content = `${lines[0]}\n${longAgent}\n${lines[4]}\n`.repeat(20);
    const gz = file('long.log.gz', zlib.gzipSync(content));
    expect(gz.size).toBeLessThan(16 << 10);
    const plain = file('long.log', content);
    const expected = { records: 60, unparsed: 0 };
    const fromGzip = await both([gz]);
    expect(fromGzip).toMatchObject(expected);
    const overRanges = (await run([plain], { job: job(), threads: 2, parallelMinBytes: 0, rangeBytes: 4099 }))
      .summary;
    expect(overRanges).toMatchObject(expected);
    expect(overRanges.tasks).toBeGreaterThan(100);
    expect([...overRanges.sigv2.values()].reduce((n, t) => n + t.requests, 0)).toBe(
      [...fromGzip.sigv2.values()].reduce((n, t) => n + t.requests, 0),
    );
  });

  it('reads thousands of small files, each once, with the same counts as their concatenation', async () => {
    const sub = path.join(dir, 'many');
    fs.mkdirSync(sub);
    const small = Array.from({ length: 2_000 }, (_, i) =>
      file(path.join('many', `f${i}`), lines[i % lines.length]),
    );
    const each = await both(small);
    const whole = await both([file('many.log', small.map((_, i) => lines[i % lines.length]).join('\n'))]);
    expect({ ...each, tasks: 0, unparsedInputs: [] }).toEqual({ ...whole, tasks: 0, unparsedInputs: [] });
    expect(each.records + each.unparsed).toBe(2_000);
  });

  it('counts the same after lines that send searches far past their end (a stretch without quotes)', async () => {
    // The first line opens a quote nothing closes and 100 KB without quotes follow: searches for a quote run far
    // ahead, so the next 4,096 lines are left to the splitter (see split.ts), then the quick check resumes.
    const noQuotes = `o b [t] i r q op k "GET /x\n${'x '.repeat(50_000)}\n`;
    const summary = await both([file('far.log', `${noQuotes}${block.repeat(500)}`)]);
    expect(summary.records).toBe(500 * RECORDS);
    expect(summary.unparsed).toBe(2 + 500);
  });

  it('counts gzip inputs and many small files', async () => {
    const sources = [
      file('mixed.gz', zlib.gzipSync(block)),
      ...Array.from({ length: 40 }, (_, i) => file(`small-${i}.log`, lines[i % lines.length])),
    ];
    const summary = await both(sources);
    const smallRecords = Array.from({ length: 40 }, (_, i) => i % lines.length).filter(
      (i) => i !== NOT_A_RECORD,
    );
    expect(summary.records).toBe(RECORDS + smallRecords.length);
    expect(summary.unparsed).toBe(1 + 40 - smallRecords.length);
  });
});
