import { Duration, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { bucketNamePropProblem } from '../access-log-bucket/validation';
import { grantGlueTableRead } from '../access-log-table/glue-grants';
import { athenaResultsBucket } from '../access-log-table/results-bucket';
import { throwIfProblems } from '../construct-errors';
import { organizationIdProblem } from '../organization-rollout/organization-ids';
import { bytesScannedCutoffProblem, glueNameProblem, workGroupNameProblem } from '../prop-rules';
import { centralBucketPolicyStatements, READ_ACTIONS } from './bucket-policy';
import { centralTableInput } from './central-table';
import { defaultCentralBucketName } from './layout';
import { ORG_QUERIES, type OrgQuery, renderOrgQuery } from './queries';

/** Properties of a {@link CentralLake}. */
export interface CentralLakeProps {
  /** The organization whose accounts deliver their compacted days (`aws:PrincipalOrgID`). */
  readonly organizationId: string;

  /**
   * The central bucket's name (the member stacks are told it).
   * @default `s3-access-logs-central-<account>-<region>`
   */
  readonly bucketName?: string;

  /**
   * How long delivered days are kept.
   * @default Duration.days(400)
   */
  readonly retention?: Duration;

  /**
   * Glue database of the central table.
   * @default 's3_access_logs_org'
   */
  readonly databaseName?: string;

  /**
   * The central table's name.
   * @default 'org_access_logs_daily'
   */
  readonly tableName?: string;

  /**
   * The central Athena workgroup.
   * @default 's3-access-logs-org'
   */
  readonly workGroupName?: string;

  /**
   * Per-query scan cap of the workgroup.
   * @default Size.gibibytes(100)
   */
  readonly bytesScannedCutoffPerQuery?: Size;
}

const DEFAULTS = {
  retention: Duration.days(400),
  databaseName: 's3_access_logs_org',
  tableName: 'org_access_logs_daily',
  workGroupName: 's3-access-logs-org',
  bytesScannedCutoffPerQuery: Size.gibibytes(100),
} as const;

/** What querying the central table needs in Athena. */
const ATHENA_QUERY_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:StopQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:GetWorkGroup',
  'athena:ListNamedQueries',
  'athena:GetNamedQuery',
  'athena:BatchGetNamedQuery',
];
/** What Athena does with query results, with the caller's permissions. */
const RESULT_ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
];
const ENGINE_VERSION = 'Athena engine version 3';

/**
 * The organization's central view, in one account (a log archive account, say): the bucket every account's
 * nightly compaction delivers its day into (`daily/<day>/<account>/<region>/`), its policy, a Parquet table
 * partitioned by day over all of it (account and Region read from the object key), a workgroup and the
 * fleet-wide saved queries.
 */
export class CentralLake extends Construct {
  /** The central bucket. */
  public readonly bucket: s3.Bucket;
  /** The central table. */
  public readonly table: glue.CfnTable;
  /** The central workgroup. */
  public readonly workGroup: athena.CfnWorkGroup;
  /** Its query results. */
  public readonly resultsBucket: s3.Bucket;
  /** The fleet-wide saved queries, by name. */
  public readonly namedQueries: Readonly<Record<string, athena.CfnNamedQuery>>;
  /** Glue database name. */
  public readonly databaseName: string;
  /** Central table name. */
  public readonly tableName: string;
  /** Workgroup name. */
  public readonly workGroupName: string;

  constructor(scope: Construct, id: string, props: CentralLakeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    throwIfProblems(this, 'CentralLake', centralLakeProblems(props));
    this.databaseName = props.databaseName ?? DEFAULTS.databaseName;
    this.tableName = props.tableName ?? DEFAULTS.tableName;
    this.workGroupName = props.workGroupName ?? DEFAULTS.workGroupName;
    const retention = props.retention ?? DEFAULTS.retention;
    const bucketName = props.bucketName ?? defaultCentralBucketName(stack.account, stack.region);

    this.bucket = this.createBucket(bucketName, props.organizationId, stack, retention);
    this.table = this.createTable(bucketName, stack, retention);
    this.resultsBucket = this.createResultsBucket();
    this.workGroup = this.createWorkGroup(
      stack,
      props.bytesScannedCutoffPerQuery ?? DEFAULTS.bytesScannedCutoffPerQuery,
    );
    this.namedQueries = this.createNamedQueries();
  }

