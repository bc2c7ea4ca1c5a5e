import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
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
