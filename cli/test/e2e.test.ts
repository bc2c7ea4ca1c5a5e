import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as esbuild from 'esbuild';
import { parseLineWithRegex } from 's3-access-logs/log-format';
import { isKnownMalformed, PEER_DIR, peerLines, peerLogFiles } from '../../test/log-format/peer-lines';

/*
 * The real command, spawned as a user runs it: from the repository checkout (bin shim + tsx) and, once, from
 * compiled JavaScript as the published package runs it. Each spawn costs ~0.3 s, so each one checks a lot.
 */

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'cli', 'bin', 's3-access-logs.js');
const BEATS = path.join(PEER_DIR, 'elastic-beats', 'test.log');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnCommand(
  command: string,
  args: string[],
  stdin?: Buffer,
  env: NodeJS.ProcessEnv = {},
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0', ...env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.end(stdin);
  });
}

const cli = (args: string[], stdin?: Buffer, env?: NodeJS.ProcessEnv) =>
  spawnCommand(process.execPath, [BIN, ...args], stdin, env);

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('npx s3-access-logs sigv2 prints the SigV2 requesters of the elastic-beats fixture', async () => {
  const npx = path.join(path.dirname(process.execPath), 'npx');
  const run = await spawnCommand(fs.existsSync(npx) ? npx : 'npx', ['s3-access-logs', 'sigv2', BEATS]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^SigV2: 4 requests from 1 requester/);
  expect(run.stdout).toContain('1. 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be');
});

it('parses gzip from standard input and every peer fixture file: each valid line as the regex reads it', async () => {
  const files = peerLogFiles().map((f) => path.join(PEER_DIR, f));
  const run = await cli(['parse', '-', ...files, '--format', 'jsonl'], zlib.gzipSync(fs.readFileSync(BEATS)));

  expect(run.code).toBe(0);
  const records = run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const valid = peerLines().filter((l) => !isKnownMalformed(l));
  const beats = peerLines(path.join('elastic-beats', 'test.log'));
  expect(valid).toHaveLength(1109);
  expect(records).toEqual([...beats, ...valid].map((l) => parseLineWithRegex(l.text)));
  const malformed = peerLines().find(isKnownMalformed)!;
  expect(run.stderr).toContain(`${path.join(PEER_DIR, malformed.file)}: line ${malformed.lineNumber}\n`);
  expect(run.stderr).toMatch(/^s3-access-logs: 1 line is not an S3 server access log record/);
});

it('reports bad inputs without crashing: binary garbage, a 10 MB line, a truncated last line, an empty file', async () => {
  const bad = path.join(dir, 'bad');
  fs.mkdirSync(bad);
  const beats = fs.readFileSync(BEATS, 'utf8');
  const garbage = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919 + (i >> 3)) % 256));
  fs.writeFileSync(path.join(bad, '1-garbage.bin'), garbage);
  fs.writeFileSync(path.join(bad, '2-long.log'), `${beats}${'x'.repeat(10 << 20)}\n${beats}`);
  // The last line stops in the middle of its request URI, with no newline.
  fs.writeFileSync(path.join(bad, '3-truncated.log'), beats + beats.split('\n')[0].slice(0, 200));
  fs.writeFileSync(path.join(bad, '4-empty.log'), '');

  const run = await cli(['sigv2', bad, '--format', 'csv']);

  expect(run.code).toBe(0);
  // SigV2: four lines in each of the two copies in 2-long.log, four in 3-truncated.log (its cut line is unparsed).
  expect(run.stdout.split('\n')[1]).toMatch(/^79a59df9\w+,12,/);
  expect(run.stderr).toMatch(/1-garbage\.bin: (all \d+ lines \(not an access log\?\)|lines? [\d, .]+)\n/);
  expect(run.stderr).toContain(`${path.join(bad, '2-long.log')}: line 7\n`);
  expect(run.stderr).toContain(`${path.join(bad, '3-truncated.log')}: line 7\n`);
  expect(run.stderr).not.toContain('4-empty.log');
});

