import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMain } from './run-main';

/** `report`'s command line, run in process: what a user gets for each mistake, and `-o -`. */

const QUERIES = path.join(__dirname, 'fixtures', 'queries.log');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-command-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('writes the page to standard output with -o -', async () => {
  const run = await runMain(['report', QUERIES, '-o', '-', '--quiet']);

  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^<!DOCTYPE html>/);
  expect(run.stdout).toContain('arn:aws:iam::111122223333:user/alice');
});

it('writes the file and says where', async () => {
  const file = path.join(dir, 'report.html');

  const run = await runMain(['report', QUERIES, '-o', file]);

  expect(run.code).toBe(0);
  expect(run.stderr).toContain(`wrote ${file}`);
  expect(fs.readFileSync(file, 'utf8')).toContain('arn:aws:iam::111122223333:user/bob');
});

it.each([
  [['report', QUERIES], /required option '-o, --output <file>' not specified/],
  [['report', QUERIES, '-o', 'r.html', '--top', '0'], /--top <n>.*expected a whole number from 1 to 10/],
  [
    ['report', QUERIES, '-o', '/no/such/folder/r.html'],
    /--output \/no\/such\/folder\/r.html: the folder \/no\/such\/folder does not exist/,
  ],
])('exits 2 and names the mistake for %j', async (args, message) => {
  const run = await runMain(args);

  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(message);
});

it('refuses a folder as the output before reading anything', async () => {
  const run = await runMain(['report', path.join(dir, 'missing.log'), '-o', dir]);

  expect(run.code).toBe(2);
  expect(run.stderr).toContain('is a folder; name a file');
});

it('writes the page over the inputs it could read and exits 3 when another could not be read', async () => {
  const file = path.join(dir, 'partial.html');
  const missing = path.join(dir, 'no-such.log');

  const run = await runMain(['report', QUERIES, missing, '-o', file]);

  expect(run.code).toBe(3);
  expect(run.stderr).toContain(`${missing}: no such file or folder`);
  expect(fs.readFileSync(file, 'utf8')).toContain('arn:aws:iam::111122223333:user/bob');
});
