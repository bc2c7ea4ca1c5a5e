import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** One unacknowledged cdk-nag finding, as `<rule> at <construct path>`. */
export type NagFinding = string;

/**
 * Runs the AWS Solutions pack over a scope and returns every unacknowledged finding. Tests assert that the list
 * is empty, so a new finding names its rule and construct in the failure message.
 */
export function awsSolutionsFindings(scope: IConstruct): NagFinding[] {
  const app = scope.node.root instanceof App ? scope.node.root : new App();
  const report = new AwsSolutionsChecks(app).validateScope(scope);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath ?? r.resourceLogicalId}`),
  );
}
