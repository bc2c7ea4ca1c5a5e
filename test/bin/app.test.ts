import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Runs bin/app.ts the way the CDK CLI does: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR. */
function runApp(context: Record<string, string>) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 's3al-app-'));
  outdirs.push(outdir);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/app.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify(context),
      CDK_VALIDATION: 'false',
    },
  });
  return { ...result, outdir };
}

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the CDK app', () => {
  it('writes one template per Region, each stack named after its Region', () => {
    const { status, stderr, outdir } = runApp({ regions: 'us-east-1,eu-west-1' });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
    expect(templates.sort()).toEqual([
      'S3AccessLogs-eu-west-1.template.json',
      'S3AccessLogs-us-east-1.template.json',
    ]);
  });

  it('fails with a message naming a Region code that does not exist', () => {
    const { status, stderr } = runApp({ regions: 'us-east-1,not-a-region' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^s3-access-logs: Context regions names unknown Region code\(s\): not-a-region\./);
  });
});
