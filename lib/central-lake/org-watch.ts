import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { throwIfProblems } from '../construct-errors';
import { COMPACTED_COLUMNS, DAY_COLUMN } from '../log-compaction/sql';
import { glueNameProblem } from '../prop-rules';
import { ORG_METRIC_NAMESPACE, Sigv2Watch, type Sigv2WatchOptions } from '../sigv2-watch';
import type { CentralLake } from './central-lake';
import { orgWatchViewSql } from './queries';

/** Properties of an {@link OrgSigv2Watch}. */
export interface OrgSigv2WatchProps extends Sigv2WatchOptions {
  /** The central lake to watch. */
  readonly lake: CentralLake;

  /**
   * When the organization's digest of yesterday (UTC) is computed: after the members' nightly compaction and
   * delivery (the compaction starts at 06:00 UTC by default).
   * @default cron(0 10 * * ? *)
   */
  readonly schedule?: events.Schedule;

  /**
   * Name of the Glue view the watch reads: the central table with each requester prefixed by its account.
   * @default 'org_sigv2_watch'
   */
  readonly viewName?: string;
}

/** Athena (Trino) type names of the Glue types the compacted table uses, for the view's definition. */
const PRESTO_TYPES: Record<string, string> = {
  string: 'varchar',
  bigint: 'bigint',
  int: 'integer',
  timestamp: 'timestamp(3)',
};

/**
 * The SigV2 watch for the whole organization, in the central account: the {@link Sigv2Watch} (digest on SNS and
 * EventBridge, metrics in the namespace `S3AccessLogs/Organization`, alarm, dashboard) over a view of the central table in which every requester reads
 * `<account> <requester>`, so the digest names the account of each one and "new" means new in that account.
 * A scheduled state machine stands in for the compaction: it succeeds with `{"day": yesterday}`, which is what
 * the watch's rule waits for.
 */
export class OrgSigv2Watch extends Construct {
  /** The watch. */
  public readonly watch: Sigv2Watch;
  /** The view it reads. */
  public readonly view: glue.CfnTable;
  /** The daily trigger. */
  public readonly trigger: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: OrgSigv2WatchProps) {
    super(scope, id);
    const lake = props.lake;
    const viewName = props.viewName ?? 'org_sigv2_watch';
    throwIfProblems(this, 'OrgSigv2Watch', [glueNameProblem('viewName', viewName)]);
    this.view = this.createView(lake, viewName);
    this.trigger = this.createTrigger(props.schedule ?? events.Schedule.expression('cron(0 10 * * ? *)'));
    const stack = Stack.of(this);
    const viewArn = stack.formatArn({
      service: 'glue',
      resource: 'table',
      resourceName: `${lake.databaseName}/${viewName}`,
    });
    this.watch = new Sigv2Watch(this, 'Watch', {
      ...props,
      // Its own namespace: a central account that also runs the per-Region watch keeps two series, two alarms.
      metricNamespace: ORG_METRIC_NAMESPACE,
      compaction: {
        stateMachine: this.trigger,
        databaseName: lake.databaseName,
        tableName: viewName,
        workGroupName: lake.workGroupName,
        // The central table's reads (workgroup, table, delivered days, results), and the view itself.
        grantQuery: (grantee) =>
          lake
            .grantQuery(grantee)
            .combine(
              iam.Grant.addToPrincipal({ grantee, actions: ['glue:GetTable'], resourceArns: [viewArn] }),
            ),
      },
    });
    this.watch.node.addDependency(this.view);
  }

  /**
   * An Athena view, stored in Glue as Athena stores one (VIRTUAL_VIEW with its Trino definition base64-encoded):
   * the central table's columns, `requester` prefixed by the account read from the object key.
   */
  private createView(lake: CentralLake, name: string): glue.CfnTable {
    const stack = Stack.of(this);
    const sql = orgWatchViewSql(`"${lake.databaseName}"."${lake.tableName}"`);
    const viewColumns = [
      ...COMPACTED_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
      { name: DAY_COLUMN, type: 'string' },
    ];
    const definition = {
      originalSql: sql,
      catalog: 'awsdatacatalog',
      schema: lake.databaseName,
      columns: viewColumns.map((c) => ({ name: c.name, type: PRESTO_TYPES[c.type] })),
    };
    const view = new glue.CfnTable(this, 'View', {
      catalogId: stack.account,
      databaseName: lake.databaseName,
      tableInput: {
        name,
        description: 'The central table for the SigV2 watch: requester reads "<account> <requester>"',
        tableType: 'VIRTUAL_VIEW',
        parameters: { presto_view: 'true', comment: 'Presto View' },
        viewOriginalText: `/* Presto View: ${Buffer.from(JSON.stringify(definition)).toString('base64')} */`,
        viewExpandedText: '/* Presto View */',
        storageDescriptor: { columns: viewColumns, serdeInfo: {} },
      },
    });
    view.addResourceDependency(lake.table);
    return view;
  }

  private createTrigger(schedule: events.Schedule): sfn.StateMachine {
    // JSONata: yesterday (UTC) of the execution's start, as the compaction's output spells a day.
    const yesterday =
      "{% $fromMillis($toMillis($states.context.Execution.StartTime) - 86400000, '[Y0001]/[M01]/[D01]') %}";
    const day = sfn.Pass.jsonata(this, 'Yesterday', { outputs: { day: yesterday, days: [yesterday] } });
    const logGroup = new logs.LogGroup(this, 'TriggerLogs', { retention: logs.RetentionDays.ONE_YEAR });
    const machine = new sfn.StateMachine(this, 'Trigger', {
      comment: 'Succeeds with {"day": yesterday}: starts the organization SigV2 digest',
      queryLanguage: sfn.QueryLanguage.JSONATA,
      definitionBody: sfn.DefinitionBody.fromChainable(day),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: Duration.minutes(5),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    new events.Rule(this, 'Schedule', {
      description: 'Starts the organization SigV2 digest of yesterday',
      schedule,
      targets: [new targets.SfnStateMachine(machine)],
    });
    Validations.of(machine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions log delivery and X-Ray (logs:CreateLogDelivery, xray:PutTraceSegments, ...) have no ' +
        'resource-level permissions; the state machine runs one Pass state.',
    });
    return machine;
  }
}
