/**
 * The runs (lib/bucket-logging/handler/run.ts) called directly: what each one returns, what it leaves in the
 * state table for the next invocation, the Athena table's bucket list, the report, and the structured log
 * lines an operator reads (their event names, levels and fields are the interface of the logs).
 */
import { GetTableCommand, UpdateTableCommand, type UpdateTableCommandInput } from '@aws-sdk/client-glue';
import { GetBucketLocationCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { WRITE_SETTLE_MS } from '../../../lib/bucket-logging/handler/buckets';
import { newProgress } from '../../../lib/bucket-logging/handler/progress';
import {
  configFingerprint,
  type Deps,
  iso,
  type RunOptions,
  reconcile,
  reportKeyFor,
  restore,
} from '../../../lib/bucket-logging/handler/run';
import { BucketApi, createS3Clients } from '../../../lib/bucket-logging/handler/s3';
import type { DynamoStateStore } from '../../../lib/bucket-logging/handler/state';
import type { BucketLoggingConfig } from '../../../lib/bucket-logging/types';
import {
  BUCKET_PROJECTION_VALUES_PARAMETER,
  KeyFormat,
  NO_BUCKETS_PLACEHOLDER,
  REPORTS_PREFIX,
} from '../../../lib/conventions';
import { bucketLoggingConfig } from '../../util/bucket-logging-config';
import { type FakeS3, type FakeTable, s3Error } from './fakes';
import {
  credentials,
  type GlueMock,
  type HandlerWorld,
  handlerConfig,
  handlerWorld,
  type LogLines,
  REGION,
  START,
  TARGET,
  wanted,
} from './world';

/** A 15-minute invocation's lease, and its deadline a minute before. */
const LEASE_UNTIL = START + 900_000;
const DEADLINE = LEASE_UNTIL - 60_000;
const glueTable = { databaseName: 'logs_db', tableName: 'access_logs' };

/** One bucket at a time, so that the order of the work (and of the log lines) is the listing's. */
const config = (overrides: Partial<BucketLoggingConfig> = {}): BucketLoggingConfig =>
  handlerConfig({ concurrency: 1, ...overrides });

/** A deploy run's invocation (create#1 unless named). */
const deployRun = (overrides: Partial<RunOptions> = {}): RunOptions => ({
  trigger: 'create',
  runKey: 'create#1',
  deadline: DEADLINE,
  leaseUntil: LEASE_UNTIL,
  fence: { kind: 'generation', generation: overrides.runKey ?? 'create#1' },
  ...overrides,
});

/** A scheduled sweep's invocation under the settings of `cfg`. */
const sweepRun = (cfg: BucketLoggingConfig, overrides: Partial<RunOptions> = {}): RunOptions => ({
  trigger: 'sweep',
  runKey: 'sweep',
  stopIfDeleted: true,
  deadline: DEADLINE,
  leaseUntil: LEASE_UNTIL,
  fence: { kind: 'fingerprint', fingerprint: configFingerprint(cfg) },
  ...overrides,
});

/** The delete's invocation, starting now. */
const deleteRun = (): RunOptions => ({
  trigger: 'delete',
  runKey: 'delete#1',
  deadline: clock + DEADLINE - START,
  leaseUntil: clock + LEASE_UNTIL - START,
  fence: { kind: 'delete', generation: 'delete#1' },
});

let world: HandlerWorld;
let calls: string[];
let s3: FakeS3;
let table: FakeTable;
let glue: GlueMock;
let store: DynamoStateStore;
let logs: LogLines;
let clock: number;
let deps: Deps;

beforeEach(() => {
  clock = START;
  world = handlerWorld({ now: () => clock });
  ({ calls, s3, table, glue, store, logs, deps } = world);
});

afterEach(() => {
  world.restore();
  jest.restoreAllMocks();
});

const logged = (event: string) => logs.filter((entry) => entry.event === event);
const listedFrom = () =>
  s3.mock.commandCalls(ListBucketsCommand).map((call) => call.args[0].input.ContinuationToken);

/** A Glue table whose bucket list UpdateTable changes, as Glue keeps it. */
function glueTableListing(values: string): { values: () => string } {
  let current = values;
  glue.on(GetTableCommand).callsFake(() => ({
    Table: {
      Name: glueTable.tableName,
      DatabaseName: glueTable.databaseName,
      Parameters: { [BUCKET_PROJECTION_VALUES_PARAMETER]: current },
      VersionId: '1',
    },
  }));
  glue.on(UpdateTableCommand).callsFake((input: UpdateTableCommandInput) => {
    current = input.TableInput?.Parameters?.[BUCKET_PROJECTION_VALUES_PARAMETER] ?? '';
    return {};
  });
  return { values: () => current };
}

describe('configFingerprint', () => {
  it.each<[string, Partial<BucketLoggingConfig>]>([
    ['region', { region: 'eu-west-1' }],
    ['targetBucket', { targetBucket: 'other-logs' }],
    ['prefixTemplate', { prefixTemplate: 'logs/{bucket}/' }],
    ['keyFormat', { keyFormat: KeyFormat.SIMPLE }],
    ['include', { include: ['app-*'] }],
    ['exclude', { exclude: ['tmp-*'] }],
    ['excludeTagKey', { excludeTagKey: 'no-logs' }],
    ['overwriteExisting', { overwriteExisting: true }],
  ])('changes with %s, which decides what a bucket gets', (_name, change) => {
    expect(configFingerprint(config(change))).not.toBe(configFingerprint(config()));
  });

  it.each<[string, Partial<BucketLoggingConfig>]>([
    ['concurrency', { concurrency: 16 }],
    ['failOnErrors', { failOnErrors: true }],
    ['restoreOnDelete', { restoreOnDelete: false }],
    ['stateTableName', { stateTableName: 'other-state' }],
    ['glueTable', { glueTable }],
  ])('stays the same when only %s changes, so that sweeps do not stand down for it', (_name, change) => {
    expect(configFingerprint(config(change))).toBe(configFingerprint(config()));
  });

  it('is the value a deployed stack holds for the same settings', () => {
    // Settings items written by earlier releases hold this value: a release that computed another one for the
    // same settings would make every sweep and event stand down until the next deployment.
    expect(configFingerprint(bucketLoggingConfig())).toBe('68de4f4943fd3ced55b790da259064f7');
  });
});

describe('reportKeyFor', () => {
  it('files a report by day, then by its start time, trigger and run id', () => {
    const progress = newProgress('0123456789abcdef-run', 'sweep', '2026-11-05T09:08:07.654Z');

    expect(reportKeyFor(progress)).toBe(`${REPORTS_PREFIX}2026/11/05/20261105T090807Z-sweep-01234567.json`);
  });
});

describe('a run that finishes in one invocation', () => {
  it('logs where each bucket ended up at the level its outcome deserves, and nothing for one already right', async () => {
    s3.add('app')
      .add('done', { logging: wanted('done') })
      .add('locked')
      .failNext('GetBucketLogging', 'locked', s3Error('AccessDenied', 403));

    const result = await reconcile(config(), deps, deployRun());

    expect(result).toMatchObject({ status: 'finished', table: undefined });
    const runId = result.status === 'finished' ? result.progress.runId : '';
    expect(logged('bucket')).toEqual([
      { level: 'info', event: 'bucket', runId, outcome: 'configured', bucket: 'app', why: 'not-logging' },
      {
        level: 'error',
        event: 'bucket',
        runId,
        outcome: 'failed',
        bucket: 'locked',
        operation: 'GetBucketLogging',
        code: 'AccessDenied',
        message: 'AccessDenied (test)',
        retryable: false,
      },
      {
        level: 'info',
        event: 'bucket',
        runId,
        outcome: 'excluded',
        bucket: TARGET,
        reason: 'target-bucket',
      },
    ]);
  });

  it('logs its start and its end with the counts and the report, and returns them', async () => {
    s3.add('app');

    const result = await reconcile(config(), deps, deployRun());

    if (result.status !== 'finished') throw new Error(`finished expected, got ${result.status}`);
    const { runId } = result.progress;
    const reportKey = reportKeyFor(result.progress);
    expect(result.reportKey).toBe(reportKey);
    expect(s3.reports.has(reportKey)).toBe(true);
    expect(logged('run-start')).toEqual([
      { level: 'info', event: 'run-start', runKey: 'create#1', runId, invocation: 1 },
    ]);
    expect(logged('run-finished')).toEqual([
      {
        level: 'info',
        event: 'run-finished',
        runKey: 'create#1',
        runId,
        trigger: 'create',
        invocations: 1,
        counts: result.progress.counts,
        reportKey,
      },
    ]);
    expect(result.progress.counts).toMatchObject({ configured: 1, excluded: 1 });
    expect(table.items.has('run#create#1')).toBe(false);
  });

  it('warns, naming the bucket, the operation and the AWS code, when it leaves a throttled bucket for the final pass', async () => {
    s3.add('busy').failNext('PutBucketLogging', 'busy', s3Error('SlowDown', 503));

    const result = await reconcile(config(), deps, deployRun());

    expect(logged('bucket-deferred')).toEqual([
      {
        level: 'warn',
        event: 'bucket-deferred',
        bucket: 'busy',
        code: 'SlowDown',
        operation: 'PutBucketLogging',
      },
    ]);
    expect(result).toMatchObject({ status: 'finished', progress: { counts: { configured: 1, failed: 0 } } });
  });

  it('reports a bucket whose Region S3 did not give and GetBucketLocation could not tell, as a failure', async () => {
    s3.add('app');
    // An S3-compatible listing: no BucketRegion, and GetBucketLocation is denied for one bucket.
    s3.mock
      .on(ListBucketsCommand)
      .resolves({ Buckets: [{ Name: 'app', BucketRegion: REGION }, { Name: 'mystery' }] });
    s3.mock.on(GetBucketLocationCommand).rejects(s3Error('AccessDenied', 403));

    const result = await reconcile(config(), deps, deployRun());

    expect(result).toMatchObject({
      status: 'finished',
      progress: {
        counts: { configured: 1, failed: 1 },
        failures: [
          {
            bucket: 'mystery',
            operation: 'GetBucketLocation',
            code: 'AccessDenied',
            message: 'AccessDenied (test)',
          },
        ],
      },
    });
    expect(logged('bucket')).toContainEqual({
      level: 'error',
      event: 'bucket',
      runId: expect.any(String),
      outcome: 'failed',
      bucket: 'mystery',
      operation: 'GetBucketLocation',
      code: 'AccessDenied',
      message: 'AccessDenied (test)',
      retryable: false,
    });
  });
});

describe('a run over several invocations', () => {
  it('saves its cursor at the deadline, releasing its lease, and the next invocation resumes where it stopped', async () => {
    s3.pageSize = 2;
    for (const name of ['a-1', 'a-2', 'a-3']) s3.add(name);
    // The deadline passes while a-1 is being configured.
    const held = s3.hold('a-1');
    const first = reconcile(config(), deps, deployRun());
    await held.reached;
    clock = DEADLINE;
    held.release();

    const paused = await first;

    expect(paused).toEqual({ status: 'unfinished', progress: expect.any(Object), table: undefined });
    const progress = paused.status === 'unfinished' ? paused.progress : undefined;
    expect(table.items.get('run#create#1')).toMatchObject({
      leaseUntil: 0,
      progress: { cursor: { pending: ['a-2'], next: '2', sourceDone: false } },
    });
    expect(logged('run-paused')).toEqual([
      {
        level: 'info',
        event: 'run-paused',
        runKey: 'create#1',
        runId: progress?.runId,
        counts: progress?.counts,
        pending: 1,
        retry: 0,
      },
    ]);

    clock = START + 60_000;
    const resumed = await reconcile(config(), deps, deployRun({ deadline: clock + DEADLINE - START }));

    expect(resumed).toMatchObject({
      status: 'finished',
      progress: { invocations: 2, counts: { configured: 3, excluded: 1 } },
    });
    expect(logged('run-start').map((entry) => entry.invocation)).toEqual([1, 2]);
    expect(listedFrom()).toEqual([undefined, '2']);
    for (const name of ['a-1', 'a-2', 'a-3']) expect(s3.count('PutBucketLogging', name)).toBe(1);
  });

  it('after a throttled listing, saves its cursor and the next invocation lists from the page that failed', async () => {
    s3.pageSize = 1;
    s3.add('a-1').add('a-2');
    const cfg = config();
    class ThrottledOnce extends BucketApi {
      throttled = false;
      override async listPage(token: string | undefined, prefix?: string) {
        if (token === '1' && !this.throttled) {
          this.throttled = true;
          throw s3Error('SlowDown', 503);
        }
        return super.listPage(token, prefix);
      }
    }
    deps = { ...deps, s3: new ThrottledOnce(createS3Clients(4, { region: REGION, credentials }), REGION) };

    const paused = await reconcile(cfg, deps, sweepRun(cfg));

    expect(paused).toEqual({ status: 'unfinished', progress: expect.any(Object) });
    const runId = paused.status === 'unfinished' ? paused.progress.runId : '';
    expect(logged('run-paused')).toEqual([
      {
        level: 'warn',
        event: 'run-paused',
        runKey: 'sweep',
        runId,
        operation: 'ListBuckets',
        code: 'SlowDown',
        message: 'ListBuckets failed with SlowDown: SlowDown (test)',
      },
    ]);
    expect(table.items.get('run#sweep')).toMatchObject({
      leaseUntil: 0,
      progress: { cursor: { next: '1' } },
    });

    const resumed = await reconcile(cfg, deps, sweepRun(cfg));

    expect(resumed).toMatchObject({ status: 'finished', progress: { counts: { configured: 2 } } });
    expect(listedFrom()).toEqual([undefined, '1', '2']);
    expect(s3.count('PutBucketLogging', 'a-1')).toBe(1);
  });

  it('fails on a permanent listing failure, naming the operation and the code, with its cursor saved', async () => {
    s3.add('app').failNext('ListBuckets', '', s3Error('AccessDenied', 403));

    await expect(reconcile(config(), deps, deployRun())).rejects.toThrow(
      'ListBuckets failed with AccessDenied: AccessDenied (test)',
    );
    expect(table.items.get('run#create#1')).toMatchObject({ leaseUntil: 0, progress: { invocations: 1 } });
  });

  it('drops no bucket from the Athena table: only a run that saw every bucket in one invocation knows which are gone', async () => {
    s3.pageSize = 2;
    for (const name of ['a-1', 'a-2', 'a-3']) s3.add(name);
    const athena = glueTableListing('zz-deleted-long-ago');
    const held = s3.hold('a-1');
    const first = reconcile(config({ glueTable }), deps, deployRun());
    await held.reached;
    clock = DEADLINE;
    held.release();
    expect(await first).toMatchObject({ status: 'unfinished' });
    expect(athena.values()).toBe('a-1,zz-deleted-long-ago');

    clock = START + 60_000;
    await reconcile(config({ glueTable }), deps, deployRun({ deadline: clock + DEADLINE - START }));

    expect(athena.values()).toBe('a-1,a-2,a-3,zz-deleted-long-ago');
  });
});

describe('a run that does not start or stands down', () => {
  it('does not start while another invocation holds the lease', async () => {
    s3.add('app');
    table.items.set('run#sweep', {
      pk: 'run#sweep',
      lease: 'other',
      leaseUntil: LEASE_UNTIL,
      progress: null,
    });

    const result = await reconcile(config(), deps, sweepRun(config()));

    expect(result).toEqual({ status: 'busy' });
    expect(logs).toEqual([{ level: 'info', event: 'run-busy', runKey: 'sweep' }]);
    expect(s3.count('ListBuckets')).toBe(0);
  });

  it('stops a sweep once the resource is deleted, and drops its run', async () => {
    s3.add('app');
    await store.markDeleted('delete#1', iso(START));

    const result = await reconcile(config(), deps, sweepRun(config()));

    expect(result).toEqual({ status: 'stopped' });
    expect(logs).toEqual([
      { level: 'info', event: 'run-stopped', runKey: 'sweep', reason: 'resource deleted' },
    ]);
    expect(table.items.has('run#sweep')).toBe(false);
    expect(s3.count('ListBuckets')).toBe(0);
  });

  it('sweeps a state table that has no settings item yet (written by a release before settings existed)', async () => {
    s3.add('app');

    const result = await reconcile(config(), deps, sweepRun(config()));

    expect(result).toMatchObject({ status: 'finished', progress: { counts: { configured: 1 } } });
  });

  it('stands a sweep down before listing when its settings are not the deployed ones', async () => {
    s3.add('app', { logging: wanted('app') });
    const deployed = config();
    await store.startDeploy('create#1', configFingerprint(deployed), iso(START));
    const older = config({ include: ['app-*'] });

    const result = await reconcile(older, deps, sweepRun(older));

    expect(result).toEqual({ status: 'stale' });
    expect(s3.count('ListBuckets')).toBe(0);
    expect(s3.reports.size).toBe(0);
    expect(table.items.has('run#sweep')).toBe(false);
    expect(logs).toEqual([
      {
        level: 'warn',
        event: 'run-stale',
        runKey: 'sweep',
        fence: { kind: 'fingerprint', fingerprint: configFingerprint(older) },
        current: 'create#1',
        reason: 'a newer deployment or the delete took over; this run stands down',
      },
    ]);
  });

  it('stands a resumed deploy down, rather than failing, when its settings item was removed by hand', async () => {
    s3.add('app');
    await reconcile(config(), deps, deployRun({ deadline: START }));
    table.items.delete('settings');
    logs.length = 0;

    const result = await reconcile(config(), deps, deployRun());

    expect(result).toEqual({ status: 'stale' });
    expect(logs).toEqual([expect.objectContaining({ event: 'run-stale', current: undefined })]);
    expect(s3.count('PutBucketLogging')).toBe(0);
  });

  it('stands down at the next bucket when a deployment with other settings takes over during a sweep', async () => {
    for (const name of ['a-1', 'a-2', 'a-3']) s3.add(name);
    const cfg = config();
    await store.startDeploy('create#1', configFingerprint(cfg), iso(START));
    const held = s3.hold('a-1');
    const sweeping = reconcile(cfg, deps, sweepRun(cfg));
    await held.reached;
    await store.startDeploy('update#2', configFingerprint(config({ include: ['a-*'] })), iso(clock));
    held.release();

    const result = await sweeping;

    expect(result).toEqual({ status: 'stale' });
    expect(s3.buckets.get('a-1')!.logging).toEqual(wanted('a-1'));
    expect(s3.buckets.get('a-2')!.logging).toBeUndefined();
    // Nothing more is read once the run knows it is stale.
    expect(calls.filter((call) => call.endsWith(' a-3'))).toEqual([]);
    expect(s3.reports.size).toBe(0);
    expect(table.items.has('run#sweep')).toBe(false);
    expect(logged('run-stale')).toEqual([expect.objectContaining({ level: 'warn', runKey: 'sweep' })]);
  });

  it('saves a deploy run at once, so that after an invocation that died no later one writes its settings over a delete', async () => {
    s3.add('a-1').add('a-2');
    const held = s3.hold('a-1');
    // The first invocation is cut off (its Lambda times out) while it changes a-1.
    const cutOff = reconcile(config(), deps, deployRun());
    await held.reached;
    await store.markDeleted('delete#1', iso(clock));
    clock = LEASE_UNTIL + 1;

    const resumed = await reconcile(
      config(),
      deps,
      deployRun({ deadline: clock + 60_000, leaseUntil: clock + 120_000 }),
    );

    expect(resumed).toEqual({ status: 'stale' });
    expect(await store.getSettings()).toMatchObject({ deleted: true, generation: 'delete#1' });
    expect(s3.count('PutBucketLogging', 'a-2')).toBe(0);
    held.release();
    // What was cut off cannot save over the run it lost.
    await expect(cutOff).rejects.toThrow('lost the lease of run create#1');
  });
});

describe('state-table failures', () => {
  /** DynamoDB's answer to a role without the permission (the SDK raises it with this name). */
  const denied = () =>
    Object.assign(new Error('not authorized to perform this action on the state table'), {
      name: 'AccessDeniedException',
    });

  it.each<[string, () => void, RunOptions | 'sweep']>([
    ['DynamoDB PutItem (run lease)', () => table.failWrites('run#create#1', denied()), deployRun()],
    [
      'DynamoDB GetItem (settings)',
      () => jest.spyOn(store, 'getSettings').mockRejectedValueOnce(denied()),
      deployRun(),
    ],
    ['DynamoDB PutItem (settings)', () => table.failWrites('settings', denied()), deployRun()],
    [
      'DynamoDB PutItem (run progress)',
      () => jest.spyOn(store, 'saveRun').mockRejectedValueOnce(denied()),
      deployRun(),
    ],
    [
      'DynamoDB PutItem (run progress)',
      () => jest.spyOn(store, 'saveRun').mockRejectedValueOnce(denied()),
      deployRun({
        runKey: 'sweep',
        trigger: 'sweep',
        deadline: START,
        fence: { kind: 'fingerprint', fingerprint: '' },
      }),
    ],
    [
      'DynamoDB PutItem (run progress)',
      () => {
        s3.failNext('ListBuckets', '', s3Error('SlowDown', 503));
        jest.spyOn(store, 'saveRun').mockRejectedValueOnce(denied());
      },
      'sweep',
    ],
  ])('names the call that failed: %s', async (operation, arrange, options) => {
    s3.add('app');
    arrange();

    const run = reconcile(config(), deps, options === 'sweep' ? sweepRun(config()) : options);

    await expect(run).rejects.toThrow(
      `${operation} failed with AccessDeniedException: not authorized to perform this action on the state table`,
    );
  });

  it("names the state table's scan when the delete cannot list the recorded buckets", async () => {
    await store.markDeleted('delete#1', iso(START));
    jest.spyOn(store, 'recordedBuckets').mockRejectedValueOnce(s3Error('AccessDeniedException', 400));

    await expect(restore(config(), deps, deleteRun())).rejects.toThrow(
      'Scan (state table) failed with AccessDeniedException',
    );
  });
});

describe('the delete', () => {
  it('restores the recorded buckets and takes only them off the Athena table', async () => {
    s3.add('app');
    await reconcile(config(), deps, deployRun());
    await store.markDeleted('delete#1', iso(START));
    clock = START + WRITE_SETTLE_MS;
    const athena = glueTableListing('app,by-hand');
    logs.length = 0;

    const result = await restore(config({ glueTable }), deps, deleteRun());

    expect(s3.buckets.get('app')!.logging).toBeUndefined();
    expect(athena.values()).toBe('by-hand');
    if (result.status !== 'finished') throw new Error(`finished expected, got ${result.status}`);
    expect(result.progress.counts).toEqual({
      configured: 0,
      alreadyConfigured: 0,
      keptExisting: 0,
      excluded: 0,
      failed: 0,
      restored: 1,
      leftAlone: 0,
    });
    expect(logged('bucket')).toEqual([
      {
        level: 'info',
        event: 'bucket',
        runId: result.progress.runId,
        outcome: 'restored',
        bucket: 'app',
        to: null,
      },
    ]);
  });
});

describe('the Athena table and the report', () => {
  it('logs the table update at info and puts it in the report', async () => {
    s3.add('app');
    glueTableListing(NO_BUCKETS_PLACEHOLDER);

    const result = await reconcile(config({ glueTable }), deps, deployRun());

    const update = { status: 'updated', buckets: 1 };
    expect(result).toMatchObject({ status: 'finished', table: update });
    expect(logged('table-buckets')).toEqual([{ level: 'info', event: 'table-buckets', ...update }]);
    expect([...s3.reports.values()][0]).toMatchObject({ table: update });
  });

  it('logs a failed table update at error, naming the code', async () => {
    s3.add('app');
    glue
      .on(GetTableCommand)
      .rejects(Object.assign(new Error('no table'), { name: 'EntityNotFoundException' }));

    await reconcile(config({ glueTable }), deps, deployRun());

    expect(logged('table-buckets')).toEqual([
      {
        level: 'error',
        event: 'table-buckets',
        status: 'failed',
        code: 'EntityNotFoundException',
        message: 'no table',
      },
    ]);
  });

  it('says in the report that there is no table to update when none is configured', async () => {
    s3.add('app');

    await reconcile(config(), deps, deployRun());

    expect([...s3.reports.values()][0]).toHaveProperty('table', null);
    expect(glue.calls()).toHaveLength(0);
  });

  it('logs an error naming the key and the AWS code when the report cannot be written, and the run stands', async () => {
    s3.add('app');
    s3.mock.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));

    const result = await reconcile(config(), deps, deployRun());

    if (result.status !== 'finished') throw new Error(`finished expected, got ${result.status}`);
    expect(result.reportKey).toBeUndefined();
    expect(logged('report-failed')).toEqual([
      {
        level: 'error',
        event: 'report-failed',
        key: reportKeyFor(result.progress),
        code: 'AccessDenied',
        message: 'AccessDenied (test)',
        retryable: false,
      },
    ]);
    expect(s3.buckets.get('app')!.logging).toEqual(wanted('app'));
  });
});
