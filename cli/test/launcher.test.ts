import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PEER_DIR } from '../../test/log-format/peer-lines';
import { BIN, cli, ROOT } from './spawn-cli';

/*
 * cli/bin/s3-access-logs.js as an outside tester ran it (issue 13 follow-up): from a clone with TMPDIR unusable,
 * and from a clone where `npm pack` left a dist/ behind.
 */

const BEATS = path.join(PEER_DIR, 'elastic-beats', 'test.log');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'launcher-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a TMPDIR that cannot be written', () => {
  // A regular file as TMPDIR: no folder can be made in it, whoever runs the test (root ignores permissions).
  let tmpdir: string;
  beforeAll(() => {
    tmpdir = path.join(dir, 'not-a-folder');
    fs.writeFileSync(tmpdir, '');
  });

  it('still prints the help, with no tsx source or stack trace', async () => {
    const run = await cli(['--help'], { env: { TMPDIR: tmpdir } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('sigv2');
  });

  it('still scans on worker threads (which load the sources themselves)', async () => {
    const [a, b] = ['a.log', 'b.log'].map((name) => path.join(dir, name));
    // 17 MiB each, so the scan starts a worker thread (it does from 32 MiB of input).
    const big = fs.readFileSync(BEATS, 'utf8').repeat(Math.ceil((17 * 2 ** 20) / fs.statSync(BEATS).size));
    fs.writeFileSync(a, big);
    fs.writeFileSync(b, big);
    const run = await cli(['sigv2', a, b, '--threads', '2', '--verbose'], { env: { TMPDIR: tmpdir } });
    expect(run.stderr).toMatch(/and 1 worker thread\)/);
    expect(run.stderr).not.toMatch(/tsx|\n\s+at /);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('awsexamplebucket');
  });
});

describe('a checkout run from another folder', () => {
  it("maps the library's package exports to lib/ (the saved queries load) without a build", async () => {
    const run = await cli(['query', '--list'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^deleted-object: /m);
  });
});

describe('which code the launcher runs', () => {
  // A copy of the launcher in a stand-in package: a dist/ and (in a checkout) the sources, each saying which
  // it is, and the repository's node_modules for tsx.
  let pkg: string;
  beforeAll(() => {
    pkg = path.join(dir, 'pkg');
    fs.mkdirSync(path.join(pkg, 'bin'), { recursive: true });
    fs.copyFileSync(BIN, path.join(pkg, 'bin', 's3-access-logs.js'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'));
    fs.mkdirSync(path.join(pkg, 'dist'), { recursive: true });
    fs.writeFileSync(
      path.join(pkg, 'dist', 'main.js'),
      "exports.run = () => process.stdout.write('dist\\n');\n",
    );
    fs.mkdirSync(path.join(pkg, 'src'), { recursive: true });
    fs.writeFileSync(
      path.join(pkg, 'src', 'main.ts'),
      "export function run(): void {\n  process.stdout.write('sources\\n');\n}\n",
    );
  });
  const launcher = () => path.join(pkg, 'bin', 's3-access-logs.js');

  it('runs the sources in a checkout, even when a dist/ was built', async () => {
    const run = await cli([], { bin: launcher(), cwd: pkg });
    expect(run).toMatchObject({ code: 0, stdout: 'sources\n', stderr: '' });
  });

  it('names a source that does not compile, without a stack trace', async () => {
    const broken = path.join(dir, 'broken');
    fs.cpSync(pkg, broken, { recursive: true, verbatimSymlinks: true });
    fs.writeFileSync(path.join(broken, 'src', 'main.ts'), 'export function run( {\n');
    const run = await cli([], { bin: path.join(broken, 'bin', 's3-access-logs.js'), cwd: broken });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^s3-access-logs: cannot run the TypeScript sources: [\s\S]*main\.ts:2/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs dist/ where there are no sources (the installed package)', async () => {
    const installed = path.join(dir, 'installed');
    fs.cpSync(pkg, installed, { recursive: true, verbatimSymlinks: true });
    fs.rmSync(path.join(installed, 'src'), { recursive: true });
    const run = await cli([], { bin: path.join(installed, 'bin', 's3-access-logs.js'), cwd: installed });
    expect(run).toMatchObject({ code: 0, stdout: 'dist\n', stderr: '' });
  });
});
