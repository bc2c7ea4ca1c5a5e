/**
 * Benchmark: bucket logging over 10,000 buckets against a local S3 stub (50 ms per call, 5% `503 SlowDown`).
 *
 * Runs the real handler code (the isComplete entry the Provider framework calls, with the real
 * @aws-sdk/client-s3 pointed at the stub by endpoint override and path-style addressing). The state table is
 * InMemoryStateStore, an in-memory implementation of the handler's StateStore interface (no DynamoDB here).
 * Then it checks every bucket's final configuration in the stub, runs again to show that nothing is
 * rewritten, and times the seed's way (GetBucketLogging then PutBucketLogging, one bucket after another,
 * same client configuration and stub) on a sample of fresh buckets, scaled linearly to the full count; and
 * the same loop with the SDK's standard retry mode, for comparison.
 *
 * Progress goes to stderr; the last stdout line is one JSON object with the figures.
 * Settings (environment): BENCH_BUCKETS (10000), BENCH_SEQUENTIAL_BUCKETS (500), BENCH_LATENCY_MS (50),
 * BENCH_THROTTLE_RATE (0.05), BENCH_CONCURRENCY (the construct's default).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { GetBucketLoggingCommand, PutBucketLoggingCommand, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { CdkCustomResourceIsCompleteEvent } from 'aws-lambda';
import { isComplete } from '../lib/bucket-logging/handler';
import type { Deps } from '../lib/bucket-logging/handler/run';
import { BucketApi, createS3Clients } from '../lib/bucket-logging/handler/s3';
import { type BucketLoggingConfig, DEFAULT_CONCURRENCY } from '../lib/bucket-logging/types';
import { DEFAULT_EXCLUDE_TAG_KEY, KeyFormat, LOG_TARGET_ROLE, ROLE_TAG_KEY } from '../lib/conventions';
import { InMemoryStateStore } from './in-memory-state-store';
import type { StubBucket, StubLogging, StubOptions, StubStats } from './s3-stub';

const env = (key: string, fallback: number) => (process.env[key] ? Number(process.env[key]) : fallback);
const BUCKETS = env('BENCH_BUCKETS', 10_000);
const SEQUENTIAL_BUCKETS = env('BENCH_SEQUENTIAL_BUCKETS', 500);
const CONCURRENCY = env('BENCH_CONCURRENCY', DEFAULT_CONCURRENCY);
const STUB: StubOptions = {
  latencyMs: env('BENCH_LATENCY_MS', 50),
  throttleRate: env('BENCH_THROTTLE_RATE', 0.05),
  seed: 20261125,
  maxPage: 10_000,
};
const REGION = 'us-east-1';
const LOG_BUCKET = `s3-access-logs-111122223333-${REGION}`;
const SECURITY_BUCKET = 'security-pipeline-logs';
/** The Lambda timeout the construct sets. */
const LAMBDA_TIMEOUT_MS = 15 * 60_000;

const say = (message: string) => process.stderr.write(`${message}\n`);

type Kind = 'plain' | 'opted-out' | 'logs-elsewhere' | 'already' | 'role' | 'other-region';

/** The population: mostly plain buckets, plus every kind the handler must treat differently. */
function population(): { buckets: StubBucket[]; kinds: Map<string, Kind> } {
  const kinds = new Map<string, Kind>();
  const buckets: StubBucket[] = [];
  const add = (
    name: string,
    kind: Kind,
    region: string,
    tags: Record<string, string>,
    logging: StubLogging | null,
  ) => {
    kinds.set(name, kind);
    buckets.push({ name, region, tags, logging });
  };
  add(LOG_BUCKET, 'role', REGION, { [ROLE_TAG_KEY]: LOG_TARGET_ROLE }, null);
  add(SECURITY_BUCKET, 'role', REGION, { [ROLE_TAG_KEY]: 'athena-results' }, null);
  for (let i = 0; i < BUCKETS; i++) {
    const name = `app-${String(i).padStart(5, '0')}-${(i * 2654435761) % 100_000}`;
    if (i % 50 === 7) add(name, 'opted-out', REGION, { [DEFAULT_EXCLUDE_TAG_KEY]: 'yes', team: 'x' }, null);
    else if (i % 50 === 19) {
      add(
        name,
        'logs-elsewhere',
        REGION,
        {},
        { targetBucket: SECURITY_BUCKET, targetPrefix: `${name}/`, keyFormat: 'simple' },
      );
    } else if (i % 100 === 31) add(name, 'already', REGION, {}, wanted(name));
    else add(name, 'plain', REGION, i % 3 === 0 ? { team: `t${i % 7}` } : {}, null);
  }
  for (let i = 0; i < 300; i++) add(`eu-app-${i}`, 'other-region', 'eu-west-1', {}, null);
  return { buckets, kinds };
}

