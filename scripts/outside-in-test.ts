#!/usr/bin/env -S npx tsx
/**
 * The outside-in test (npm run test:package): proves both packages work for the people who install them.
 * Packs the construct library (`npm pack`) and the CLI (`npm pack -w cli`). Creates a throw-away CDK app in a
 * temporary folder outside the repository that depends on the library's tarball and on the LOWEST aws-cdk-lib and
 * constructs the peer ranges allow, checks that none of the CLI's engine came with it, compiles the README's
 * embedding example (examples/embedding/app.ts, the same file) by package name, synthesizes it with the CDK CLI
 * and checks the templates. Then installs the CLI into another throw-away project with one `npm install` naming
 * both tarballs (nothing is published) and runs `query` and `sigv2` on a real log file. Prints the install size
 * of each (node_modules without the peers) and the installed CLI's start-up. Offline apart from the npm registry
 * (installs prefer the local npm cache). Prints the time of each phase and a closing `N passed, N failed` line.
 *
 * KEEP_OUTSIDE_IN=1 keeps the temporary folder for inspection.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { embeddingAssemblyProblems } from '../test/examples/embedding-assembly';
import { PUBLIC_EXPORTS } from '../test/package/public-exports';

const ROOT = path.resolve(__dirname, '..');
const CLI_FOLDER = path.join(ROOT, 'cli');
/** The CLI's engine: what installing the construct library must not bring. */
const CLI_ENGINE = ['@duckdb/node-api', 'commander', '@aws-sdk/client-s3'];
const EXAMPLE = path.join(ROOT, 'examples/embedding/app.ts');
/** A real log file with SigV2 requests (copied unchanged from a peer project, see its README). */
const CLI_FIXTURE = path.join(ROOT, 'test/fixtures/peer/elastic-beats/test.log');

interface PackageJson {
  name: string;
  version: string;
  bin?: Record<string, string>;
  exports?: Record<string, string | Record<string, string>>;
  peerDependencies?: Record<string, string>;
}

interface PackedFile {
  path: string;
}

const pkg = readJson<PackageJson>(path.join(ROOT, 'package.json'));
const cliPkg = readJson<PackageJson>(path.join(CLI_FOLDER, 'package.json'));
const results: Array<{ name: string; outcome: 'passed' | 'failed' | 'skipped'; detail?: string }> = [];
const timings: Array<[string, number]> = [];
/** The phase running now, so that a failure that stops the test names it. */
let currentPhase = 'setting up';

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** Runs a command; throws with its output when it fails. */
function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

function phase<T>(name: string, body: () => T): T {
  currentPhase = name;
  const start = process.hrtime.bigint();
  try {
    return body();
  } finally {
    timings.push([name, Number(process.hrtime.bigint() - start) / 1e9]);
  }
}

function check(name: string, problems: () => string[]): void {
  let found: string[];
  try {
    found = problems();
  } catch (err) {
    found = [(err as Error).message];
  }
  results.push(
    found.length === 0 ? { name, outcome: 'passed' } : { name, outcome: 'failed', detail: found.join('\n') },
  );
  console.log(
    `${found.length === 0 ? 'ok  ' : 'FAIL'} ${name}${found.length ? `\n     ${found.join('\n     ')}` : ''}`,
  );
}

/** The lowest version a peer range allows; only the `^x.y.z` and `>=x.y.z` forms are used here. */
function lowestVersion(name: string): string {
  const range = pkg.peerDependencies?.[name] ?? '';
  const match = range.match(/^(?:\^|>=\s*)(\d+\.\d+\.\d+)$/);
  if (!match) throw new Error(`peerDependencies.${name} '${range}' is not of the form ^x.y.z or >=x.y.z`);
  return match[1];
}

function installedVersion(name: string, from: string): string {
  return readJson<{ version: string }>(path.join(from, 'node_modules', name, 'package.json')).version;
}

/** Every handler source in the repository must have its bundle in the tarball, beside the compiled construct. */
function expectedBundles(): string[] {
  const lib = path.join(ROOT, 'lib');
  return fs
    .readdirSync(lib, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(lib, d.name, 'handler', 'index.ts')))
    .map((d) => `dist/lib/${d.name}/handler.bundle/index.js`);
}

