#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AccessLogsStack } from '../lib/access-logs-stack';
import { ContextError, checkContextKeys, explainFailure, readAppConfig } from '../lib/app-config';
import { readOrganizationConfig } from '../lib/organization-app-config';
import { addOrganizationStacks } from './organization-app';

// Synthesized explicitly below, so that an error thrown while synthesizing is reported like any other.
const app = new App({ autoSynth: false });
const context = app.node.getAllContext();

try {
  checkContextKeys(context);
  const config = readAppConfig((key) => app.node.tryGetContext(key));
  const organization = readOrganizationConfig((key) => app.node.tryGetContext(key), config.regions);
  // Every synth checks the AWS Solutions rules; a finding fails synth unless acknowledged with a reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  if (organization !== undefined) {
    // -c organizationId=...: every account of the target OUs, through a StackSet, and the central view.
    addOrganizationStacks(app, config, organization);
  } else {
    // Without CDK_DEFAULT_ACCOUNT (no credentials) the account stays a token and synth still works.
    const account = process.env.CDK_DEFAULT_ACCOUNT;
    for (const region of config.regions) {
      new AccessLogsStack(app, `S3AccessLogs-${region}`, {
        env: { account, region },
        description: `S3 server access logs for every bucket in ${region} (s3-access-logs)`,
        ...config.stackProps(region, account),
      });
    }
  }
  app.synth();
} catch (err) {
  // A bad setting is the user's to fix: one line that names the key, its value and the fix, no stack trace.
  const { line, hint } = explainFailure(err, context);
  console.error(`s3-access-logs: ${line}`);
  if (hint !== undefined) console.error(`  hint: ${hint}`);
  if (process.env.CDK_DEBUG === 'true' && err instanceof Error && !(err instanceof ContextError)) {
    console.error(err.stack);
  }
  process.exit(1);
}
