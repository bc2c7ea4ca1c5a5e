/**
 * Keeps the Athena table's partition-projection bucket list (`projection.bucket.values`) equal to the buckets
 * that log into the log bucket. The merge is a pure function; the shell reads the table, merges, and writes it
 * back with every other field unchanged.
 */
import {
  GetTableCommand,
  type GlueClient,
  type Table,
  type TableInput,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { BUCKET_PROJECTION_VALUES_PARAMETER, NO_BUCKETS_PLACEHOLDER } from '../../conventions';
import type { GlueTableRef } from '../types';
import { errorFacts } from './errors';

/** Glue's limit on one table parameter value. */
export const GLUE_PARAMETER_MAX_LENGTH = 512_000;

/**
 * The bucket list after a run saw `observed` (bucket -> logs into the target now). A complete run saw every
 * bucket of the Region, so a listed bucket it did not see is gone; a partial run (one event, one invocation of
 * many) only changes the buckets it saw. A bucket seen with an unknown state (a failure) keeps its place.
 */
export function nextBucketValues(
  current: string | undefined,
  observed: ReadonlyMap<string, boolean | undefined>,
  complete: boolean,
): string[] {
  const listed = (current ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '' && b !== NO_BUCKETS_PLACEHOLDER);
  const result = new Set<string>();
  for (const bucket of listed) {
    const seen = observed.get(bucket);
    const keep = observed.has(bucket) ? seen !== false : !complete;
    if (keep) result.add(bucket);
  }
  for (const [bucket, logs] of observed) if (logs === true) result.add(bucket);
  return [...result].sort();
}

/** The parameter's value for a list: the placeholder when empty, so the projection matches no object. */
export function parameterValue(buckets: readonly string[]): string {
  return buckets.length === 0 ? NO_BUCKETS_PLACEHOLDER : buckets.join(',');
}

/** The TableInput that rewrites `table` as it is: every writable field copied, read-only ones left out. */
export function tableInputOf(table: Table): TableInput {
  return {
    Name: table.Name,
    Description: table.Description,
    Owner: table.Owner,
    LastAccessTime: table.LastAccessTime,
    LastAnalyzedTime: table.LastAnalyzedTime,
    Retention: table.Retention,
    StorageDescriptor: table.StorageDescriptor,
    PartitionKeys: table.PartitionKeys,
    ViewOriginalText: table.ViewOriginalText,
    ViewExpandedText: table.ViewExpandedText,
    TableType: table.TableType,
    Parameters: table.Parameters,
    TargetTable: table.TargetTable,
  };
}

export type TableUpdate =
  | { readonly status: 'unchanged' | 'updated'; readonly buckets: number }
  | { readonly status: 'failed'; readonly code: string; readonly message: string };

/** Attempts when another writer (an event, a sweep) updated the table between our read and write. */
const UPDATE_ATTEMPTS = 3;

export async function updateTableBuckets(
  glue: GlueClient,
  ref: GlueTableRef,
  observed: ReadonlyMap<string, boolean | undefined>,
  complete: boolean,
): Promise<TableUpdate> {
  try {
    for (let attempt = 1; ; attempt++) {
      const { Table: table } = await glue.send(
        new GetTableCommand({ DatabaseName: ref.databaseName, Name: ref.tableName }),
      );
      if (!table)
        throw Object.assign(new Error('GetTable returned no table'), { name: 'EntityNotFoundException' });
      const current = table.Parameters?.[BUCKET_PROJECTION_VALUES_PARAMETER];
      const buckets = nextBucketValues(current, observed, complete);
      const value = parameterValue(buckets);
      if (value === current) return { status: 'unchanged', buckets: buckets.length };
      if (value.length > GLUE_PARAMETER_MAX_LENGTH) {
        return {
          status: 'failed',
          code: 'ParameterTooLong',
          message: `${buckets.length} bucket names make ${value.length} characters, over Glue's ${GLUE_PARAMETER_MAX_LENGTH}`,
        };
      }
      const input = tableInputOf(table);
      try {
        await glue.send(
          new UpdateTableCommand({
            DatabaseName: ref.databaseName,
            TableInput: {
              ...input,
              Parameters: { ...input.Parameters, [BUCKET_PROJECTION_VALUES_PARAMETER]: value },
            },
            // Without it every update adds a table version, and a table may have at most 100,000.
            SkipArchive: true,
            // Optimistic lock: fail rather than overwrite a concurrent update of the list.
            VersionId: table.VersionId,
          }),
        );
        return { status: 'updated', buckets: buckets.length };
      } catch (err) {
        if (errorFacts(err).code !== 'ConcurrentModificationException' || attempt >= UPDATE_ATTEMPTS)
          throw err;
      }
    }
  } catch (err) {
    const facts = errorFacts(err);
    return { status: 'failed', code: facts.code, message: facts.message };
  }
}
