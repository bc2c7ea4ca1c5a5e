import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { throwIfProblems } from '../construct-errors';
import { DEFAULT_PREFIX_TEMPLATE, KeyFormat } from '../conventions';
import { ACCESS_LOG_REGEX, COLUMNS } from '../log-format';
import { athenaRelation, renderSql, SAVED_QUERIES, type SavedQuery } from '../saved-queries';
import { grantGlueTableRead } from './glue-grants';
import { athenaResultsBucket } from './results-bucket';
import {
  BUCKET_COLUMN,
  DAY_COLUMN,
  locationTemplate,
  projectionParameters,
  settingsProblems,
  type TableSettings,
  tableLocation,
} from './table-settings';

export { BUCKET_COLUMN, DAY_COLUMN } from './table-settings';

/** Everything about an {@link AccessLogTable} except the log bucket it reads. */
export interface AccessLogTableOptions {
  /**
   * Glue database name.
   * @default 's3_access_logs'
   */
  readonly databaseName?: string;

  /**
   * Glue table name.
   * @default 'access_logs'
   */
  readonly tableName?: string;

  /**
   * The target prefix template bucket logging writes with (`{bucket}` is the source bucket). Must be the same
   * as the BucketLogging construct's.
   * @default DEFAULT_PREFIX_TEMPLATE (`{bucket}/`)
   */
  readonly prefixTemplate?: string;

  /**
   * The key layout bucket logging writes. `partitioned` lets queries read only the days they ask for; `simple`
   * has no dates in its keys, so every query reads every log object of the buckets it covers.
   * @default KeyFormat.PARTITIONED
   */
  readonly keyFormat?: KeyFormat;

  /**
   * First day the `day` partition projects: `yyyy/MM/dd`, or relative to today (`NOW-90DAYS`; units DAYS,
   * WEEKS, MONTHS, YEARS). Days before it are never read, whatever a query asks.
   * @default 'NOW-90DAYS' (the log bucket's default retention)
   */
  readonly projectionStart?: string;

  /**
   * Athena workgroup name (one per Region and account).
   * @default 's3-access-logs'
   */
  readonly workGroupName?: string;

  /**
   * A query that would scan more than this is cancelled (Athena's per-query data usage control). At least 10 MB.
   * @default Size.gibibytes(10)
   */
  readonly bytesScannedCutoffPerQuery?: Size;

  /**
   * How long query results are kept in the results bucket. Whole days.
   * @default Duration.days(7)
   */
  readonly queryResultsRetention?: Duration;
}

/** Properties of an {@link AccessLogTable}. */
export interface AccessLogTableProps extends AccessLogTableOptions {
  /** The Region's log bucket, which the table reads. */
  readonly logBucket: s3.IBucket;
}

const DEFAULTS = {
  databaseName: 's3_access_logs',
  tableName: 'access_logs',
  workGroupName: 's3-access-logs',
  projectionStart: 'NOW-90DAYS',
  bytesScannedCutoffPerQuery: Size.gibibytes(10),
  queryResultsRetention: Duration.days(7),
} as const;

/** What querying needs in Athena: run and read queries in the workgroup, and list its saved queries. */
const ATHENA_QUERY_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:StopQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:GetQueryResultsStream',
  'athena:ListQueryExecutions',
  'athena:GetWorkGroup',
  'athena:ListNamedQueries',
  'athena:GetNamedQuery',
  'athena:BatchGetNamedQuery',
];

const ENGINE_VERSION = 'Athena engine version 3';

/**
 * An Athena table over the Region's S3 server access logs, with what querying it needs: a Glue database and a
 * RegexSerDe table (the columns and regex of lib/log-format) with partition projection on the source bucket
 * and the day, a workgroup that caps what one query may scan and keeps its results in a dedicated bucket, and
 * the saved queries (lib/saved-queries) as named queries in that workgroup.
 *
 * The `bucket` partition is an `enum` whose values bucket logging keeps equal to the buckets that log here
 * (Glue table parameter `projection.bucket.values`). Until it first runs, the value is a placeholder that
 * matches no object. A deployment that changes this table rewrites that parameter to the placeholder again,
 * until bucket logging's next run.
 */
export class AccessLogTable extends Construct {
  /** Glue database name. */
  public readonly databaseName: string;
  /** Glue table name. */
  public readonly tableName: string;
  /** Athena workgroup name. */
  public readonly workGroupName: string;
  /** The key layout the table reads. */
  public readonly keyFormat: KeyFormat;
  /** The bucket that holds query results. */
  public readonly resultsBucket: s3.IBucket;
  /** The Glue table. */
  public readonly table: glue.CfnTable;
  /** The workgroup. */
  public readonly workGroup: athena.CfnWorkGroup;
  /** The saved queries, by name. */
  public readonly namedQueries: Readonly<Record<string, athena.CfnNamedQuery>>;