function tarballProblems(files: string[]): string[] {
  const set = new Set(files);
  const problems: string[] = [];
  const sources = files.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f) && !/\.d\.(ts|mts|cts)$/.test(f));
  if (sources.length) problems.push(`TypeScript sources in the tarball: ${sources.join(', ')}`);
  const unwanted = files.filter((f) =>
    /^(test|bench|examples|scripts|lib|api|cli|bin)\/|\.snap$|^tsconfig/.test(f),
  );
  if (unwanted.length) problems.push(`files that are not part of the package: ${unwanted.join(', ')}`);
  // A pattern export (`./log-format/*`) names no one file; the files it maps to are checked by the CLI's run.
  const exportTargets = Object.values(pkg.exports ?? {})
    .flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))
    .filter((t) => !t.includes('*'));
  const required = [
    'package.json',
    'README.md',
    'CHANGELOG.md',
    'dist/lib/index.js',
    'dist/lib/index.d.ts',
    ...exportTargets.map((t) => t.replace(/^\.\//, '')),
    ...expectedBundles(),
  ];
  for (const file of required) if (!set.has(file)) problems.push(`missing from the tarball: ${file}`);
  return problems;
}

/** The CLI's tarball: the launcher, compiled JavaScript (the scan's worker included), no sources or tests. */
function cliTarballProblems(files: string[]): string[] {
  const problems: string[] = [];
  const sources = files.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f) && !/\.d\.(ts|mts|cts)$/.test(f));
  if (sources.length) problems.push(`TypeScript sources in the tarball: ${sources.join(', ')}`);
  const unwanted = files.filter((f) => !/^(bin|dist)\/|^(package\.json|README\.md|LICENSE)$/.test(f));
  if (unwanted.length) problems.push(`files that are not part of the package: ${unwanted.join(', ')}`);
  const set = new Set(files);
  const required = [
    'package.json',
    'dist/main.js',
    'dist/scan/worker.js',
    ...Object.values(cliPkg.bin ?? {}),
  ];
  for (const file of required) if (!set.has(file)) problems.push(`missing from the tarball: ${file}`);
  return problems;
}

/** Packs a package folder (`npm pack`, or `npm pack -w cli`), which runs its prepack build. */
function pack(args: string[], work: string): { filename: string; files: PackedFile[]; unpackedSize: number } {
  const out = run('npm', ['pack', ...args, '--json', '--pack-destination', work], ROOT).stdout;
  const json = out.slice(out.search(/^\[/m));
  const packed = (
    JSON.parse(json) as Array<{ filename: string; files: PackedFile[]; unpackedSize: number }>
  )[0];
  console.log(
    `outside-in: ${packed.filename}: ${packed.files.length} files, ${(fs.statSync(path.join(work, packed.filename)).size / 1024).toFixed(0)} KiB ` +
      `packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked`,
  );
  return packed;
}

/** Every package installed anywhere under a project's node_modules, by name. */
function installedPackages(project: string): Set<string> {
  const marker = `${path.sep}node_modules${path.sep}`;
  const out = spawnSync('npm', ['ls', '--all', '--parseable'], { cwd: project, encoding: 'utf8' }).stdout;
  return new Set(
    out
      .split('\n')
      .filter((line) => line.includes(marker))
      .map((line) =>
        line
          .slice(line.lastIndexOf(marker) + marker.length)
          .split(path.sep)
          .join('/'),
      ),
  );
}

/** `du -sk` of paths, in MiB. */
function mebibytes(paths: string[], cwd: string): number {
  const out = run('du', ['-sk', '-c', ...paths], cwd)
    .stdout.trim()
    .split('\n');
  return Number(out[out.length - 1].split('\t')[0]) / 1024;
}

/**
 * The folders of the named packages and of everything they depend on (dependencies and the optional ones that
 * got installed, such as DuckDB's platform binary; not peers), found as Node would from each dependent.
 */
function dependencyFolders(project: string, names: string[]): string[] {
  const folders = new Set<string>();
  const visit = (name: string, from: string) => {
    for (let dir = from; dir.startsWith(project); dir = path.dirname(dir)) {
      const folder = path.join(dir, 'node_modules', name);
      if (!fs.existsSync(path.join(folder, 'package.json'))) continue;
      if (folders.has(folder)) return;
      folders.add(folder);
      const manifest = readJson<{ dependencies?: object; optionalDependencies?: object }>(
        path.join(folder, 'package.json'),
      );
      for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
        visit(dep, folder);
      }
      return;
    }
  };
  for (const name of names) visit(name, project);
  // A nested folder is counted with its parent.
  return [...folders].filter((f) => ![...folders].some((o) => f !== o && f.startsWith(`${o}${path.sep}`)));
}

/** Prints `du` of what the named packages brought (themselves and their dependencies, not their peers). */
function printInstallSize(label: string, project: string, names: string[]): void {
  const folders = dependencyFolders(project, names);
  console.log(
    `outside-in: install size, ${label}: ${mebibytes(folders, project).toFixed(1)} MiB in ${folders.length} ` +
      `packages (du of ${names.join(' + ')} and their dependencies, without peers; the whole node_modules: ` +
      `${mebibytes(['node_modules'], project).toFixed(1)} MiB)`,
  );
}

