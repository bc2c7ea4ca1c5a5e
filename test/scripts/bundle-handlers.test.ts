import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const { ESBUILD_OPTIONS } = require(path.join(ROOT, 'scripts', 'bundle-handlers.js')) as {
  ESBUILD_OPTIONS: { target: string };
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.endsWith('.bundle') ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('handler bundles', () => {
  it('target the Node.js version of every Lambda runtime the constructs choose', () => {
    const runtimes = sourceFiles(path.join(ROOT, 'lib')).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/Runtime\.NODEJS_(\d+)_X/g)].map((m) => `node${m[1]}`),
    );

    expect(runtimes.length).toBeGreaterThan(0);
    expect(new Set(runtimes)).toEqual(new Set([ESBUILD_OPTIONS.target]));
  });
});
