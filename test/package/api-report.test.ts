import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

describe('the API report', () => {
  it('matches the public API exported from lib/index.ts', () => {
    // Emits declarations to a temporary folder and compares API Extractor's report with the committed one.
    const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/api-report.js')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    // On failure the output shows API Extractor's diff and says how to update the report.
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });
});
