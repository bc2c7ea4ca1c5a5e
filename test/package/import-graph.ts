import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * The repository's import graph as the compiler sees it: TypeScript's own scanner (`ts.preProcessFile`) finds
 * every `import`, `export ... from`, `require('...')` and `import('...')` of a file, and its module resolution
 * (`ts.resolveModuleName` with tsconfig.json, so the `paths` that map `s3-access-logs/...` to lib/ apply as they
 * do for tsc, tsx and jest) says which file or package each one reaches. Type-only imports count: they are
 * edges a later edit can turn into run-time ones.
 */

export const ROOT = path.resolve(__dirname, '..', '..');

/** An edge's target: a file of this repository (relative to ROOT, `/`-separated) or an npm package. */
export type Target =
  | { readonly kind: 'file'; readonly file: string }
  | { readonly kind: 'package'; readonly name: string };

export interface Edge {
  readonly from: string;
  readonly specifier: string;
  readonly to: Target;
}

const config = (() => {
  const file = path.join(ROOT, 'tsconfig.json');
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT).options;
})();

const edgeCache = new Map<string, Edge[]>();

/** `aws-cdk-lib/aws-s3` -> `aws-cdk-lib`, `@aws-sdk/client-s3` -> `@aws-sdk/client-s3`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The imports of one file (relative to ROOT), resolved. Node built-ins are left out. */
export function edgesOf(file: string): Edge[] {
  const cached = edgeCache.get(file);
  if (cached) return cached;
  const absolute = path.join(ROOT, file);
  const info = ts.preProcessFile(fs.readFileSync(absolute, 'utf8'), true, true);
  const edges = info.importedFiles.flatMap(({ fileName: specifier }): Edge[] => {
    if (specifier.startsWith('node:') || builtinModules.includes(specifier)) return [];
    const resolved = ts.resolveModuleName(specifier, absolute, config, ts.sys).resolvedModule;
    const inRepository =
      resolved !== undefined &&
      !resolved.isExternalLibraryImport &&
      !path.relative(ROOT, resolved.resolvedFileName).split(path.sep).includes('node_modules');
    if (inRepository) {
      return [{ from: file, specifier, to: { kind: 'file', file: toRelative(resolved.resolvedFileName) } }];
    }
    if (specifier.startsWith('.')) {
      throw new Error(`${file}: cannot resolve '${specifier}'`);
    }
    return [{ from: file, specifier, to: { kind: 'package', name: packageName(specifier) } }];
  });
  edgeCache.set(file, edges);
  return edges;
}

function toRelative(absolute: string): string {
  return path.relative(ROOT, absolute).split(path.sep).join('/');
}

export interface Closure {
  /** Every repository file reached, the entries included. */
  readonly files: ReadonlySet<string>;
  /** Every edge followed. */
  readonly edges: readonly Edge[];
}

/** Every file and edge reachable from the entries. */
export function closure(entries: readonly string[]): Closure {
  const files = new Set<string>();
  const edges: Edge[] = [];
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const edge of edgesOf(file)) {
      edges.push(edge);
      if (edge.to.kind === 'file') visit(edge.to.file);
    }
  };
  for (const entry of entries) visit(entry);
  return { files, edges };
}

/** The chain of imports from an entry to `target` (for a failure message that shows the way in). */
export function pathTo(entries: readonly string[], target: (edge: Edge) => boolean): string[] | undefined {
  const seen = new Set<string>();
  const queue: Array<{ file: string; trail: string[] }> = entries.map((file) => ({ file, trail: [file] }));
  while (queue.length > 0) {
    const { file, trail } = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const edge of edgesOf(file)) {
      const label = edge.to.kind === 'file' ? edge.to.file : edge.specifier;
      if (target(edge)) return [...trail, label];
      if (edge.to.kind === 'file') queue.push({ file: edge.to.file, trail: [...trail, label] });
    }
  }
  return undefined;
}

/** The TypeScript and JavaScript sources under a folder (relative to ROOT), without bundles and fixtures. */
export function sourcesUnder(folder: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .map((f) => `${folder}/${f.split(path.sep).join('/')}`)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .filter((f) => !/(^|\/)(node_modules|dist|fixtures|[^/]*\.bundle)\//.test(f));
}