/** The configuration a bucket should end with, spelled out here rather than taken from the handler. */
function wanted(name: string): StubLogging {
  return { targetBucket: LOG_BUCKET, targetPrefix: `${name}/`, keyFormat: 'partitioned:EventTime' };
}

function sameLogging(a: StubLogging | null, b: StubLogging | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const config: BucketLoggingConfig = {
  region: REGION,
  targetBucket: LOG_BUCKET,
  prefixTemplate: '{bucket}/',
  keyFormat: KeyFormat.PARTITIONED,
  include: [],
  exclude: [],
  excludeTagKey: DEFAULT_EXCLUDE_TAG_KEY,
  overwriteExisting: false,
  concurrency: CONCURRENCY,
  failOnErrors: false,
  restoreOnDelete: true,
  stateTableName: 'in-memory',
};

async function startStub(buckets: StubBucket[]): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(path.join(__dirname, 'stub-server.ts'), [], { execArgv: ['--import', 'tsx'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url: string }) => resolve(m.url));
    child.once('exit', (code) => reject(new Error(`stub exited with ${code}`)));
    child.send({ options: STUB, buckets });
  });
  return { child, url };
}

async function admin<T>(url: string, op: string, body?: unknown): Promise<T> {
  const init = body === undefined ? { method: 'GET' } : { method: 'POST', body: JSON.stringify(body) };
  const res = await fetch(`${url}/_stub/${op}`, init);
  return (await res.json()) as T;
}

const sum = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

/** Calls the handler the way the Provider framework does, until it says the run is complete. */
async function runLikeProvider(
  clientConfig: S3ClientConfig,
  state: InMemoryStateStore,
  requestType: 'Create' | 'Update',
) {
  const clients = createS3Clients(config.concurrency, clientConfig);
  const logged: Record<string, number> = {};
  const deps: Deps = {
    s3: new BucketApi(clients, REGION),
    state,
    log: (entry) => {
      const key = String(entry.outcome ?? entry.event);
      logged[key] = (logged[key] ?? 0) + 1;
    },
    now: Date.now,
    newId: randomUUID,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
  const event = {
    RequestType: requestType,
    RequestId: randomUUID(),
    ResourceProperties: { ServiceToken: 'bench', Config: JSON.stringify(config) },
  } as unknown as CdkCustomResourceIsCompleteEvent;
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  let invocations = 0;
  for (;;) {
    invocations++;
    const invocationStart = Date.now();
    const context = { getRemainingTimeInMillis: () => LAMBDA_TIMEOUT_MS - (Date.now() - invocationStart) };
    const response = await isComplete(event, context, () => deps);
    if (response.IsComplete) {
      for (const c of clients) c.destroy();
      const cpu = process.cpuUsage(cpuBefore);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      return {
        seconds: (Date.now() - started) / 1000,
        cpuSeconds,
        invocations,
        data: response.Data ?? {},
        logged,
      };
    }
  }
}

/** The seed's loop: for one bucket after another, GetBucketLogging then PutBucketLogging, on fresh buckets. */
async function sequentialBaseline(
  clientConfig: S3ClientConfig,
  url: string,
  prefix: string,
): Promise<number> {
  const names = Array.from(
    { length: SEQUENTIAL_BUCKETS },
    (_, i) => `${prefix}-${String(i).padStart(5, '0')}`,
  );
  await admin(
    url,
    'add-buckets',
    names.map((name) => ({ name, region: REGION, tags: {}, logging: null })),
  );
  const [client] = createS3Clients(1, clientConfig);
  const started = Date.now();
  for (const name of names) {
    await client.send(new GetBucketLoggingCommand({ Bucket: name }));
    await client.send(
      new PutBucketLoggingCommand({
        Bucket: name,
        BucketLoggingStatus: {
          LoggingEnabled: {
            TargetBucket: LOG_BUCKET,
            TargetPrefix: `${name}/`,
            TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } },
          },
        },
      }),
    );
  }
  const seconds = (Date.now() - started) / 1000;
  client.destroy();
  return seconds;
}

