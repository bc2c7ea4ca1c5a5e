/**
 * Lambda entry points of bucket logging. `onEvent` is the custom resource's (Provider framework) start; it
 * only names the resource. `handler` does the work: the Provider's isComplete calls for create, update and
 * delete (resumable, one deadline-bounded chunk per call), the scheduled sweep, and CloudTrail's CreateBucket
 * events. It imports neither aws-cdk-lib nor constructs: it is bundled on its own.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import type { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  CdkCustomResourceEvent,
  CdkCustomResourceIsCompleteEvent,
  CdkCustomResourceIsCompleteResponse,
  CdkCustomResourceResponse,
  Context,
  EventBridgeEvent,
} from 'aws-lambda';
import {
  type BucketLoggingConfig,
  CONFIG_ENV,
  COUNT_NAMES,
  parseConfig,
  parseResourceProperties,
  REPORT_KEY_ATTRIBUTE,
} from '../types';
import { errorFacts, labelled, OperationError } from './errors';
import { reconcileOne } from './event-run';
import { type CreateBucketDetail, classifyEvent } from './events';
import { deleteMayRestoreFrom } from './fence';
import { blockingFailures, type RunProgress } from './progress';
import { configFingerprint, type Deps, type Logger, type RunResult, reconcile, restore } from './run';
import {
  BucketApi,
  createS3Clients,
  DEFAULT_TIMEOUTS,
  requestHandlerOptions,
  SDK_MAX_ATTEMPTS,
  type Timeouts,
} from './s3';
import { DynamoStateStore } from './state';

export { SDK_MAX_ATTEMPTS } from './s3';

/**
 * Time kept back from the Lambda timeout: in-flight buckets finish (a throttled call may back off for most
 * of a minute), then the progress, the Glue table and the report are written.
 */
export const DEADLINE_MARGIN_MS = 120_000;
/**
 * Before a CreateBucket event's bucket is read. Tools that create a bucket tag it right after (CloudFormation
 * does), so a bucket read at once could look untagged: opted-out or one of the project's own.
 */
export const EVENT_SETTLE_MS = 30_000;
/** Before retrying a throttled CreateBucket event's bucket. */
const EVENT_RETRY_PAUSE_MS = 5_000;
/** The sweep's run key: one sweep at a time, resumed by the next scheduled invocation. */
export const SWEEP_RUN_KEY = 'sweep';
/**
 * How long a deploy run may take in all: CloudFormation gives a custom resource an hour (3,600 s), and the
 * Provider framework's first isComplete call comes after onEvent and one query interval. A run that cannot
 * finish by then fails before it, saying how many buckets are left.
 */
export const DEPLOY_BUDGET_MS = 3_600_000 - 5 * 60_000;

/** The DynamoDB and Glue clients' options: every request ends, and is retried (see `requestHandlerOptions`). */
export function serviceClientOptions(timeouts: Timeouts = DEFAULT_TIMEOUTS) {
  return { maxAttempts: SDK_MAX_ATTEMPTS, requestHandler: requestHandlerOptions(timeouts) };
}

const db = DynamoDBDocumentClient.from(new DynamoDBClient(serviceClientOptions()), {
  marshallOptions: { removeUndefinedValues: true },
});
const glue = new GlueClient(serviceClientOptions());

/**
 * One JSON line per entry, through the console method of its level: with Lambda's JSON log format the line
 * is then filed at that level (console.warn at WARN, console.error at ERROR), so warnings can be filtered.
 */
export function consoleLogger(out: Pick<Console, 'info' | 'warn' | 'error'> = console): Logger {
  return (entry) => {
    const line = JSON.stringify(entry);
    if (entry.level === 'error') out.error(line);
    else if (entry.level === 'warn') out.warn(line);
    else out.info(line);
  };
}
let s3Clients: S3Client[] = [];

