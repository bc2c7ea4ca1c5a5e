/**
 * Bundle the AWS SDK into the Lambda handlers, or leave it to the runtime's copy? Builds every handler both ways
 * with the production esbuild settings and prints, per handler: bundle size (raw and gzip) and the time Node takes
 * to load it (`node -e "require(bundle)"`, whole process, median of RUNS, minus `node -e 0`), which is the part of
 * a cold start that the choice changes. The external variant resolves the SDK from this checkout's node_modules,
 * as the runtime would from its own; it loads the same SDK code from more files.
 *
 * Run: npm run --silent bench:handler-bundle   (BENCH_RUNS=n to change the number of runs, default 15)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
// The same settings as scripts/bundle-handlers.js, so the figures describe what ships.
const { ESBUILD_OPTIONS, handlerEntries } = require(path.join(ROOT, 'scripts', 'bundle-handlers.js')) as {
  ESBUILD_OPTIONS: esbuild.BuildOptions;
  handlerEntries: () => string[];
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Handlers that read their configuration when they load get a plausible one, as Lambda gives them, so that the
 * load includes creating their SDK clients.
 */
const HANDLER_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  CENTRAL_DELIVERY_CONFIG: JSON.stringify({
    centralRegion: 'us-east-1',
    centralBucketName: 'central',
    centralAccount: '111122223333',
    logBucketName: 'logs',
    dailyPrefix: '_s3-access-logs/daily/',
  }),
};

function loadMs(script: string): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, stdio: 'pipe', env: HANDLER_ENV });
    if (run.status !== 0) throw new Error(`node -e ${script} failed: ${run.stderr.toString()}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

async function build(
  entry: string,
  outfile: string,
  external: string[],
): Promise<{ bytes: number; gzipBytes: number }> {
  await esbuild.build({ ...ESBUILD_OPTIONS, entryPoints: [entry], outfile, external, logLevel: 'silent' });
  const code = fs.readFileSync(outfile);
  return { bytes: code.length, gzipBytes: gzipSync(code).length };
}

async function main(): Promise<void> {
  // The external bundle must resolve the SDK from this checkout, so it is written inside it.
  const dir = fs.mkdtempSync(path.join(ROOT, 'node_modules', '.bench-bundle-'));
  try {
    const baseline = loadMs('0');
    const handlers = [];
    for (const entry of handlerEntries()) {
      const name = path.basename(path.dirname(path.dirname(entry)));
      const bundled = path.join(dir, `${name}-bundled.js`);
      const external = path.join(dir, `${name}-external.js`);
      const withSdk = await build(entry, bundled, []);
      const withoutSdk = await build(entry, external, ['@aws-sdk/*', '@smithy/*']);
      handlers.push({
        handler: name,
        bundledKb: Math.round(withSdk.bytes / 1024),
        bundledGzipKb: Math.round(withSdk.gzipBytes / 1024),
        bundledLoadMs: Math.round(loadMs(`require(${JSON.stringify(bundled)})`) - baseline),
        externalKb: Math.round(withoutSdk.bytes / 1024),
        externalGzipKb: Math.round(withoutSdk.gzipBytes / 1024),
        externalLoadMs: Math.round(loadMs(`require(${JSON.stringify(external)})`) - baseline),
      });
    }
    for (const h of handlers) console.log(JSON.stringify(h));
    console.log(
      JSON.stringify({
        runs: RUNS,
        nodeStartMs: Math.round(baseline),
        node: process.version,
        cpus: os.cpus().length,
        handlers: handlers.length,
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
