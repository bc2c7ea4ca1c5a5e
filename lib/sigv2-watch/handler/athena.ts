import {
  type AthenaClient,
  GetQueryExecutionCommand,
  paginateGetQueryResults,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { DigestRows, SqlRow } from '../digest';
import { DIGEST_QUERIES, type DigestDays, type DigestQuery, digestSql, sqlLiteral } from '../digest-sql';

/** Where the digest queries run. */
export interface AthenaTarget {
  readonly databaseName: string;
  readonly tableName: string;
  readonly workGroupName: string;
}

/** Between two looks at a running query. The digest's queries read one partition's few columns: seconds. */
export const POLL_INTERVAL_MS = 1_000;

/** What running a query needs besides the client: a way to wait (tests pass one that does not). */
export interface AthenaDeps {
  readonly athena: AthenaClient;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The compacted table as the queries name it. */
export function athenaRelation(target: AthenaTarget): string {
  return `"${target.databaseName}"."${target.tableName}"`;
}

/** Runs the three digest queries at once and returns their rows. */
export async function runDigestQueries(
  deps: AthenaDeps,
  target: AthenaTarget,
  days: DigestDays,
): Promise<DigestRows> {
  const [days_, requesters, facets] = await Promise.all(
    DIGEST_QUERIES.map((query) => runQuery(deps, target, query, days)),
  );
  return { days: days_ ?? [], requesters: requesters ?? [], facets: facets ?? [] };
}

async function runQuery(
  deps: AthenaDeps,
  target: AthenaTarget,
  query: DigestQuery,
  days: DigestDays,
): Promise<SqlRow[]> {
  const started = await deps.athena.send(
    new StartQueryExecutionCommand({
      QueryString: digestSql(query, athenaRelation(target)),
      QueryExecutionContext: { Database: target.databaseName },
      WorkGroup: target.workGroupName,
      // Athena binds execution parameters as SQL literals; the `day` literals let it prune partitions.
      ExecutionParameters: query.parameters(days).map(sqlLiteral),
    }),
  );
  const id = started.QueryExecutionId;
  if (id === undefined) throw new Error(`Athena started the ${query.name} query without an execution id`);
  await waitFor(deps, id, query.name);
  return readRows(deps.athena, id);
}

async function waitFor(deps: AthenaDeps, id: string, name: string): Promise<void> {
  for (;;) {
    const { QueryExecution } = await deps.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = QueryExecution?.Status?.State;
    switch (state) {
      case 'SUCCEEDED':
        return;
      case 'FAILED':
      case 'CANCELLED':
        throw new Error(
          `The digest's ${name} query ${id} ${state.toLowerCase()}: ` +
            `${QueryExecution?.Status?.StateChangeReason ?? 'no reason given'}`,
        );
      case 'QUEUED':
      case 'RUNNING':
      case undefined:
        await deps.sleep(POLL_INTERVAL_MS);
        break;
      default: {
        const unknown: never = state;
        throw new Error(`Unknown Athena query state ${String(unknown)}`);
      }
    }
  }
}

/** The result rows by column name; the first row of a SELECT's results is the header. NULL has no value. */
async function readRows(athena: AthenaClient, id: string): Promise<SqlRow[]> {
  const rows: SqlRow[] = [];
  let columns: string[] | undefined;
  let header = true;
  for await (const page of paginateGetQueryResults({ client: athena }, { QueryExecutionId: id })) {
    columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
    for (const row of page.ResultSet?.Rows ?? []) {
      if (header) {
        header = false;
        continue;
      }
      const data = row.Data ?? [];
      rows.push(Object.fromEntries((columns ?? []).map((name, i) => [name, data[i]?.VarCharValue ?? null])));
    }
  }
  return rows;
}
