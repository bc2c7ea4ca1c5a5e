/** The thin S3 shell: one method per S3 operation the handler uses, nothing decided here. */
import {
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketTaggingCommand,
  ListBucketsCommand,
  type LoggingEnabled,
  PutBucketLoggingCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { errorFacts, NO_TAGS } from './errors';

/**
 * Attempts per call. With throttling's backoff (base 1 s, doubling, capped at 20 s) eight attempts span
 * about a minute, long enough for S3 to let a burst through; what still fails gets the final pass.
 */
export const S3_MAX_ATTEMPTS = 8;

/** ListBuckets page size: small enough to keep a run's unfinished page in its progress record. */
export const LIST_PAGE_SIZE = 1000;

/**
 * Per-request limits, so that one stuck connection cannot hold a worker past the run's deadline: a request
 * without an answer after REQUEST_TIMEOUT_MS (a connection not made after CONNECTION_TIMEOUT_MS) is abandoned
 * and retried like a throttled one. `throwOnRequestTimeout` makes the timeout an error: without it the SDK's
 * HTTP handler only logs a warning and keeps waiting.
 */
export const REQUEST_TIMEOUT_MS = 15_000;
export const CONNECTION_TIMEOUT_MS = 5_000;
/** The SDK's longest pause between two attempts (its retry strategies cap the backoff at 20 s). */
const MAX_BACKOFF_MS = 20_000;
/** Attempts of a DynamoDB or Glue call; each attempt is abandoned after the request timeout. */
export const SDK_MAX_ATTEMPTS = 5;

/** The longest one call of `attempts` attempts can take, every attempt timed out and every pause at its cap. */
function callBoundMs(attempts: number): number {
  return attempts * (CONNECTION_TIMEOUT_MS + REQUEST_TIMEOUT_MS) + (attempts - 1) * MAX_BACKOFF_MS;
}
/** The longest one S3 call can take (5 minutes). */
export const S3_CALL_BOUND_MS = callBoundMs(S3_MAX_ATTEMPTS);
/** The longest one DynamoDB (or Glue) call can take (3 minutes). */
export const DYNAMODB_CALL_BOUND_MS = callBoundMs(SDK_MAX_ATTEMPTS);

/** Timeouts of one client's HTTP handler. */
export interface Timeouts {
  readonly requestTimeoutMs: number;
  readonly connectionTimeoutMs: number;
}
export const DEFAULT_TIMEOUTS: Timeouts = {
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
};

/**
 * The HTTP handler options of every client (S3, DynamoDB, Glue): each request is abandoned after its timeout
 * and the SDK retries it (a `TimeoutError`, which its retry strategies treat as transient).
 */
export function requestHandlerOptions(timeouts: Timeouts = DEFAULT_TIMEOUTS) {
  return {
    requestTimeout: timeouts.requestTimeoutMs,
    connectionTimeout: timeouts.connectionTimeoutMs,
    throwOnRequestTimeout: true,
  };
}

/**
 * One S3 client per worker, each in adaptive retry mode. The adaptive mode's rate limiter lives in its
 * client: one client shared by every worker would cut the whole run's rate on each throttled call (measured
 * with 5% SlowDown answers: about 10 calls per second in total). One per worker behaves like TCP flows: each
 * backs off on the throttling it meets, so a general slow-down still slows every worker.
 */
export function createS3Clients(
  count: number,
  config: S3ClientConfig,
  timeouts: Timeouts = DEFAULT_TIMEOUTS,
): S3Client[] {
  return Array.from(
    { length: count },
    () =>
      new S3Client({
        retryMode: 'adaptive',
        maxAttempts: S3_MAX_ATTEMPTS,
        requestHandler: requestHandlerOptions(timeouts),
        ...config,
      }),
  );
}

/** A listed bucket whose Region could not be told: skipped and reported, never assumed to be this Region's. */
export interface UnresolvedBucket {
  readonly bucket: string;
  readonly code: string;
  readonly message: string;
}

export interface BucketPage {
  readonly names: string[];
  /** Token of the next page; undefined on the last. */
  readonly next?: string;
  /** Listed without a `BucketRegion`, and GetBucketLocation failed too. */
  readonly unresolved?: UnresolvedBucket[];
}

/**
 * The Region GetBucketLocation's `LocationConstraint` names: empty (or null) is us-east-1, and `EU` is the
 * legacy name of eu-west-1.
 */
export function regionOfLocation(constraint: string | null | undefined): string {
  if (constraint === undefined || constraint === null || constraint === '') return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

export class BucketApi {
  constructor(
    private readonly clients: readonly S3Client[],
    private readonly region: string,
  ) {
    if (clients.length === 0) throw new Error('BucketApi needs at least one S3 client');
  }

  private client(lane: number): S3Client {
    return this.clients[lane % this.clients.length];
  }

  /**
   * One page of the Region's buckets. `BucketRegion` filters at S3; the check here guards the contract. A
   * bucket listed without its Region (S3-compatible services) is looked up with GetBucketLocation.
   */
  async listPage(token: string | undefined, prefix?: string): Promise<BucketPage> {
    const out = await this.client(0).send(
      new ListBucketsCommand({
        BucketRegion: this.region,
        MaxBuckets: LIST_PAGE_SIZE,
        ContinuationToken: token,
        Prefix: prefix,
      }),
    );
    const names: string[] = [];
    const unresolved: UnresolvedBucket[] = [];
    for (const b of out.Buckets ?? []) {
      if (b.Name === undefined) continue;
      let region = b.BucketRegion;
      if (region === undefined || region === '') {
        try {
          region = await this.location(b.Name);
        } catch (err) {
          const { code, message } = errorFacts(err);
          unresolved.push({ bucket: b.Name, code, message });
          continue;
        }
      }
      if (region === this.region) names.push(b.Name);
    }
    return { names, next: out.ContinuationToken || undefined, unresolved };
  }

  private async location(bucket: string): Promise<string> {
    const out = await this.client(0).send(new GetBucketLocationCommand({ Bucket: bucket }));
    return regionOfLocation(out.LocationConstraint);
  }

  /** The bucket's logging configuration; undefined when logging is off. */
  async getLogging(bucket: string, lane: number): Promise<LoggingEnabled | undefined> {
    const out = await this.client(lane).send(new GetBucketLoggingCommand({ Bucket: bucket }));
    return out.LoggingEnabled;
  }

  /** Sets the bucket's logging configuration; null turns logging off. */
  async putLogging(bucket: string, logging: LoggingEnabled | null, lane: number): Promise<void> {
    await this.client(lane).send(
      new PutBucketLoggingCommand({
        Bucket: bucket,
        BucketLoggingStatus: logging === null ? {} : { LoggingEnabled: logging },
      }),
    );
  }

  /** The bucket's tags; a bucket without tags answers NoSuchTagSet, which is no tags, not an error. */
  async getTags(bucket: string, lane: number): Promise<Record<string, string>> {
    try {
      const out = await this.client(lane).send(new GetBucketTaggingCommand({ Bucket: bucket }));
      return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    } catch (err) {
      if (errorFacts(err).code === NO_TAGS) return {};
      throw err;
    }
  }

  async putJson(bucket: string, key: string, body: unknown): Promise<void> {
    await this.client(0).send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: JSON.stringify(body, null, 2),
        ContentType: 'application/json',
      }),
    );
  }
}
