import * as fs from 'node:fs';
import * as path from 'node:path';
import { closure, type Edge, edgesOf, pathTo, ROOT, sourcesUnder } from './import-graph';

/*
 * The directions the architecture depends on (CONTRIBUTING, "Layout"), checked on the real import graph as the
 * compiler resolves it (./import-graph.ts), transitively: a rule broken three imports away fails here too, and
 * the failure shows the chain of imports.
 */

interface PackageJson {
  version: string;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const readPackage = (folder: string) =>
  JSON.parse(fs.readFileSync(path.join(ROOT, folder, 'package.json'), 'utf8')) as PackageJson;
const LIBRARY = readPackage('.');
const CLI_PACKAGE = readPackage('cli');

/** The files the handler bundler starts from: everything they reach is inside a Lambda function. */
const HANDLERS = (require(path.join(ROOT, 'scripts', 'bundle-handlers.js')) as { handlerEntries(): string[] })
  .handlerEntries()
  .map((file) => path.relative(ROOT, file).split(path.sep).join('/'));
/** The CLI's shipped code (its tests may use the library's test helpers). */
const CLI = [...sourcesUnder('cli/src'), ...sourcesUnder('cli/bin')];
const LIB = sourcesUnder('lib');
const TABLE = sourcesUnder('lib/access-log-table');

/**
 * The library modules the CLI may import, and why: none is a construct, and each is also what a construct or
 * handler uses, so the rule exists once. Anything else (a construct, the table) is not the CLI's business.
 */
const CLI_MAY_IMPORT: ReadonlyArray<readonly [prefix: string, why: string]> = [
  ['lib/log-format/', 'the one definition of the log record'],
  ['lib/saved-queries/', 'the SQL that Athena and the CLI both run'],
  ['lib/conventions.ts', 'the reserved prefix a listing of the log bucket skips'],
  ['lib/sigv2-watch/days.ts', "the watch's days, for `digest` run locally"],
  ['lib/sigv2-watch/digest.ts', "the watch's digest, for `digest` run locally"],
  ['lib/sigv2-watch/digest-sql.ts', "the watch's digest SQL, for `digest` run locally"],
  ['lib/sigv2-watch/message.ts', "the watch's message, for `digest` run locally"],
  ['lib/log-compaction/sql.ts', 'the compaction SQL the digest reads through'],
];

const CDK = new Set(['aws-cdk-lib', 'constructs']);
const importsCdk = (edge: Edge) => edge.to.kind === 'package' && CDK.has(edge.to.name);
const intoLib = (edge: Edge) => edge.to.kind === 'file' && edge.to.file.startsWith('lib/');
const describeEdge = (edge: Edge) =>
  `${edge.from} imports '${edge.specifier}'${edge.to.kind === 'file' ? ` (${edge.to.file})` : ''}`;

/** Whether `s3-access-logs/<subpath>` is a subpath the library's package.json exports (patterns included). */
function exported(specifier: string): boolean {
  const subpath = `.${specifier.slice('s3-access-logs'.length)}`;
  return Object.keys(LIBRARY.exports ?? {}).some((key) =>
    key.includes('*')
      ? new RegExp(`^${key.split('*').map(escapeRegExp).join('[^/]+')}$`).test(subpath)
      : key === subpath,
  );
}
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The packages that the given files import directly. */
function packagesOf(files: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const edge of files.flatMap(edgesOf)) {
    if (edge.to.kind === 'package' && !found.has(edge.to.name)) found.set(edge.to.name, edge.from);
  }
  return found;
}

describe('the import graph', () => {
  it('is read: the handlers reach the SDK, the CLI reaches log-format through the package name', () => {
    expect(HANDLERS.length).toBeGreaterThanOrEqual(4);
    expect(
      closure(HANDLERS).edges.some((e) => e.to.kind === 'package' && e.to.name.startsWith('@aws-sdk/')),
    ).toBe(true);
    expect(
      closure(CLI)
        .edges.filter((e) => e.specifier === 's3-access-logs/log-format')
        .map((e) => e.to),
    ).toContainEqual({ kind: 'file', file: 'lib/log-format/index.ts' });
    expect(closure(TABLE).edges.some(importsCdk)).toBe(true);
  });

  it.each(HANDLERS)(
    'the Lambda handler %s imports neither aws-cdk-lib nor constructs, however indirectly',
    (entry) => {
      expect(pathTo([entry], importsCdk)?.join(' -> ')).toBeUndefined();
    },
  );

  it('the CLI imports neither aws-cdk-lib nor constructs, however indirectly', () => {
    expect(pathTo(CLI, importsCdk)?.join(' -> ')).toBeUndefined();
  });

  it('the CLI reaches the library only by its package exports, and only log-format, the saved queries and their pure neighbours', () => {
    const edges = CLI.flatMap(edgesOf).filter(intoLib);
    expect(edges.length).toBeGreaterThan(0);
    const notByExport = edges.filter(
      (e) => !e.specifier.startsWith('s3-access-logs/') || !exported(e.specifier),
    );
    expect(notByExport.map(describeEdge)).toEqual([]);
    const notAllowed = edges.filter(
      (e) =>
        e.to.kind === 'file' &&
        !CLI_MAY_IMPORT.some(([prefix]) => (e.to as { file: string }).file.startsWith(prefix)),
    );
    expect(notAllowed.map(describeEdge)).toEqual([]);
  });

  it('nothing in lib/ imports the CLI, the tests or the benchmarks', () => {
    const outward = LIB.flatMap(edgesOf).filter(
      (e) => e.to.kind === 'file' && /^(cli|test|bench)\//.test(e.to.file),
    );
    expect(outward.map(describeEdge)).toEqual([]);
  });

  it('the table and the CLI share only log-format and the saved queries (and what those two import)', () => {
    const cli = closure(CLI).files;
    const shared = [...closure(TABLE).files].filter((file) => cli.has(file));
    const allowed = closure([...sourcesUnder('lib/log-format'), ...sourcesUnder('lib/saved-queries')]).files;
    expect(shared.filter((file) => !allowed.has(file))).toEqual([]);
    expect(shared).toContain('lib/log-format/index.ts');
  });
});

describe('declared packages', () => {
  it('the library declares every package its shipped code imports (handlers are bundled, so theirs ship inside)', () => {
    const shipped = LIB.filter((file) => !file.split('/').includes('handler'));
    const declared = new Set([
      ...Object.keys(LIBRARY.dependencies ?? {}),
      ...Object.keys(LIBRARY.peerDependencies ?? {}),
    ]);
    const undeclared = [...packagesOf(shipped)].filter(([name]) => !declared.has(name));
    expect(undeclared.map(([name, file]) => `${file} imports ${name}`)).toEqual([]);
  });

  it('the CLI declares every package it imports, the library as a peer of the same version', () => {
    const declared = new Set([
      ...Object.keys(CLI_PACKAGE.dependencies ?? {}),
      ...Object.keys(CLI_PACKAGE.peerDependencies ?? {}),
      // The launcher loads tsx only in a checkout, where the TypeScript sources are (a devDependency of the root).
      'tsx',
    ]);
    const undeclared = [...packagesOf([...closure(CLI).files])].filter(([name]) => !declared.has(name));
    expect(undeclared.map(([name, file]) => `${file} imports ${name}`)).toEqual([]);
    expect(CLI_PACKAGE.peerDependencies?.['s3-access-logs']).toBe(LIBRARY.version);
  });
});
