import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lib from '../../lib';
import { PUBLIC_EXPORTS } from './public-exports';

const ROOT = path.resolve(__dirname, '../..');

interface PackageJson {
  main: string;
  types: string;
  exports: Record<string, string | { types: string; default: string }>;
  files: string[];
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  workspaces?: string[];
}

const readPackage = (folder: string) =>
  JSON.parse(fs.readFileSync(path.join(ROOT, folder, 'package.json'), 'utf8')) as PackageJson;
const pkg = readPackage('.');
const cliPkg = readPackage('cli');

/** The source a compiled path (`./dist/lib/x.js` or `.d.ts`) is built from. */
function sourceOf(compiled: string): string {
  return path.join(ROOT, compiled.replace(/^\.\/dist\//, '').replace(/(\.d\.ts|\.js)$/, '.ts'));
}

describe('package.json', () => {
  it('exports exactly the public API from the package root', () => {
    expect(Object.keys(lib).sort()).toEqual([...PUBLIC_EXPORTS].sort());
  });

  it('points main, types and every export at a file (or, for a pattern, a folder) the build compiles from lib/', () => {
    const targets = [
      pkg.main,
      pkg.types,
      ...Object.entries(pkg.exports)
        .filter(([subpath]) => subpath !== './package.json')
        .flatMap(([, target]) => (typeof target === 'string' ? [target] : [target.types, target.default])),
    ].map((t) => (t.startsWith('./') ? t : `./${t}`));
    for (const target of targets) {
      expect(target).toMatch(/^\.\/dist\/lib\//);
      const source = target.includes('*') ? path.dirname(sourceOf(target)) : sourceOf(target);
      expect([target, fs.existsSync(source)]).toEqual([target, true]);
    }
  });

  it('ships the compiled library and no sources, tests, benchmarks or CLI', () => {
    expect(pkg.files).toContain('dist/lib/');
    expect(pkg.bin).toBeUndefined();
    expect(pkg.files.filter((f) => /^(lib|test|bench|examples|scripts|cli|bin)\b|\.ts$/.test(f))).toEqual([]);
  });

  it("brings none of the CLI's engine: no DuckDB, commander or S3 client", () => {
    for (const name of ['@duckdb/node-api', 'commander', '@aws-sdk/client-s3']) {
      expect([name, pkg.dependencies?.[name]]).toEqual([name, undefined]);
      expect([name, cliPkg.dependencies?.[name]]).toEqual([name, expect.any(String)]);
    }
  });

  it('keeps the CLI in its own workspace, which ships its launcher and compiled code but no sources', () => {
    expect(pkg.workspaces).toEqual(['cli']);
    expect([...cliPkg.files].sort()).toEqual(['bin/', 'dist/']);
    expect(Object.keys(cliPkg.bin ?? {})).toEqual(['s3-access-logs']);
    for (const target of Object.values(cliPkg.bin ?? {})) {
      expect(fs.existsSync(path.join(ROOT, 'cli', target))).toBe(true);
    }
  });

  it('keeps aws-cdk-lib and constructs as optional peer dependencies, developed against a version in range', () => {
    for (const name of ['aws-cdk-lib', 'constructs']) {
      expect(pkg.dependencies?.[name]).toBeUndefined();
      // Optional, so that installing the CLI (which needs the library's pure modules only) does not install them.
      expect(pkg.peerDependenciesMeta?.[name]?.optional).toBe(true);
      const floor = pkg.peerDependencies?.[name]?.match(/^\^(\d+)\.(\d+)\.(\d+)$/);
      expect(floor).not.toBeNull();
      const installed = (require(`${name}/package.json`) as { version: string }).version
        .split('.')
        .map(Number);
      const [major, minor] = [Number(floor![1]), Number(floor![2])];
      expect(installed[0]).toBe(major);
      expect(installed[1]).toBeGreaterThanOrEqual(minor);
    }
  });
});
