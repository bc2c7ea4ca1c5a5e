import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/** What Athena reads from the Glue Data Catalog on the caller's behalf (projection needs no partitions). */
export const GLUE_READ_ACTIONS = ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables'];

/**
 * Glue reads of one table, its database and the catalog: what querying a table needs of the Data Catalog
 * (the Region's table and the organization's central one alike).
 */
export function grantGlueTableRead(
  scope: IConstruct,
  grantee: iam.IGrantable,
  databaseName: string,
  tableName: string,
): iam.Grant {
  const stack = Stack.of(scope);
  return iam.Grant.addToPrincipal({
    grantee,
    actions: GLUE_READ_ACTIONS,
    resourceArns: [
      stack.formatArn({ service: 'glue', resource: 'catalog' }),
      stack.formatArn({ service: 'glue', resource: 'database', resourceName: databaseName }),
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${databaseName}/${tableName}` }),
    ],
  });
}
