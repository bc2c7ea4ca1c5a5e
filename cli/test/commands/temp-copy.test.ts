import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { TempCopy } from '../../src/commands/temp-copy';
import { CliError } from '../../src/errors';

let parent: string;
beforeEach(() => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'temp-copy-'));
});
afterEach(() => {
  fs.rmSync(parent, { recursive: true, force: true });
});

describe('TempCopy', () => {
  it('writes in a folder of its own and removes it', async () => {
    const copy = TempCopy.create(parent);
    expect(path.dirname(copy.dir)).toBe(parent);
    await copy.write('a,b\n');
    await copy.close();
    expect(fs.readFileSync(copy.file, 'utf8')).toBe('a,b\n');
    copy.remove();
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it('reports a full disk when closed, naming the folder and the fix, and never rejects a write', async () => {
    const copy = TempCopy.create(parent);
    // The file is opened on the next tick: make it the kernel's always-full device, which fails every write
    // with ENOSPC.
    fs.symlinkSync('/dev/full', copy.file);
    for (let i = 0; i < 100; i++) await copy.write(Buffer.alloc(64 << 10));
    const closed = copy.close();
    await expect(closed).rejects.toThrow(CliError);
    await expect(closed).rejects.toThrow(
      new RegExp(
        `^cannot write the temporary copy of the records in ${copy.dir}: no space left on the device \\(ENOSPC\\) after [\\d.,]+ (bytes|kB|MB)\\. Set TMPDIR`,
      ),
    );
    copy.remove();
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it('names TMPDIR when the folder cannot be made there', () => {
    const notAFolder = path.join(parent, 'file');
    fs.writeFileSync(notAFolder, '');
    expect(() => TempCopy.create(notAFolder)).toThrow(
      new RegExp(`^cannot create a temporary folder in ${notAFolder} .*set TMPDIR to a writable folder`),
    );
  });

  it('warns when the copy of the logs may not fit', () => {
    const copy = TempCopy.create(parent);
    const stderr = new PassThrough();
    const io = { stdout: new PassThrough(), stderr, defaultThreads: 1 };
    copy.warnIfShort(io, 1);
    expect(stderr.read()).toBeNull();
    copy.warnIfShort(io, 2 ** 60);
    expect(String(stderr.read())).toMatch(
      /temporary copy of the records may need up to 807,045 TB in .*, which has [\d.,]+ (bytes|kB|MB|GB|TB) free .* set TMPDIR/,
    );
    copy.remove();
  });
});
