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
  REPORT_KEY_ATTRIBUTE,
} from '../types';
import { blockingFailures } from './progress';
import { type Deps, type RunResult, reconcile, reconcileOne, restore } from './run';
import { BucketApi, createS3Clients } from './s3';
import { DynamoStateStore } from './state';

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

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const glue = new GlueClient({});
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
    log: (entry) => console.log(JSON.stringify(entry)),
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
  const config = parseConfig(event.ResourceProperties.Config);
  const id = event.RequestType === 'Create' ? physicalIdFor(config) : event.PhysicalResourceId;
  return { PhysicalResourceId: id };
}

type CreateBucketDetail = { eventName?: string; requestParameters?: { bucketName?: string } };
type HandlerEvent =
  | CdkCustomResourceIsCompleteEvent
  | EventBridgeEvent<'Scheduled Event', unknown>
  | EventBridgeEvent<'AWS API Call via CloudTrail', CreateBucketDetail>;

export async function handler(
  event: HandlerEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<CdkCustomResourceIsCompleteResponse | undefined> {
  if ('RequestType' in event) return isComplete(event, context, deps);
  const config = parseConfig(process.env[CONFIG_ENV]);
  return onEventBridge(event, config, context, deps(config));
}

/** Exported with its dependencies as a parameter, for tests. */
export async function isComplete(
  event: CdkCustomResourceIsCompleteEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
  makeDeps: (config: BucketLoggingConfig) => Deps,
): Promise<CdkCustomResourceIsCompleteResponse> {
  const config = parseConfig(event.ResourceProperties.Config);
  const d = makeDeps(config);
  const window = invocationWindow(d, context);
  const trigger =
    event.RequestType === 'Create' ? 'create' : event.RequestType === 'Update' ? 'update' : 'delete';
  const runKey = `${trigger}#${event.RequestId}`;
  let result: RunResult;
  if (event.RequestType === 'Delete') {
    if (!config.restoreOnDelete) return { IsComplete: true, Data: attributes(undefined) };
    // Marker first, then wait for a running sweep to let go: after this no sweep or event changes a bucket.
    await d.state.setDeleted(true, new Date(d.now()).toISOString());
    if (await d.state.runBusy(SWEEP_RUN_KEY, d.now())) return { IsComplete: false };
    result = await restore(config, d, { trigger, runKey, ...window });
  } else {
    await d.state.setDeleted(false, new Date(d.now()).toISOString());
    result = await reconcile(config, d, { trigger, runKey, ...window });
  }
  if (result.status !== 'finished') return { IsComplete: false };
  const blocking = blockingFailures(result.progress);
  // A failing delete would block the stack's deletion for a bucket we can no longer reach: never fail it.
  if (config.failOnErrors && event.RequestType !== 'Delete' && blocking > 0) {
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
  return { IsComplete: true, Data: attributes(result) };
}

function attributes(result: (RunResult & { status: 'finished' }) | undefined): Record<string, string> {
  const data: Record<string, string> = {};
  for (const name of COUNT_NAMES) data[name] = String(result?.progress.counts[name] ?? 0);
  data[REPORT_KEY_ATTRIBUTE] = result?.reportKey ?? '';
  return data;
}

function invocationWindow(d: Deps, context: Pick<Context, 'getRemainingTimeInMillis'>) {
  const now = d.now();
  const remaining = context.getRemainingTimeInMillis();
  return { deadline: now + remaining - DEADLINE_MARGIN_MS, leaseUntil: now + remaining };
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
      await reconcile(config, d, { trigger: 'sweep', runKey: SWEEP_RUN_KEY, stopIfDeleted: true, ...window });
      return undefined;
    }
    case 'AWS API Call via CloudTrail': {
      const bucket = event.detail.requestParameters?.bucketName;
      if (event.detail.eventName !== 'CreateBucket' || !bucket) {
        d.log({ level: 'warn', event: 'ignored-event', detail: event.detail });
        return undefined;
      }
      await d.sleep(EVENT_SETTLE_MS);
      await reconcileOne(config, d, bucket, EVENT_RETRY_PAUSE_MS);
      return undefined;
    }
    default: {
      const never: never = event;
      throw new Error(`unexpected event ${JSON.stringify(never)}`);
    }
  }
}