async function main(): Promise<void> {
  const { buckets, kinds } = population();
  const original = new Map(buckets.map((b) => [b.name, b.logging]));
  const { child, url } = await startStub(buckets);
  const clientConfig: S3ClientConfig = {
    region: REGION,
    endpoint: url,
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'benchmark' },
  };
  try {
    say(
      `stub ${url}: ${buckets.length} buckets (${BUCKETS} source buckets in ${REGION}), ${STUB.latencyMs} ms, ${STUB.throttleRate * 100}% SlowDown`,
    );
    const state = new InMemoryStateStore();

    const first = await runLikeProvider(clientConfig, state, 'Create');
    const firstStats = await admin<StubStats>(url, 'stats');
    say(
      `run 1: ${first.seconds.toFixed(1)} s (handler CPU ${first.cpuSeconds.toFixed(1)} s), ${first.invocations} invocation(s), ${JSON.stringify(first.data)}`,
    );
    say(
      `run 1 calls: ${JSON.stringify(firstStats.calls)}, throttled ${firstStats.throttled}, rejected ${JSON.stringify(firstStats.rejected)}`,
    );

    const final = await admin<StubBucket[]>(url, 'buckets');
    let missed = 0;
    let wrong = 0;
    for (const bucket of final) {
      const kind = kinds.get(bucket.name)!;
      const expected =
        kind === 'plain' || kind === 'already' ? wanted(bucket.name) : (original.get(bucket.name) ?? null);
      if (sameLogging(bucket.logging, expected)) continue;
      if (bucket.logging === null && expected !== null) missed++;
      else wrong++;
    }
    say(`verified ${final.length} buckets: missed ${missed}, wrong ${wrong}`);

    await admin(url, 'reset-stats');
    const second = await runLikeProvider(clientConfig, state, 'Update');
    const secondStats = await admin<StubStats>(url, 'stats');
    const rerunWrites = secondStats.calls.PutBucketLogging ?? 0;
    say(
      `run 2: ${second.seconds.toFixed(1)} s (handler CPU ${second.cpuSeconds.toFixed(1)} s), PutBucketLogging ${rerunWrites}, ${JSON.stringify(second.data)}`,
    );

    await admin(url, 'reset-stats');
    const sampleSeconds = await sequentialBaseline(clientConfig, url, 'seq');
    const seqStats = await admin<StubStats>(url, 'stats');
    const sequentialSeconds = (sampleSeconds * BUCKETS) / SEQUENTIAL_BUCKETS;
    say(
      `sequential (same client configuration, adaptive retries): ${SEQUENTIAL_BUCKETS} buckets in ${sampleSeconds.toFixed(1)} s (throttled ${seqStats.throttled}), scaled linearly to ${BUCKETS}: ${sequentialSeconds.toFixed(0)} s`,
    );
    // The adaptive rate limiter also slows a lone sequential client; the standard retry mode shows how much of
    // the speed-up that accounts for.
    const standardSample = await sequentialBaseline(
      { ...clientConfig, retryMode: 'standard' },
      url,
      'seqstd',
    );
    const sequentialStandardSeconds = (standardSample * BUCKETS) / SEQUENTIAL_BUCKETS;
    say(
      `sequential (standard retries): ${SEQUENTIAL_BUCKETS} buckets in ${standardSample.toFixed(1)} s, scaled linearly: ${sequentialStandardSeconds.toFixed(0)} s`,
    );

    const result = {
      buckets: BUCKETS,
      seconds: round(first.seconds),
      sequentialSeconds: round(sequentialSeconds),
      sequentialMeasuredBuckets: SEQUENTIAL_BUCKETS,
      sequentialScaling: 'linear',
      speedup: round(sequentialSeconds / first.seconds),
      sequentialStandardRetrySeconds: round(sequentialStandardSeconds),
      speedupVsStandardRetry: round(sequentialStandardSeconds / first.seconds),
      missed,
      wrong,
      throttled: firstStats.throttled,
      rerunWrites,
      rerunSeconds: round(second.seconds),
      apiCalls: sum(firstStats.calls),
      apiCallsByOperation: firstStats.calls,
      counts: Object.fromEntries(
        Object.entries(first.data)
          .filter(([k]) => k !== 'reportKey')
          .map(([k, v]) => [k, Number(v)]),
      ),
      invocations: first.invocations,
      concurrency: CONCURRENCY,
      latencyMs: STUB.latencyMs,
      throttleRate: STUB.throttleRate,
      stateTable: 'in-memory (InMemoryStateStore, same StateStore interface as DynamoStateStore)',
      peakRssMb: round(process.resourceUsage().maxRSS / 1024),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    child.kill();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
