import type { S3Client } from '@aws-sdk/client-s3';
import { paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { RESERVED_PREFIX } from 's3-access-logs/conventions';
import { Semaphore } from '../semaphore';
import type { S3Location } from './s3-url';
import { s3Name } from './s3-url';
import type { S3Source } from './sources';
import type { TimeWindow } from './time-window';
import { dayNumber, isUnbounded, keyDay, mayHoldDays } from './time-window';

/** LIST requests in flight at once while walking date folders. */
const LIST_CONCURRENCY = 8;

/**
 * The log objects under an S3 location, in key order. With no time window this is one flat listing. With one,
 * the walk goes folder by folder and skips the `YYYY/`, `MM/` and `DD/` folders of the partitioned layout
 * (`<account>/<region>/<bucket>/YYYY/MM/DD/`) that lie outside it, so a week of a year of logs lists a week;
 * object names dated outside the window are skipped in either layout (each one counted by `onSkipped`). The
 * project's own objects (under the reserved prefix) are never read.
 */
export async function listLogObjects(
  client: S3Client,
  location: S3Location,
  window: TimeWindow,
  onSkipped: () => void = () => {},
): Promise<S3Source[]> {
  const found: S3Source[] = [];
  const keep = (key: string, size: number) => {
    if (key.endsWith('/') || key.startsWith(RESERVED_PREFIX)) return;
    const day = keyDay(key);
    if (day !== undefined && !mayHoldDays(window, day)) {
      onSkipped();
      return;
    }
    found.push({ kind: 's3', name: s3Name(location.bucket, key), bucket: location.bucket, key, size });
  };
  if (isUnbounded(window)) {
    await listLevel(client, location.bucket, location.prefix, undefined, keep, () => {});
  } else {
    const slots = new Semaphore(LIST_CONCURRENCY);
    const walk = async (folder: string): Promise<void> => {
      const children: string[] = [];
      await slots.run(() =>
        listLevel(client, location.bucket, folder, '/', keep, (sub) => {
          if (!sub.startsWith(RESERVED_PREFIX) && folderMayHold(sub, window)) children.push(sub);
        }),
      );
      await Promise.all(children.map(walk));
    };
    await walk(location.prefix);
  }
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

async function listLevel(
  client: S3Client,
  bucket: string,
  prefix: string,
  delimiter: string | undefined,
  onObject: (key: string, size: number) => void,
  onFolder: (prefix: string) => void,
): Promise<void> {
  const pages = paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix, Delimiter: delimiter });
  for await (const page of pages) {
    for (const object of page.Contents ?? []) {
      if (object.Key !== undefined) onObject(object.Key, object.Size ?? 0);
    }
    for (const folder of page.CommonPrefixes ?? []) {
      if (folder.Prefix !== undefined) onFolder(folder.Prefix);
    }
  }
}

// `<account>/<region>/<source bucket>/` then the date folders, as PartitionedPrefix writes them. Requiring the
// account and Region folders keeps a source bucket that happens to be named like a year from being pruned.
const PARTITION_ROOT = String.raw`(?:^|/)\d{12}/[a-z]{2}(?:-[a-z]+)+-\d+/[^/]+/`;
const YEAR_FOLDER = new RegExp(`${PARTITION_ROOT}(\\d{4})/$`);
const MONTH_FOLDER = new RegExp(`${PARTITION_ROOT}(\\d{4})/(\\d{2})/$`);
const DAY_FOLDER = new RegExp(`${PARTITION_ROOT}(\\d{4})/(\\d{2})/(\\d{2})/$`);

/** Whether a folder may hold objects dated inside the window (false only for date folders wholly outside). */
export function folderMayHold(folder: string, window: TimeWindow): boolean {
  let first: number | undefined;
  let last: number | undefined;
  const day = DAY_FOLDER.exec(folder);
  const month = MONTH_FOLDER.exec(folder);
  const year = YEAR_FOLDER.exec(folder);
  if (day) {
    first = dayNumber(Number(day[1]), Number(day[2]), Number(day[3]));
    last = first;
  } else if (month) {
    const [y, m] = [Number(month[1]), Number(month[2])];
    first = dayNumber(y, m, 1);
    const next = m === 12 ? dayNumber(y + 1, 1, 1) : dayNumber(y, m + 1, 1);
    last = next === undefined ? undefined : next - 1;
  } else if (year) {
    first = dayNumber(Number(year[1]), 1, 1);
    last = dayNumber(Number(year[1]), 12, 31);
  }
  // Not a date folder, or digits that are not a date (say month 13): read it.
  if (first === undefined || last === undefined) return true;
  return mayHoldDays(window, first, last);
}
