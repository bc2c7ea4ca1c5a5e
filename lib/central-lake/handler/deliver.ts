/**
 * The central delivery's decisions (pure) and its run over two object stores. A run replaces, for each day the
 * compaction (re)compacted, this account's and Region's folder of that day in the central bucket with the
 * day's compacted files: copy first, then delete what the new set no longer has, so the day is never empty.
 */
import { centralDayPrefix } from '../layout';

const DAY = /^\d{4}\/\d{2}\/\d{2}$/;

/** The days a compaction run output names (`days`, else `day`); nothing for an output that names none. */
export function daysOf(output: string | null | undefined): string[] {
  if (output === undefined || output === null || output === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    throw new Error(`The compaction output is not JSON: ${output.slice(0, 200)}`);
  }
  const o = (parsed ?? {}) as { day?: unknown; days?: unknown };
  const listed = Array.isArray(o.days) ? o.days : o.day !== undefined ? [o.day] : [];
  const bad = listed.filter((d) => typeof d !== 'string' || !DAY.test(d));
  if (bad.length > 0)
    throw new Error(`The compaction output names days that are not yyyy/MM/dd: ${JSON.stringify(bad)}`);
  return [...new Set(listed as string[])].sort();
}

/** One object to copy into the central bucket. */
export interface Copy {
  readonly source: string;
  readonly target: string;
}

/** What to do for one day. */
export interface DayPlan {
  readonly copies: readonly Copy[];
  readonly deletes: readonly string[];
}

/**
 * The copies and deletes that make this account's and Region's central folder of `day` hold exactly the day's
 * compacted files (`sourceKeys`, under `sourcePrefix`), given what it holds now (`centralKeys`).
 */
export function planDay(input: {
  readonly day: string;
  readonly account: string;
  readonly region: string;
  readonly sourcePrefix: string;
  readonly sourceKeys: readonly string[];
  readonly centralKeys: readonly string[];
}): DayPlan {
  const target = centralDayPrefix(input.day, input.account, input.region);
  const copies = input.sourceKeys
    .filter((k) => k.startsWith(input.sourcePrefix) && k.endsWith('.parquet'))
    .map((k) => ({
      source: k,
      target: `${target}${k.slice(input.sourcePrefix.length).replaceAll('/', '_')}`,
    }));
  const kept = new Set(copies.map((c) => c.target));
  const deletes = input.centralKeys.filter((k) => k.startsWith(target) && !kept.has(k));
  return { copies, deletes };
}

/** The few object operations a run needs. */
export interface DeliveryStores {
  listSource(prefix: string): Promise<string[]>;
  listCentral(prefix: string): Promise<string[]>;
  copy(sourceKey: string, targetKey: string): Promise<void>;
  deleteCentral(key: string): Promise<void>;
}

/** Counts of one run, for the log. */
export interface DeliveryResult {
  readonly days: readonly string[];
  readonly copied: number;
  readonly deleted: number;
}

/** Delivers each of `days` for `account` and `region`. */
export async function deliver(
  days: readonly string[],
  where: { readonly account: string; readonly region: string; readonly dailyPrefix: string },
  stores: DeliveryStores,
): Promise<DeliveryResult> {
  let copied = 0;
  let deleted = 0;
  for (const day of days) {
    const sourcePrefix = `${where.dailyPrefix}${day}/`;
    const plan = planDay({
      day,
      account: where.account,
      region: where.region,
      sourcePrefix,
      sourceKeys: await stores.listSource(sourcePrefix),
      centralKeys: await stores.listCentral(centralDayPrefix(day, where.account, where.region)),
    });
    for (const c of plan.copies) await stores.copy(c.source, c.target);
    for (const k of plan.deletes) await stores.deleteCentral(k);
    copied += plan.copies.length;
    deleted += plan.deletes.length;
  }
  return { days, copied, deleted };
}
