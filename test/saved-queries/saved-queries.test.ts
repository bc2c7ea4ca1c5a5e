import * as fs from 'node:fs';
import * as path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { KeyFormat } from '../../lib/conventions';
import { COLUMNS, parseLineWithRegex } from '../../lib/log-format';
import {
  athenaRelation,
  renderSql,
  SAVED_QUERIES,
  type SavedQuery,
  TABLE_PLACEHOLDER,
} from '../../lib/saved-queries';

/**
 * DuckDB's parser and binder check the SQL: a query that is not SQL, names a column the relation lacks, or has
 * a different number of `?` than parameters, fails to prepare. The Trino functions the queries use are stood in
 * for by test macros (the CLI provides its own); they only let the binder check everything around them.
 */
const STAND_INS = [
  "CREATE MACRO parse_datetime(s, f) AS strptime(s, '%d/%b/%Y:%H:%M:%S %z')",
  'CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)',
];

/** The relation's columns: the 27 log columns and the two partition columns, nothing else. */
const CREATE_LOGS = `CREATE TABLE logs (${[
  ...COLUMNS.map((c) => `${c.name} ${c.type === 'bigint' ? 'BIGINT' : 'VARCHAR'}`),
  'bucket VARCHAR',
  'day VARCHAR',
].join(', ')})`;

let connection: DuckDBConnection;

beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
  for (const sql of [...STAND_INS, CREATE_LOGS]) await connection.run(sql);
});

afterAll(() => connection.closeSync());

describe('SAVED_QUERIES', () => {
  it('has the six seed examples and the three SigV2 reports, with unique kebab-case names', () => {
    const names = SAVED_QUERIES.map((q) => q.name);
    expect(names.length).toBeGreaterThanOrEqual(9);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(names).toEqual(
      expect.arrayContaining(['deleted-object', 'sigv2-requesters', 'sigv2-by-bucket', 'sigv2-per-day']),
    );
  });

  it.each(SAVED_QUERIES.map((q) => [q.name, q] as const))(
    '%s reads the relation once, filtered by day first',
    (_name, query) => {
      expect(query.sql.split(TABLE_PLACEHOLDER)).toHaveLength(2);
      expect(query.sql).toContain('day BETWEEN ? AND ?');
      expect(query.parameters.slice(0, 2).map((p) => p.name)).toEqual(['first_day', 'last_day']);
      expect(query.description).not.toBe('');
      for (const p of query.parameters) expect(p.name).toMatch(/^[a-z]+(_[a-z]+)*$/);
    },
  );

  it.each(SAVED_QUERIES.map((q) => [q.name, q] as const))(
    '%s prepares against the log columns with one ? per parameter',
    async (_name, query) => {
      const prepared = await connection.prepare(renderSql(query, 'logs'));
      expect(prepared.parameterCount).toBe(query.parameters.length);
    },
  );

  it('rejects a query that names a column the relation lacks (the check above can fail)', async () => {
    const broken: SavedQuery = {
      ...SAVED_QUERIES[0],
      sql: SAVED_QUERIES[0].sql.replace('key = ?', 'object_key = ?'),
    };
    await expect(connection.prepare(renderSql(broken, 'logs'))).rejects.toThrow(/object_key/);
  });

  it.each([KeyFormat.PARTITIONED, KeyFormat.SIMPLE])(
    'parses every query on the %s Athena relation',
    async (kf) => {
      const relation = athenaRelation({
        databaseName: 's3_access_logs',
        tableName: 'access_logs',
        keyFormat: kf,
      });
      for (const query of SAVED_QUERIES) {
        const statements = await connection.extractStatements(renderSql(query, relation));
        expect(statements.count).toBe(1);
      }
    },
  );
});

describe('athenaRelation', () => {
  it('is the quoted table on the partitioned layout', () => {
    const ref = { databaseName: 'db', tableName: 'logs', keyFormat: KeyFormat.PARTITIONED };
    expect(athenaRelation(ref)).toBe('"db"."logs"');
  });

  it('derives day from the request time on the simple layout, whose keys hold no date', () => {
    const relation = athenaRelation({ databaseName: 'db', tableName: 'logs', keyFormat: KeyFormat.SIMPLE });
    expect(relation).toMatch(
      /^\(SELECT \*, format_datetime\(.* 'yyyy\/MM\/dd'\) AS day FROM "db"\."logs"\)$/,
    );
  });
});

describe('the SigV2 reports, run on DuckDB over the elastic-beats fixture', () => {
  const fixture = path.join(__dirname, '..', 'fixtures', 'peer', 'elastic-beats', 'test.log');
  const records = fs
    .readFileSync(fixture, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => parseLineWithRegex(l)!);

  beforeAll(async () => {
    const appender = await connection.createAppender('logs');
    for (const r of records) {
      for (const c of COLUMNS) {
        const v = r[c.name];
        if (v === null) appender.appendNull();
        else if (typeof v === 'number') appender.appendBigInt(BigInt(v));
        else appender.appendVarchar(v);
      }
      appender.appendVarchar(r.bucket_name!);
      appender.appendVarchar(dayOf(r.requestdatetime!));
      appender.endRow();
    }
    appender.closeSync();
  });

  /** `06/Feb/2019:00:00:38 +0000` -> `2019/02/06` (the fixture's times are all in +0000 but one). */
  function dayOf(requestdatetime: string): string {
    const [dd, mon, yyyy] = requestdatetime.slice(0, 11).split('/');
    const month = 'JanFebMarAprMayJunJulAugSepOctNovDec'.indexOf(mon) / 3 + 1;
    return `${yyyy}/${String(month).padStart(2, '0')}/${dd}`;
  }

  async function run(name: string, params: string[]) {
    const query = SAVED_QUERIES.find((q) => q.name === name)!;
    const reader = await connection.runAndReadAll(renderSql(query, 'logs'), params);
    return reader.getRowObjectsJson();
  }

  it('sigv2-requesters finds the one SigV2 requester with its count, agent, IP and bucket', async () => {
    const rows = await run('sigv2-requesters', ['2019/01/01', '2021/12/31']);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      requester: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
      requests: '4',
      user_agents: ['S3Console/0.4'],
      source_ips: ['192.0.2.3'],
      buckets: ['awsexamplebucket'],
    });
  });

  it('sigv2-per-day leaves out days outside the range asked for', async () => {
    expect(await run('sigv2-per-day', ['2019/02/06', '2019/02/06'])).toEqual([
      { day: '2019/02/06', requests: '4', requesters: '1', buckets: '1' },
    ]);
    expect(await run('sigv2-per-day', ['2019/02/07', '2021/12/31'])).toEqual([]);
  });
});