describe('worker threads', () => {
  // Just over the 32 MiB below which the scan stays on the main thread.
  let big: string;
  beforeAll(() => {
    big = path.join(dir, 'big.log');
    const block = `${fs.readFileSync(BEATS, 'utf8')}${fs.readFileSync(path.join(PEER_DIR, 'dandi-extraction', '2022-01-01-05-06-35-0123456789ABCDEF'), 'utf8')}`;
    fs.writeFileSync(big, block.repeat(Math.ceil((33 << 20) / block.length)));
  });

  /**
   * Lays the CLI out as `npm install` does: its compiled src/ next to a copy of the launcher, and the library
   * installed beside it in node_modules/s3-access-logs (compiled lib/ and the package.json with its exports), so
   * the compiled code reaches the library only through its package exports, worker threads included.
   */
  async function compiledPackage(): Promise<string> {
    const pkg = path.join(dir, 'package');
    const transpile = async (from: string, to: string) => {
      const entryPoints = fs
        .readdirSync(from, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
      await esbuild.build({
        entryPoints: entryPoints.map((f) => path.join(from, f)),
        outdir: to,
        outbase: from,
        format: 'cjs',
        platform: 'node',
        logLevel: 'silent',
      });
    };
    const library = path.join(pkg, 'node_modules', 's3-access-logs');
    await transpile(path.join(ROOT, 'cli', 'src'), path.join(pkg, 'dist'));
    await transpile(path.join(ROOT, 'lib'), path.join(library, 'dist', 'lib'));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(library, 'package.json'));
    fs.copyFileSync(path.join(ROOT, 'cli', 'package.json'), path.join(pkg, 'package.json'));
    fs.mkdirSync(path.join(pkg, 'bin'));
    fs.copyFileSync(BIN, path.join(pkg, 'bin', 's3-access-logs.js'));
    // The other packages from the checkout; its node_modules/s3-access-logs is a link to the sources, not these.
    for (const name of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
      if (name.startsWith('.') || name.startsWith('s3-access-logs')) continue;
      fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(pkg, 'node_modules', name));
    }
    return path.join(pkg, 'bin', 's3-access-logs.js');
  }

  it('split one large file across two threads, from the checkout and compiled, with the same answer as one', async () => {
    const compiled = await compiledPackage();
    const args = ['sigv2', big, '--format', 'csv', '--verbose'];
    const [one, two, packaged] = await Promise.all([
      cli([...args, '--threads', '1']),
      cli([...args, '--threads', '2']),
      spawnCommand(process.execPath, [compiled, ...args, '--threads', '2']),
    ]);
    for (const run of [one, two, packaged]) expect(run.code).toBe(0);
    expect(one.stderr).toContain('tasks on the main thread)');
    expect(two.stderr).toMatch(/\(\d+ tasks on the main thread and 1 worker thread\)/);
    expect(packaged.stderr).toMatch(/\(\d+ tasks on the main thread and 1 worker thread\)/);
    expect(two.stdout).toBe(one.stdout);
    expect(packaged.stdout).toBe(one.stdout);
    // The same unparsed lines, located the same way, whichever thread read them.
    const unparsed = (stderr: string) => stderr.split('\n').filter((l) => !l.includes(' records from '));
    expect(unparsed(two.stderr)).toEqual(unparsed(one.stderr));
    expect(unparsed(packaged.stderr)).toEqual(unparsed(one.stderr));
    expect(unparsed(one.stderr)[0]).toMatch(
      /^s3-access-logs: [\d,]+ lines are not S3 server access log records/,
    );
  });
});

describe('s3:// inputs, against a local S3 stand-in on 127.0.0.1', () => {
  const OBJECTS = 40;
  const beats = fs.readFileSync(BEATS);
  let server: http.Server;
  let endpoint: string;
  let inFlight = 0;
  let mostInFlight = 0;

  beforeAll(async () => {
    // ListObjectsV2 (one page) and GetObject, path-style, as the SDK sends them to an IP endpoint. Listed sizes
    // add up to 40 MiB so the scan runs on worker threads; every fifth object is gzipped.
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://stub');
      if (url.searchParams.get('list-type') === '2') {
        const keys = Array.from(
          { length: OBJECTS },
          (_, i) => `src/2019-02-06-00-00-${String(i).padStart(2, '0')}-X`,
        );
        res.setHeader('content-type', 'application/xml');
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>logs</Name><IsTruncated>false</IsTruncated>${keys
            .map((k) => `<Contents><Key>${k}</Key><Size>1048576</Size></Contents>`)
            .join('')}</ListBucketResult>`,
        );
        return;
      }
      const index = Number(url.pathname.slice(-4, -2));
      const body = index % 5 === 0 ? zlib.gzipSync(beats) : beats;
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        res.setHeader('content-length', body.length);
        res.end(body);
      }, 20);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('streams every object, several at a time, on worker threads', async () => {
    const run = await cli(
      ['sigv2', 's3://logs/src/', '--format', 'json', '--threads', '2', '--verbose'],
      undefined,
      {
        AWS_ENDPOINT_URL_S3: endpoint,
        AWS_ACCESS_KEY_ID: 'local-stub',
        AWS_SECRET_ACCESS_KEY: 'local-stub',
        AWS_REGION: 'us-east-1',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    );
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.records).toBe(OBJECTS * 6);
    expect(json.sigv2Requests).toBe(OBJECTS * 4);
    expect(run.stderr).toContain(
      // The report alone is written, so the main thread scans beside one worker.
      `from ${OBJECTS} inputs (${OBJECTS} tasks on the main thread and 1 worker thread)`,
    );
    expect(mostInFlight).toBeGreaterThanOrEqual(4);
  });
});
