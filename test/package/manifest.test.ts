import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
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
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;

/** Every .ts file under a folder, skipping the Lambda handlers (bundled, so their imports ship inside). */
function shippedSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'handler' ? [] : shippedSources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The npm package an import specifier names (`@scope/name/sub` -> `@scope/name`); undefined for relative or built-in. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) {
    return undefined;
  }
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const IMPORT = /(?:\bfrom\s+|\bimport\s+|\brequire\(\s*|\bimport\(\s*)['"]([^'"]+)['"]/g;

/** The source a compiled path (`./dist/lib/x.js` or `.d.ts`) is built from. */
function sourceOf(compiled: string): string {
  return path.join(ROOT, compiled.replace(/^\.\/dist\//, '').replace(/(\.d\.ts|\.js)$/, '.ts'));
}

describe('package.json', () => {
  it('exports exactly the public API from the package root', () => {
    expect(Object.keys(lib).sort()).toEqual([...PUBLIC_EXPORTS].sort());
  });

  it('points main, types and every export at a file the build compiles from lib/', () => {
    const targets = [
      pkg.main,
      pkg.types,
      ...Object.entries(pkg.exports)
        .filter(([subpath]) => subpath !== './package.json')
        .flatMap(([, target]) => (typeof target === 'string' ? [target] : [target.types, target.default])),
    ].map((t) => (t.startsWith('./') ? t : `./${t}`));
    for (const target of targets) {
      expect(target).toMatch(/^\.\/dist\/lib\//);
      expect(fs.existsSync(sourceOf(target))).toBe(true);
    }
  });

  it('ships the compiled library and every bin, and no sources, tests or benchmarks', () => {
    expect(pkg.files).toContain('dist/lib/');
    for (const target of Object.values(pkg.bin ?? {})) {
      expect(pkg.files).toContain(target);
      expect(fs.existsSync(path.join(ROOT, target))).toBe(true);
    }
    expect(pkg.files.filter((f) => /^(lib|test|bench|examples|scripts)\b|\.ts$/.test(f))).toEqual([]);
  });

  it('declares every package the shipped code imports as a dependency or peer dependency', () => {
    const declared = new Set([
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}),
    ]);
    const undeclared = shippedSources(path.join(ROOT, 'lib')).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(IMPORT)]
        .map((m) => packageOf(m[1]))
        .filter((name): name is string => name !== undefined && !declared.has(name))
        .map((name) => `${path.relative(ROOT, file)} imports ${name}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('keeps aws-cdk-lib and constructs as peer dependencies, developed against a version in range', () => {
    for (const name of ['aws-cdk-lib', 'constructs']) {
      expect(pkg.dependencies?.[name]).toBeUndefined();
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