  private readonly logBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: AccessLogTableProps) {
    super(scope, id);
    const settings = this.validate(props);
    this.databaseName = settings.databaseName;
    this.tableName = settings.tableName;
    this.workGroupName = settings.workGroupName;
    this.keyFormat = settings.keyFormat;
    this.logBucket = props.logBucket;

    const database = this.createDatabase();
    this.table = this.createTable(settings, database);
    this.resultsBucket = this.createResultsBucket(props.queryResultsRetention);
    this.workGroup = this.createWorkGroup(settings.bytesScannedCutoffPerQuery);
    this.namedQueries = this.createNamedQueries(settings, database);
  }

  /**
   * Grants what running queries in the workgroup needs: Athena on the workgroup, Glue reads of the database
   * and table, reading the log bucket and reading and writing the results bucket.
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    const athenaGrant = iam.Grant.addToPrincipal({
      grantee,
      actions: ATHENA_QUERY_ACTIONS,
      resourceArns: [
        stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroupName }),
      ],
    });
    const glueGrant = grantGlueTableRead(this, grantee, this.databaseName, this.tableName);
    return athenaGrant
      .combine(glueGrant)
      .combine(this.logBucket.grantRead(grantee))
      .combine(this.resultsBucket.grantReadWrite(grantee));
  }

  /** The props with their defaults, once checked; every problem is reported at once, with this path. */
  private validate(props: AccessLogTableProps): TableSettings {
    const settings = {
      databaseName: props.databaseName ?? DEFAULTS.databaseName,
      tableName: props.tableName ?? DEFAULTS.tableName,
      workGroupName: props.workGroupName ?? DEFAULTS.workGroupName,
      prefixTemplate: props.prefixTemplate ?? DEFAULT_PREFIX_TEMPLATE,
      keyFormat: props.keyFormat ?? KeyFormat.PARTITIONED,
      projectionStart: props.projectionStart ?? DEFAULTS.projectionStart,
      bytesScannedCutoffPerQuery: (
        props.bytesScannedCutoffPerQuery ?? DEFAULTS.bytesScannedCutoffPerQuery
      ).toBytes(),
      queryResultsRetentionDays: days(props.queryResultsRetention ?? DEFAULTS.queryResultsRetention),
    };
    throwIfProblems(this, 'AccessLogTable', settingsProblems(settings));
    return settings;
  }

  private createDatabase(): glue.CfnDatabase {
    return new glue.CfnDatabase(this, 'Database', {
      catalogId: Stack.of(this).account,
      databaseInput: {
        name: this.databaseName,
        description: 'S3 server access logs (s3-access-logs)',
      },
    });
  }

  /** The RegexSerDe table with partition projection on the source bucket (and the day, when partitioned). */
  private createTable(settings: TableSettings, database: glue.CfnDatabase): glue.CfnTable {
    const stack = Stack.of(this);
    const template = locationTemplate({
      logBucketName: this.logBucket.bucketName,
      prefixTemplate: settings.prefixTemplate,
      keyFormat: settings.keyFormat,
      account: stack.account,
      region: stack.region,
    });
    const partitionKeys = [
      { name: BUCKET_COLUMN, type: 'string', comment: 'Source bucket (projected enum)' },
    ];
    if (settings.keyFormat === KeyFormat.PARTITIONED) {
      partitionKeys.push({
        name: DAY_COLUMN,
        type: 'string',
        comment: 'Day of the requests, yyyy/MM/dd (UTC)',
      });
    }
    const table = new glue.CfnTable(this, 'Resource', {
      catalogId: stack.account,
      databaseName: settings.databaseName,
      tableInput: {
        name: settings.tableName,
        description: 'S3 server access logs of every bucket that logs into this Region’s log bucket',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys,
        parameters: {
          EXTERNAL: 'TRUE',
          ...projectionParameters(settings.keyFormat, settings.projectionStart, template),
        },
        storageDescriptor: {
          location: tableLocation(template),
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.apache.hadoop.hive.serde2.RegexSerDe',
            parameters: { 'input.regex': ACCESS_LOG_REGEX },
          },
          columns: COLUMNS.map((c) => ({ name: c.name, type: c.type })),
        },
      },
    });
    table.addResourceDependency(database);
    return table;
  }

  private createResultsBucket(retention: Duration | undefined): s3.IBucket {
    return athenaResultsBucket(this, 'ResultsBucket', {
      retention: retention ?? DEFAULTS.queryResultsRetention,
      noLoggingReason:
        'Query results are short-lived copies of what the access logs already hold; who ran which query is in ' +
        'CloudTrail (Athena management events). Logging reads of this bucket would add logs about logs.',
    });
  }

  /** The workgroup that enforces the engine, the scan cap and where results go. */
  private createWorkGroup(bytesScannedCutoffPerQuery: number): athena.CfnWorkGroup {
    return new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'Queries over S3 server access logs (s3-access-logs)',
      state: 'ENABLED',
      // Deleting the stack deletes the saved queries with the workgroup instead of failing on them.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        engineVersion: { selectedEngineVersion: ENGINE_VERSION },
        bytesScannedCutoffPerQuery,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: this.resultsBucket.s3UrlForObject('results/'),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: Stack.of(this).account,
        },
      },
    });
  }

  /** The saved queries (lib/saved-queries), rendered for this table, as named queries in the workgroup. */
  private createNamedQueries(
    settings: TableSettings,
    database: glue.CfnDatabase,
  ): Record<string, athena.CfnNamedQuery> {
    const relation = athenaRelation(settings);
    const namedQueries: Record<string, athena.CfnNamedQuery> = {};
    for (const query of SAVED_QUERIES) {
      const named = new athena.CfnNamedQuery(this, `Query-${query.name}`, {
        name: query.name,
        description: namedQueryDescription(query),
        database: settings.databaseName,
        workGroup: this.workGroup.ref,
        queryString: renderSql(query, relation),
      });
      named.addResourceDependency(database);
      namedQueries[query.name] = named;
    }
    return namedQueries;
  }
}

/** The named query's description: what it answers, then its parameters in order (Athena allows 1,024 chars). */
function namedQueryDescription(query: SavedQuery): string {
  const parameters = query.parameters.map((p, i) => `${i + 1}. ${p.name} (e.g. '${p.example}')`).join(' ');
  return `${query.description} Parameters: ${parameters}`.slice(0, 1024);
}

/** A duration in days (possibly fractional, which validation reports); undefined for an unresolved token. */
function days(value: Duration): number | undefined {
  return value.isUnresolved() ? undefined : value.toHours() / 24;
}
