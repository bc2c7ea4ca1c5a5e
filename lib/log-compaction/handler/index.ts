/**
 * Lambda entry point of the log compaction, called by its state machine for the steps Athena does not do:
 * planning a run (list the source buckets, write the chunk queries) and publishing it (replace each day's
 * files with the run's). It imports neither aws-cdk-lib nor constructs: it is bundled on its own.
 */
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { CONFIG_ENV, type CompactionEvent, parseConfig } from '../types';
import { abandon, cleanup, type ObjectStore, plan, publish } from './run';

const s3 = new S3Client({});

/** DeleteObjects takes at most this many keys. */
const DELETE_BATCH = 1000;

/** The log bucket as an {@link ObjectStore}. */
export class S3Store implements ObjectStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async listCommonPrefixes(prefix: string): Promise<string[]> {
    const out: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.bucket, Prefix: prefix, Delimiter: '/' },
    )) {
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix !== undefined) out.push(p.Prefix);
    }
    return out;
  }

  async listKeys(prefix: string): Promise<string[]> {
    const out: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.bucket, Prefix: prefix },
    )) {
      for (const o of page.Contents ?? []) if (o.Key !== undefined) out.push(o.Key);
    }
    return out;
  }

  async put(key: string, body: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }),
    );
  }

  async copy(from: string, to: string): Promise<void> {
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: to,
        CopySource: `${this.bucket}/${encodeURIComponent(from)}`,
      }),
    );
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const result = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failed = result.Errors ?? [];
      if (failed.length > 0) {
        const first = failed[0];
        throw new Error(
          `DeleteObjects on ${this.bucket} failed for ${failed.length} keys, e.g. ${first.Key}: ${first.Code} ${first.Message}`,
        );
      }
    }
  }
}

/** Dispatches one step of the state machine. */
export async function handler(event: CompactionEvent): Promise<unknown> {
  const config = parseConfig(process.env[CONFIG_ENV]);
  const store = new S3Store(s3, config.logBucketName);
  switch (event.action) {
    case 'plan':
      return plan(event, config, store);
    case 'publish':
      return publish(event, store);
    case 'cleanup':
      await cleanup(event, store);
      return {};
    case 'abandon':
      return abandon(event, store);
    default: {
      const unknown: never = event;
      throw new Error(`Unknown action: ${JSON.stringify(unknown)}`);
    }
  }
}