function deps(config: BucketLoggingConfig): Deps {
  // Clients are kept across invocations of a warm function; grown if the concurrency was raised.
  if (s3Clients.length < config.concurrency) {
    s3Clients = [
      ...s3Clients,
      ...createS3Clients(config.concurrency - s3Clients.length, { region: config.region }),
    ];
  }
  return {
    s3: new BucketApi(s3Clients, config.region),
    state: new DynamoStateStore(db, config.stateTableName),
    glue,
    log: consoleLogger(),
    now: Date.now,
    newId: randomUUID,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** The physical id names the state table, which is unique per construct and stable across updates. */
export function physicalIdFor(config: BucketLoggingConfig): string {
  return `bucket-logging:${config.region}:${config.stateTableName}`;
}

export async function onEvent(event: CdkCustomResourceEvent): Promise<CdkCustomResourceResponse> {
  const config = parseResourceProperties(event.ResourceProperties).config;
  const id = event.RequestType === 'Create' ? physicalIdFor(config) : event.PhysicalResourceId;
  return { PhysicalResourceId: id };
}

type HandlerEvent =
  | CdkCustomResourceIsCompleteEvent
  | EventBridgeEvent<'Scheduled Event', unknown>
  | EventBridgeEvent<'AWS API Call via CloudTrail', CreateBucketDetail>;

/** The function's entry: anything may arrive (a test event, a misrouted rule); what is not ours is ignored. */
export async function handler(
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<CdkCustomResourceIsCompleteResponse | undefined> {
  const kind = classifyEvent(event);
  if (kind.kind === 'custom-resource') return isComplete(kind.event, context, deps);
  if (kind.kind === 'ignored') {
    consoleLogger()({ level: 'warn', event: 'ignored-event', reason: kind.reason, received: kind.summary });
    return undefined;
  }
  const config = parseConfig(process.env[CONFIG_ENV]);
  return onEventBridge(kind.event, config, context, deps(config));
}

/**
 * Exported with its dependencies as a parameter, for tests. A transient failure (after the SDK's attempts)
 * leaves the run's cursor saved and answers "not complete", so that the next call resumes; a permanent one
 * fails the deployment with the operation and the AWS error code.
 */
export async function isComplete(
  event: CdkCustomResourceIsCompleteEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
  makeDeps: (config: BucketLoggingConfig) => Deps,
): Promise<CdkCustomResourceIsCompleteResponse> {
  const config = parseResourceProperties(event.ResourceProperties).config;
  const d = makeDeps(config);
  const trigger =
    event.RequestType === 'Create' ? 'create' : event.RequestType === 'Update' ? 'update' : 'delete';
  try {
    return await completeOnce(event, context, config, d, trigger);
  } catch (err) {
    // An unlabelled failure (a message of ours, or a state-table call of the bookkeeping) keeps its own words.
    const failure = err instanceof OperationError ? err : undefined;
    const facts = errorFacts(err);
    if (failure?.retryable ?? facts.retryable) {
      d.log({
        level: 'warn',
        event: 'retry-later',
        trigger,
        operation: failure?.operation,
        code: failure?.code ?? facts.code,
      });
      return { IsComplete: false };
    }
    throw new Error(`bucket logging ${trigger} failed: ${failure?.message ?? facts.message}`);
  }
}

async function completeOnce(
  event: CdkCustomResourceIsCompleteEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
  config: BucketLoggingConfig,
  d: Deps,
  trigger: 'create' | 'update' | 'delete',
): Promise<CdkCustomResourceIsCompleteResponse> {
  const window = invocationWindow(d, context);
  const runKey = `${trigger}#${event.RequestId}`;
  const deleting = event.RequestType === 'Delete';
  const result = deleting
    ? await deleteRun(config, d, runKey, window)
    : await reconcile(config, d, {
        trigger,
        runKey,
        fence: { kind: 'generation', generation: runKey },
        ...window,
      });
  if ('IsComplete' in result) return result;
  if (result.status === 'stale') {
    throw new Error(
      `this ${trigger} was superseded by a newer deployment or the delete of the resource; it changed nothing more`,
    );
  }
  if (result.status === 'unfinished' && !deleting) {
    checkTheHour(result.progress, d.now(), window.length);
  }
  if (result.status !== 'finished') return { IsComplete: false };
  // A failing delete would block the stack's deletion for a bucket we can no longer reach: never fail it.
  if (config.failOnErrors && !deleting) failOnBlockingFailures(result);
  return { IsComplete: true, Data: attributes(result) };
}

/**
 * The delete: the marker, then (with restoreOnDelete) the restore, once no write that passed the fence can
 * still land and no sweep holds its lease. An answer for CloudFormation when it must wait or there is nothing
 * to restore.
 */
async function deleteRun(
  config: BucketLoggingConfig,
  d: Deps,
  runKey: string,
  window: ReturnType<typeof invocationWindow>,
): Promise<RunResult | CdkCustomResourceIsCompleteResponse> {
  // Marker first: from here no sweep, event or older deploy run passes the fence, so none writes a record
  // or changes a bucket. One that passed it just before may still write its record: the restore starts
  // once that can no longer happen (FENCE_WINDOW_MS after the marker's first time, kept across calls), so
  // that the scan finds it; its bucket is restored once its change has landed (buckets.ts).
  const marker = await labelled('DynamoDB PutItem (delete marker)', () =>
    d.state.markDeleted(runKey, iso(d.now())),
  );
  if (!config.restoreOnDelete) return { IsComplete: true, Data: attributes(undefined) };
  const from = deleteMayRestoreFrom(marker);
  if (d.now() < from) {
    d.log({
      level: 'info',
      event: 'delete-waits',
      reason: 'record writes that passed the fence',
      until: iso(from),
    });
    return { IsComplete: false };
  }
  if (await labelled('DynamoDB GetItem (sweep lease)', () => d.state.runBusy(SWEEP_RUN_KEY, d.now())))
    return { IsComplete: false };
  return restore(config, d, {
    trigger: 'delete',
    runKey,
    fence: { kind: 'delete', generation: runKey },
    ...window,
  });
}

/** With failOnErrors, a finished deploy run that could not configure some bucket fails, naming the first. */
function failOnBlockingFailures(result: Extract<RunResult, { status: 'finished' }>): void {
  const blocking = blockingFailures(result.progress);
  if (blocking === 0) return;
  const first = result.progress.failures
    .slice(0, 5)
    .map((f) => `${f.bucket} (${f.operation}: ${f.code})`)
    .join(', ');
  // S3's own words say what to fix (InvalidTargetBucketForLogging: the log bucket's owner, Region, policy).
  const reason = result.progress.failures[0]?.message.slice(0, 300);
  throw new Error(
    `${blocking} bucket(s) could not be configured, e.g. ${first}; first error: ${reason}; ` +
      `report: ${result.reportKey ?? 'not written'}`,
  );
}

/**
 * Fails a deploy run that the next invocation could not finish within CloudFormation's hour, rather than
 * let CloudFormation give up on it in silence while it keeps going.
 */
export function checkTheHour(progress: RunProgress, now: number, invocationMs: number): void {
  const started = Date.parse(progress.startedAt);
  if (now + invocationMs <= started + DEPLOY_BUDGET_MS) return;
  const cursor = progress.cursor;
  const left = cursor.pending.length + cursor.retry.length;
  const done = Object.values(progress.counts).reduce((a, b) => a + b, 0);
  throw new Error(
    `bucket logging cannot finish within CloudFormation's hour: ${done} bucket(s) done, ${left} listed and ` +
      `not done yet${cursor.sourceDone ? '' : ', and more not listed yet'}. Narrow \`include\` (e.g. ` +
      'include: ["team-a-*"]) and widen it over several deployments, or deploy with failOnErrors off and let ' +
      'the daily sweep (which resumes where it stops) do the rest.',
  );
}

const iso = (ms: number) => new Date(ms).toISOString();

function attributes(result: (RunResult & { status: 'finished' }) | undefined): Record<string, string> {
  const data: Record<string, string> = {};
  for (const name of COUNT_NAMES) data[name] = String(result?.progress.counts[name] ?? 0);
  data[REPORT_KEY_ATTRIBUTE] = result?.reportKey ?? '';
  return data;
}

function invocationWindow(d: Deps, context: Pick<Context, 'getRemainingTimeInMillis'>) {
  const now = d.now();
  const remaining = context.getRemainingTimeInMillis();
  return { deadline: now + remaining - DEADLINE_MARGIN_MS, leaseUntil: now + remaining, length: remaining };
}

/** The scheduled sweep and CreateBucket events. */
export async function onEventBridge(
  event: Exclude<HandlerEvent, CdkCustomResourceIsCompleteEvent>,
  config: BucketLoggingConfig,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
  d: Deps,
): Promise<undefined> {
  switch (event['detail-type']) {
    case 'Scheduled Event': {
      const window = invocationWindow(d, context);
      await reconcile(config, d, {
        trigger: 'sweep',
        runKey: SWEEP_RUN_KEY,
        stopIfDeleted: true,
        fence: { kind: 'fingerprint', fingerprint: configFingerprint(config) },
        ...window,
      });
      return undefined;
    }
    case 'AWS API Call via CloudTrail': {
      const bucket = event.detail?.requestParameters?.bucketName;
      if (event.detail?.eventName !== 'CreateBucket' || typeof bucket !== 'string' || bucket === '') {
        d.log({
          level: 'warn',
          event: 'ignored-event',
          reason: 'not a CreateBucket call with a bucket name',
        });
        return undefined;
      }
      await d.sleep(EVENT_SETTLE_MS);
      await reconcileOne(config, d, bucket, EVENT_RETRY_PAUSE_MS);
      return undefined;
    }
    default: {
      const never: never = event;
      d.log({
        level: 'warn',
        event: 'ignored-event',
        reason: 'unknown detail-type',
        received: String(never),
      });
      return undefined;
    }
  }
}