/** The median of five wall-clock runs of `node <args>`, in seconds (printed, never asserted). */
function medianSeconds(args: string[], cwd: string): number {
  const times = Array.from({ length: 5 }, () => {
    const start = process.hrtime.bigint();
    run(process.execPath, args, cwd);
    return Number(process.hrtime.bigint() - start) / 1e9;
  }).sort((a, b) => a - b);
  return times[2];
}

function main(): number {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 's3al-outside-in-'));
  const app = path.join(work, 'app');
  const cliProject = path.join(work, 'cli-user');
  console.log(`outside-in: working in ${work}`);
  const cdkLib = lowestVersion('aws-cdk-lib');
  const constructs = lowestVersion('constructs');
  try {
    // 1. Pack. `npm pack` runs prepack, which builds dist/ from the sources (tsc + handler bundles).
    const packed = phase('npm pack (build + pack)', () => pack([], work));
    const tarball = path.join(work, packed.filename);
    check(
      'the tarball holds compiled code, declarations and handler bundles, and no sources, tests or CLI',
      () => tarballProblems(packed.files.map((f) => f.path)),
    );
    // The CLI's prepack builds the library's dist/ too (its compiler reads the library's declarations).
    const packedCli = phase('npm pack -w cli (build + pack)', () => pack(['-w', 'cli'], work));
    const cliTarball = path.join(work, packedCli.filename);
    check('the CLI tarball holds the launcher and compiled code, and no sources or tests', () =>
      cliTarballProblems(packedCli.files.map((f) => f.path)),
    );

    // 2. A throw-away app, as `cdk init` would make it, depending on the tarball and the lowest peers.
    fs.mkdirSync(app);
    fs.writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify(
        {
          name: 'outside-in-app',
          version: '0.0.0',
          private: true,
          dependencies: { [pkg.name]: `file:${tarball}`, 'aws-cdk-lib': cdkLib, constructs },
          devDependencies: {
            typescript: installedVersion('typescript', ROOT),
            '@types/node': installedVersion('@types/node', ROOT),
          },
        },
        null,
        2,
      ),
    );
    fs.writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['es2022'],
          strict: true,
          // Unlike this repository, no skipLibCheck: the package's declarations must type-check as shipped.
          skipLibCheck: false,
          types: ['node'],
        },
        include: ['app.ts'],
      }),
    );
    fs.writeFileSync(
      path.join(app, 'cdk.json'),
      JSON.stringify({ app: 'node app.js', notices: false, context: { 'cli-telemetry': false } }),
    );
    fs.copyFileSync(EXAMPLE, path.join(app, 'app.ts'));
    phase('npm install (tarball + lowest peers)', () =>
      run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app),
    );
    check(
      `installs aws-cdk-lib ${cdkLib} and constructs ${constructs}, the lowest versions the peer ranges allow`,
      () => {
        const got = [installedVersion('aws-cdk-lib', app), installedVersion('constructs', app)];
        return got[0] === cdkLib && got[1] === constructs ? [] : [`installed ${got.join(', ')}`];
      },
    );
    check('needs no esbuild: handlers arrive prebuilt', () =>
      fs.existsSync(path.join(app, 'node_modules/esbuild')) ? ['esbuild was installed into the app'] : [],
    );
    check(`brings none of the CLI's engine (${CLI_ENGINE.join(', ')}) nor the CLI`, () => {
      const installed = installedPackages(app);
      return [...CLI_ENGINE, cliPkg.name]
        .filter((name) => installed.has(name))
        .map((name) => `${name} was installed with the library`);
    });
    printInstallSize('the construct library', app, [pkg.name]);

    // 3. The package root and nothing else.
    check('exports the public API from the package name', () => {
      const code = `process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(pkg.name)})).sort()))`;
      const names = run(process.execPath, ['-e', code], app).stdout;
      const expected = JSON.stringify([...PUBLIC_EXPORTS].sort());
      return names === expected ? [] : [`exports ${names}, expected ${expected}`];
    });
    check('keeps internal modules out of reach (exports map)', () => {
      const code = `try { require('${pkg.name}/dist/lib/access-log-table/table-settings.js'); console.log('reachable') } catch (e) { console.log(e.code) }`;
      const out = run(process.execPath, ['-e', code], app).stdout.trim();
      return out === 'ERR_PACKAGE_PATH_NOT_EXPORTED' ? [] : [`requiring an internal module gave ${out}`];
    });

    // 4. Compile the README's example against the installed declarations, under both module resolutions.
    const tsc = path.join(app, 'node_modules/typescript/bin/tsc');
    check('compiles the README example by package name (module NodeNext)', () => {
      phase('tsc (NodeNext, emits app.js)', () => run(process.execPath, [tsc, '-p', '.'], app));
      return [];
    });
    check('type-checks the README example with the classic node resolution (types, main)', () => {
      phase('tsc (node10, no emit)', () =>
        run(
          process.execPath,
          [tsc, '-p', '.', '--noEmit', '--module', 'commonjs', '--moduleResolution', 'node10'],
          app,
        ),
      );
      return [];
    });

    // 5. Synthesize with the CDK CLI, as the user would, and check the templates.
    const cdk = path.join(ROOT, 'node_modules/aws-cdk/bin/cdk');
    phase('cdk synth', () =>
      run(process.execPath, [cdk, 'synth', '-q', '-o', 'cdk.out'], app, {
        AWS_EC2_METADATA_DISABLED: 'true',
        CDK_DISABLE_CLI_TELEMETRY: 'true',
      }),
    );
    check(
      'synthesizes the README example as it describes (stacks, names, policies, Stage, existing bucket)',
      () => embeddingAssemblyProblems(path.join(app, 'cdk.out')),
    );

    // 6. The CLI, in a project of its own, with one install command naming both tarballs (nothing is published).
    fs.mkdirSync(cliProject);
    fs.writeFileSync(
      path.join(cliProject, 'package.json'),
      JSON.stringify({ name: 'outside-in-cli-user', version: '0.0.0', private: true }, null, 2),
    );
    phase('npm install (CLI + library tarballs, one command)', () =>
      run(
        'npm',
        ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, cliTarball],
        cliProject,
      ),
    );
    check("installs the CLI's engine and not the CDK (the library's peers are optional)", () => {
      const installed = installedPackages(cliProject);
      return [
        ...CLI_ENGINE.filter((name) => !installed.has(name)).map((name) => `${name} is missing`),
        ...['aws-cdk-lib', 'constructs']
          .filter((name) => installed.has(name))
          .map((name) => `${name} was installed`),
      ];
    });
    printInstallSize('the CLI', cliProject, [cliPkg.name, pkg.name]);
    const cli = path.join(cliProject, 'node_modules/.bin/s3-access-logs');
    check('the installed s3-access-logs --help runs and lists sigv2 and query', () => {
      const out = phase('cli --help', () => run(cli, ['--help'], cliProject)).stdout;
      return out.includes('sigv2') && out.includes('query')
        ? []
        : [`--help does not mention sigv2 and query:\n${out}`];
    });
    check('the installed s3-access-logs sigv2 reports the SigV2 requests of a real log file', () => {
      // The fixture's four SigV2 requests all went to awsexamplebucket.
      const out = phase('cli sigv2', () => run(cli, ['sigv2', CLI_FIXTURE], cliProject)).stdout;
      return out.includes('awsexamplebucket') ? [] : [`sigv2 does not name awsexamplebucket:\n${out}`];
    });
    check('the installed s3-access-logs query runs a saved query on DuckDB over a real log file', () => {
      const args = [
        'query',
        'sigv2-requesters',
        CLI_FIXTURE,
        '--param',
        '2019/02/01',
        '--param',
        '2019/02/28',
      ];
      const out = phase('cli query', () => run(cli, [...args, '--format', 'csv'], cliProject)).stdout;
      // The fixture's requester signed four requests with SigV2, all on 6 February 2019.
      return /^79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be,4,/m.test(out)
        ? []
        : [`query sigv2-requesters did not count the fixture's 4 SigV2 requests:\n${out}`];
    });
    const bin = fs.realpathSync(cli);
    const startup = medianSeconds([bin, '--help'], cliProject) - medianSeconds(['-e', '0'], cliProject);
    console.log(
      `outside-in: installed CLI start-up (node <bin> --help less node -e 0, median of 5): ${startup.toFixed(3)} s`,
    );
  } catch (err) {
    check(`${currentPhase} succeeds`, () => [(err as Error).message]);
  } finally {
    if (process.env.KEEP_OUTSIDE_IN) console.log(`outside-in: kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }

  const total = timings.reduce((sum, [, s]) => sum + s, 0);
  for (const [name, seconds] of timings) console.log(`time ${seconds.toFixed(1).padStart(6)} s  ${name}`);
  console.log(`time ${total.toFixed(1).padStart(6)} s  total of the phases above`);
  const count = (o: string) => results.filter((r) => r.outcome === o).length;
  console.log(
    `outside-in: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`,
  );
  return count('failed') === 0 ? 0 : 1;
}

process.exit(main());
