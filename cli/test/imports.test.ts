import * as fs from 'node:fs';
import * as path from 'node:path';

const LIB = path.join(__dirname, '..', '..', 'lib');

/** Every module reachable from `entry` by relative imports and requires, and the packages they name. */
function graph(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    const source = fs.readFileSync(file, 'utf8');
    for (const [, spec] of source.matchAll(/(?:from |require\(|import\()'([^']+)'/g)) {
      if (!spec.startsWith('.')) {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
        continue;
      }
      const base = path.resolve(path.dirname(file), spec);
      const resolved = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      if (resolved === undefined) throw new Error(`${file}: cannot resolve ${spec}`);
      visit(resolved);
    }
  };
  visit(entry);
  return { modules, packages };
}

describe('the CLI', () => {
  it.each([['cli/main.ts'], ['cli/scan/worker.ts']])(
    '%s loads neither aws-cdk-lib nor constructs, nor the table',
    (entry) => {
      const { modules, packages } = graph(path.join(LIB, entry));
      expect([...packages].filter((p) => !p.startsWith('node:')).sort()).toEqual(
        entry.endsWith('main.ts')
          ? ['@aws-sdk/client-s3', '@duckdb/node-api', 'commander']
          : ['@aws-sdk/client-s3'],
      );
      const relative = [...modules].map((m) => path.relative(LIB, m));
      expect(relative.filter((m) => !m.startsWith('cli/'))).toEqual(
        entry.endsWith('main.ts')
          ? expect.arrayContaining(['log-format/index.ts', 'saved-queries/index.ts', 'conventions.ts'])
          : expect.arrayContaining(['log-format/index.ts']),
      );
      expect(relative.some((m) => m.startsWith('access-log'))).toBe(false);
    },
  );
});