  /**
   * Read-only access for a reader in the central account: run the saved queries in the workgroup, read the
   * table and the delivered days (no write to the central bucket), and keep its own query results.
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ATHENA_QUERY_ACTIONS,
      resourceArns: [
        stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroupName }),
      ],
    })
      .combine(grantGlueTableRead(this, grantee, this.databaseName, this.tableName))
      .combine(
        iam.Grant.addToPrincipal({
          grantee,
          actions: [...READ_ACTIONS],
          resourceArns: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
        }),
      )
      .combine(
        iam.Grant.addToPrincipal({
          grantee,
          actions: ['s3:ListBucket', 's3:GetBucketLocation'],
          resourceArns: [this.resultsBucket.bucketArn],
        }),
      )
      .combine(
        iam.Grant.addToPrincipal({
          grantee,
          actions: [...RESULT_ACTIONS],
          resourceArns: [this.resultsBucket.arnForObjects('results/*')],
        }),
      );
  }

  private createBucket(
    bucketName: string,
    organizationId: string,
    stack: Stack,
    retention: Duration,
  ): s3.Bucket {
    const bucket = new s3.Bucket(this, 'Bucket', {
      bucketName,
      // SSE-S3: every member can write with the bucket's key and every central reader can read, with no key
      // policy to keep in step; a deny in the policy rejects objects encrypted any other way.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // ACLs disabled: the bucket owner owns every object a member writes.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // A member replaces its day when compaction re-runs it; versions keep what was replaced for a while.
      versioned: true,
      lifecycleRules: [
        {
          id: 'ExpireDeliveredDays',
          expiration: retention,
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const statement of centralBucketPolicyStatements({
      bucketArn: bucket.bucketArn,
      organizationId,
      centralAccount: stack.account,
    })) {
      bucket.addToResourcePolicy(statement);
    }
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'When the central account is in a target OU, the rollout turns on server access logging for every ' +
        'bucket of the Region, this one included; writes are also in CloudTrail. A log bucket of its own ' +
        'would duplicate that.',
    });
    return bucket;
  }

  private createTable(bucketName: string, stack: Stack, retention: Duration): glue.CfnTable {
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: {
        name: this.databaseName,
        description: 'The organization’s S3 access logs (s3-access-logs)',
      },
    });
    const table = new glue.CfnTable(this, 'Table', {
      catalogId: stack.account,
      databaseName: this.databaseName,
      tableInput: centralTableInput({
        bucketName,
        tableName: this.tableName,
        retentionDays: Math.ceil(retention.toDays({ integral: false })),
      }),
    });
    table.addResourceDependency(database);
    return table;
  }

  private createResultsBucket(): s3.Bucket {
    return athenaResultsBucket(this, 'ResultsBucket', {
      retention: Duration.days(7),
      noLoggingReason:
        'Query results are short-lived copies of what the central bucket holds; who ran which query is in ' +
        'CloudTrail (Athena management events).',
    });
  }

  private createWorkGroup(stack: Stack, cutoff: Size): athena.CfnWorkGroup {
    return new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'Organization-wide queries over S3 access logs (s3-access-logs)',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        engineVersion: { selectedEngineVersion: ENGINE_VERSION },
        bytesScannedCutoffPerQuery: cutoff.toBytes(),
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: this.resultsBucket.s3UrlForObject('results/'),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: stack.account,
        },
      },
    });
  }

  private createNamedQueries(): Record<string, athena.CfnNamedQuery> {
    const relation = `"${this.databaseName}"."${this.tableName}"`;
    const queries: Record<string, athena.CfnNamedQuery> = {};
    for (const query of ORG_QUERIES) {
      const named = new athena.CfnNamedQuery(this, `Query-${query.name}`, {
        name: query.name,
        description: describe(query),
        database: this.databaseName,
        workGroup: this.workGroup.ref,
        queryString: renderOrgQuery(query, relation),
      });
      named.addResourceDependency(this.table);
      queries[query.name] = named;
    }
    return queries;
  }
}

function describe(query: OrgQuery): string {
  const parameters = query.parameters.map((p, i) => `${i + 1}. ${p.name} (e.g. '${p.example}')`).join(' ');
  return `${query.description} Parameters: ${parameters}`.slice(0, 1024);
}

function centralLakeProblems(props: CentralLakeProps): Array<string | undefined> {
  const problems = [organizationIdProblem('organizationId', props.organizationId)];
  const retention = props.retention;
  if (retention !== undefined && !retention.isUnresolved() && !Number.isInteger(retention.toHours() / 24)) {
    problems.push(`retention must be whole days (got ${retention.toHumanString()}).`);
  } else if (retention !== undefined && !retention.isUnresolved() && retention.toDays() < 1) {
    problems.push('retention must be at least 1 day.');
  }
  if (props.bucketName !== undefined) problems.push(bucketNamePropProblem('bucketName', props.bucketName));
  problems.push(
    glueNameProblem('databaseName', props.databaseName ?? DEFAULTS.databaseName),
    glueNameProblem('tableName', props.tableName ?? DEFAULTS.tableName),
    workGroupNameProblem('workGroupName', props.workGroupName ?? DEFAULTS.workGroupName),
    bytesScannedCutoffProblem(
      'bytesScannedCutoffPerQuery',
      (props.bytesScannedCutoffPerQuery ?? DEFAULTS.bytesScannedCutoffPerQuery).toBytes(),
    ),
  );
  return problems;
}
