import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { embeddingAssemblyProblems, logBuckets, readStacks } from './embedding-assembly';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE = path.join(ROOT, 'examples/embedding/app.ts');

/**
 * Runs the README's embedding example as the CDK CLI would, against lib/ (tsx maps the package name to
 * lib/index.ts through tsconfig.json's `paths`). The outside-in test runs the same file against the packed
 * package (npm run test:package).
 */
function synthExample() {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 's3al-embedding-'));
  const result = spawnSync(process.execPath, ['--import', 'tsx', EXAMPLE], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_VALIDATION: 'false' },
  });
  return { ...result, outdir };
}

describe('the embedding example', () => {
  const run = synthExample();
  afterAll(() => fs.rmSync(run.outdir, { recursive: true, force: true }));

  it('synthesizes without an error', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('synthesizes what the README describes', () => {
    expect(embeddingAssemblyProblems(run.outdir)).toEqual([]);
  });

  it('gives every log bucket it creates a different name', () => {
    const names = readStacks(run.outdir).flatMap((stack) =>
      logBuckets(stack).map((bucket) => bucket.Properties?.BucketName),
    );
    expect(names).toHaveLength(3);
    expect(new Set(names).size).toBe(names.length);
  });
});
