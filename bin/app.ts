#!/usr/bin/env node
import { App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AccessLogsStack } from '../lib/access-logs-stack';
import { type AppConfig, readAppConfig } from '../lib/app-config';
import { type OrganizationConfig, readOrganizationConfig } from '../lib/organization-app-config';
import { addOrganizationStacks } from './organization-app';

const app = new App();
// Every synth checks the AWS Solutions rules; a finding fails synth unless acknowledged with a reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

let config: AppConfig;
let organization: OrganizationConfig | undefined;
try {
  config = readAppConfig((key) => app.node.tryGetContext(key));
  organization = readOrganizationConfig((key) => app.node.tryGetContext(key), config.regions);
} catch (err) {
  // A configuration mistake is the user's to fix: say what is wrong, without a stack trace.
  console.error(`s3-access-logs: ${(err as Error).message}`);
  process.exit(1);
}

if (organization !== undefined) {
  // -c organizationId=...: every account of the target OUs, through a StackSet, and the central view.
  addOrganizationStacks(app, config, organization);
}

for (const region of organization === undefined ? config.regions : []) {
  // Without CDK_DEFAULT_ACCOUNT (no credentials) the account stays a token and synth still works.
  const env: Environment = { account: process.env.CDK_DEFAULT_ACCOUNT, region };
  new AccessLogsStack(app, `S3AccessLogs-${region}`, {
    env,
    description: `S3 server access logs for every bucket in ${region} (s3-access-logs)`,
    logBucket: config.logBucket(region),
    athena: config.athena,
    accessLogTable: config.accessLogTable,
    enableBucketLogging: config.enableBucketLogging,
    bucketLogging: config.bucketLogging,
    compaction: config.compaction,
    logCompaction: config.logCompaction,
    sigv2Watch: config.sigv2Watch,
    sigv2WatchOptions: config.sigv2WatchOptions,
  });
}
