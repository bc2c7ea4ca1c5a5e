/** The thin S3 shell: one method per S3 operation the handler uses, nothing decided here. */
import {
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

/** Per-request limits, so that one stuck connection cannot hold a worker past the run's deadline. */
const REQUEST_TIMEOUT_MS = 15_000;
const CONNECTION_TIMEOUT_MS = 5_000;

/**
 * One S3 client per worker, each in adaptive retry mode. The adaptive mode's rate limiter lives in its
 * client: one client shared by every worker would cut the whole run's rate on each throttled call (measured
 * with 5% SlowDown answers: about 10 calls per second in total). One per worker behaves like TCP flows: each
 * backs off on the throttling it meets, so a general slow-down still slows every worker.
 */
export function createS3Clients(count: number, config: S3ClientConfig): S3Client[] {
  return Array.from(
    { length: count },
    () =>
      new S3Client({
        retryMode: 'adaptive',
        maxAttempts: S3_MAX_ATTEMPTS,
        requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: CONNECTION_TIMEOUT_MS },
        ...config,
      }),
  );
}

export interface BucketPage {
  readonly names: string[];
  /** Token of the next page; undefined on the last. */
  readonly next?: string;
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

  /** One page of the Region's buckets. `BucketRegion` filters at S3; the check here guards the contract. */
  async listPage(token: string | undefined, prefix?: string): Promise<BucketPage> {
    const out = await this.client(0).send(
      new ListBucketsCommand({
        BucketRegion: this.region,
        MaxBuckets: LIST_PAGE_SIZE,
        ContinuationToken: token,
        Prefix: prefix,
      }),
    );
    const names = (out.Buckets ?? [])
      .filter((b) => b.Name !== undefined && (b.BucketRegion === undefined || b.BucketRegion === this.region))
      .map((b) => b.Name!);
    return { names, next: out.ContinuationToken || undefined };
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
