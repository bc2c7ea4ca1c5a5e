/**
 * Lambda entry point of the central delivery: after each successful compaction run, copies the days it
 * compacted into the organization's central bucket under this account's and Region's prefix. It imports neither
 * aws-cdk-lib nor constructs: it is bundled on its own.
 */
import { CopyObjectCommand, DeleteObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import {
  type CompactionSucceededEvent,
  DELIVERY_CONFIG_ENV,
  type DeliveryConfig,
  parseDeliveryConfig,
} from '../delivery-types';
import { type DeliveryResult, type DeliveryStores, daysOf, deliver } from './deliver';

const config = parseDeliveryConfig(process.env[DELIVERY_CONFIG_ENV]);
const local = new S3Client({});
const central = new S3Client({ region: config.centralRegion });

async function listKeys(client: S3Client, bucket: string, prefix: string, owner?: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2(
    { client },
    { Bucket: bucket, Prefix: prefix, ExpectedBucketOwner: owner },
  )) {
    for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
  }
  return keys;
}

/** The member's log bucket and the central bucket as {@link DeliveryStores}. */
export function s3Stores(cfg: DeliveryConfig, account: string, clients = { local, central }): DeliveryStores {
  return {
    listSource: (prefix) => listKeys(clients.local, cfg.logBucketName, prefix, account),
    listCentral: (prefix) => listKeys(clients.central, cfg.centralBucketName, prefix, cfg.centralAccount),
    copy: async (sourceKey, targetKey) => {
      await clients.central.send(
        new CopyObjectCommand({
          Bucket: cfg.centralBucketName,
          Key: targetKey,
          CopySource: `${cfg.logBucketName}/${encodeURIComponent(sourceKey).replaceAll('%2F', '/')}`,
          ExpectedBucketOwner: cfg.centralAccount,
          ExpectedSourceBucketOwner: account,
          ServerSideEncryption: 'AES256',
        }),
      );
    },
    deleteCentral: async (key) => {
      await clients.central.send(
        new DeleteObjectCommand({
          Bucket: cfg.centralBucketName,
          Key: key,
          ExpectedBucketOwner: cfg.centralAccount,
        }),
      );
    },
  };
}

export async function handler(event: CompactionSucceededEvent): Promise<DeliveryResult> {
  if (event.detail.status !== 'SUCCEEDED') return { days: [], copied: 0, deleted: 0 };
  const days = daysOf(event.detail.output);
  const result = await deliver(
    days,
    { account: event.account, region: event.region, dailyPrefix: config.dailyPrefix },
    s3Stores(config, event.account),
  );
  console.log(JSON.stringify({ message: 'delivered to the central bucket', ...result }));
  return result;
}
