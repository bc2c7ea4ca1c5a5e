import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { UsageError } from '../../src/errors';
import { resolveInputs } from '../../src/inputs/resolve';
import { timeWindow } from '../../src/inputs/time-window';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resolve-'));
  fs.mkdirSync(path.join(dir, 'b', 'deeper'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'a.log'), 'x\n');
  fs.writeFileSync(path.join(dir, 'b', 'deeper', '2024-05-01-00-00-00-A'), 'x\n');
  fs.writeFileSync(path.join(dir, 'b', '2024-01-01-00-00-00-B'), 'x\n');
  fs.writeFileSync(path.join(dir, 'b', 'packed'), zlib.gzipSync('x\n'));
  fs.writeFileSync(path.join(dir, 'b', '.hidden'), 'x\n');
  fs.mkdirSync(path.join(dir, 'empty'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('resolveInputs', () => {
  it('walks folders recursively in name order, skipping hidden files, and sniffs gzip by content', async () => {
    const { sources } = await resolveInputs([dir], timeWindow());
    expect(sources.map((s) => (s.kind === 'file' ? [path.relative(dir, s.path), s.gzip] : s.kind))).toEqual([
      ['a.log', false],
      ['b/2024-01-01-00-00-00-B', false],
      ['b/deeper/2024-05-01-00-00-00-A', false],
      ['b/packed', true],
    ]);
  });

  it("skips the project's own _s3-access-logs/ folder in a copy of a log bucket, as in S3", async () => {
    const bucket = fs.mkdtempSync(path.join(os.tmpdir(), 'bucket-copy-'));
    fs.mkdirSync(path.join(bucket, '_s3-access-logs', 'reports'), { recursive: true });
    fs.writeFileSync(path.join(bucket, '_s3-access-logs', 'reports', 'run.json'), '{}\n');
    fs.writeFileSync(path.join(bucket, 'access.log'), 'x\n');
    const walked = await resolveInputs([bucket], timeWindow());
    expect(walked.sources.map((s) => path.relative(bucket, s.name))).toEqual(['access.log']);
    // Named on the command line, it is read like any folder.
    const named = await resolveInputs([path.join(bucket, '_s3-access-logs')], timeWindow());
    expect(named.sources).toHaveLength(1);
    fs.rmSync(bucket, { recursive: true, force: true });
  });

  it('skips walked files whose S3-style name is dated outside the window, and counts them', async () => {
    const { sources, skippedByName } = await resolveInputs([path.join(dir, 'b')], timeWindow('2024-04-01'));
    expect(sources.map((s) => s.name)).toEqual([
      path.join(dir, 'b', 'deeper', '2024-05-01-00-00-00-A'),
      path.join(dir, 'b', 'packed'),
    ]);
    expect(skippedByName).toBe(1);
  });

  it('does not call a folder empty when its files were skipped by their date', async () => {
    const folder = path.join(dir, 'b', 'deeper');
    const { sources, empty, skippedByName } = await resolveInputs([folder], timeWindow('2025-01-01'));
    expect([sources, empty, skippedByName]).toEqual([[], [], 1]);
  });

  it('reads a file once when it is named twice or also inside a folder given', async () => {
    const file = path.join(dir, 'b', 'packed');
    const { sources } = await resolveInputs(
      [file, path.join(dir, 'b'), `${path.join(dir, 'b')}/./packed`],
      timeWindow(),
    );
    expect(sources.map((s) => s.name)).toEqual([
      file,
      path.join(dir, 'b', '2024-01-01-00-00-00-B'),
      path.join(dir, 'b', 'deeper', '2024-05-01-00-00-00-A'),
    ]);
  });

  it('keeps the order of the arguments and takes - as standard input', async () => {
    const file = path.join(dir, 'a.log');
    const { sources } = await resolveInputs(['-', file], timeWindow());
    expect(sources.map((s) => s.name)).toEqual(['-', file]);
  });

  it('reports a folder with nothing to read', async () => {
    const { sources, empty } = await resolveInputs([path.join(dir, 'empty')], timeWindow());
    expect(sources).toEqual([]);
    expect(empty).toEqual([path.join(dir, 'empty')]);
  });

  it('reports a missing input by name and resolves the others', async () => {
    const missing = path.join(dir, 'nope.log');
    const file = path.join(dir, 'a.log');
    const { sources, failed } = await resolveInputs([missing, file], timeWindow());
    expect(failed).toEqual([`${missing}: no such file or folder`]);
    expect(sources.map((s) => s.name)).toEqual([file]);
  });

  it('treats no inputs and a repeated - as usage errors', async () => {
    await expect(resolveInputs([], timeWindow())).rejects.toThrow(UsageError);
    await expect(resolveInputs(['-', '-'], timeWindow())).rejects.toThrow(UsageError);
  });
});
