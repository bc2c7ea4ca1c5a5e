import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOG_TARGET_ROLE, ROLE_TAG_KEY } from '../../lib/conventions';

/**
 * What the README's embedding example (examples/embedding/app.ts) must synthesize, checked on its cloud
 * assembly. The in-repo test runs the example against lib/, the outside-in test against the installed
 * package; both call {@link embeddingAssemblyProblems}, so they hold the example to the same expectations.
 * Manifests are read as JSON (not through aws-cdk-lib's reader) so that an assembly written by the lowest
 * supported aws-cdk-lib reads the same way.
 */

/** One synthesized stack: where it deploys, its template and the warnings synth attached to it. */
export interface SynthesizedStack {
  readonly displayName: string;
  readonly environment: string;
  readonly terminationProtection: boolean;
  readonly template: Template;
  readonly warnings: string[];
  /** Folder of the (possibly nested) assembly that holds the stack's template and assets. */
  readonly assemblyDir: string;
}

export interface Template {
  readonly Resources?: Record<string, Resource>;
}

export interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: { templateFile?: string; terminationProtection?: boolean; directoryName?: string };
  readonly metadata?: ConstructMetadata;
  /** Newer aws-cdk-lib versions write the metadata to this file instead of the manifest. */
  readonly additionalMetadataFile?: string;
}

type ConstructMetadata = Record<string, Array<{ type: string; data?: unknown }>>;

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** Every stack of an assembly, including those of nested assemblies (Stages). */
export function readStacks(assemblyDir: string): SynthesizedStack[] {
  const manifest = readJson<{ artifacts?: Record<string, ManifestArtifact> }>(
    path.join(assemblyDir, 'manifest.json'),
  );
  return Object.entries(manifest.artifacts ?? {}).flatMap(([id, artifact]): SynthesizedStack[] => {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      return readStacks(path.join(assemblyDir, artifact.properties.directoryName));
    }
    if (artifact.type !== 'aws:cloudformation:stack') return [];
    const templateFile = artifact.properties?.templateFile ?? `${id}.template.json`;
    const metadata: ConstructMetadata = {
      ...artifact.metadata,
      ...(artifact.additionalMetadataFile
        ? readJson<ConstructMetadata>(path.join(assemblyDir, artifact.additionalMetadataFile))
        : {}),
    };
    const warnings = Object.values(metadata)
      .flat()
      .filter((entry) => entry.type === 'aws:cdk:warning')
      .map((entry) => String(entry.data));
    return [
      {
        displayName: artifact.displayName ?? id,
        environment: artifact.environment ?? '',
        terminationProtection: artifact.properties?.terminationProtection === true,
        template: readJson<Template>(path.join(assemblyDir, templateFile)),
        warnings,
        assemblyDir,
      },
    ];
  });
}

function resourcesOfType(stack: SynthesizedStack, type: string): Resource[] {
  return Object.values(stack.template.Resources ?? {}).filter((r) => r.Type === type);
}

/**
 * The log buckets of a stack: those tagged as log targets (the tag bucket logging reads), so that other
 * buckets a stack has (Athena query results, the user's own) do not count.
 */
export function logBuckets(stack: SynthesizedStack): Resource[] {
  return resourcesOfType(stack, 'AWS::S3::Bucket').filter((bucket) => {
    const tags = (bucket.Properties?.Tags ?? []) as Array<{ Key: string; Value: string }>;
    return tags.some((t) => t.Key === ROLE_TAG_KEY && t.Value === LOG_TARGET_ROLE);
  });
}

/** The bucket policies of a stack that let S3 deliver server access logs. */
function logDeliveryPolicies(stack: SynthesizedStack): string[] {
  return resourcesOfType(stack, 'AWS::S3::BucketPolicy')
    .map((p) => JSON.stringify(p.Properties))
    .filter((text) => text.includes('logging.s3.amazonaws.com'));
}

/** Checks a stack that creates its own log bucket with the default name. */
function defaultLogBucketProblems(stack: SynthesizedStack, account: string, region: string): string[] {
  const problems: string[] = [];
  const names = logBuckets(stack).map((b) => b.Properties?.BucketName);
  const expected = `s3-access-logs-${account}-${region}`;
  if (names.length !== 1 || names[0] !== expected) {
    problems.push(
      `${stack.displayName}: expected one log bucket named ${expected}, got ${JSON.stringify(names)}`,
    );
  }
  const policies = logDeliveryPolicies(stack);
  if (policies.length !== 1 || !policies[0].includes(account)) {
    problems.push(`${stack.displayName}: no bucket policy lets ${account}'s buckets deliver logs`);
  }
  if (stack.environment !== `aws://${account}/${region}`) {
    problems.push(
      `${stack.displayName}: environment is ${stack.environment}, not aws://${account}/${region}`,
    );
  }
  if (!stack.terminationProtection) problems.push(`${stack.displayName}: termination protection is off`);
  return problems;
}

/**
 * Every Lambda function built from an asset must find its code in the assembly: constructs load prebuilt
 * handler bundles, and a bundle missing from the installed package would leave an empty or absent folder.
 */
function lambdaAssetProblems(stack: SynthesizedStack): string[] {
  return resourcesOfType(stack, 'AWS::Lambda::Function').flatMap((fn) => {
    const assetPath = fn.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string') return [];
    // The handler `index.handler` lives in index.js; the Provider framework's `framework.onEvent` in framework.js.
    const handler = fn.Properties?.Handler;
    const file = `${typeof handler === 'string' ? handler.slice(0, handler.lastIndexOf('.')) : 'index'}.js`;
    const entry = path.join(stack.assemblyDir, assetPath, file);
    return fs.existsSync(entry) ? [] : [`${stack.displayName}: a Lambda function's code has no ${entry}`];
  });
}

/** Everything wrong with the example's assembly; empty when it synthesized as the README describes. */
export function embeddingAssemblyProblems(assemblyDir: string): string[] {
  const stacks = readStacks(assemblyDir);
  const byName = new Map(stacks.map((s) => [s.displayName, s]));
  const expectedStacks = [
    'AccessLogs-111111111111-eu-west-1',
    'AccessLogs-111111111111-us-east-1',
    'AccessLogs-222222222222-eu-west-1',
    'Production/Audit',
  ];
  const names = [...byName.keys()].sort();
  if (JSON.stringify(names) !== JSON.stringify(expectedStacks)) {
    return [`expected stacks ${expectedStacks.join(', ')}; got ${names.join(', ')}`];
  }
  const problems = [
    ...defaultLogBucketProblems(
      byName.get('AccessLogs-111111111111-us-east-1')!,
      '111111111111',
      'us-east-1',
    ),
    ...defaultLogBucketProblems(
      byName.get('AccessLogs-222222222222-eu-west-1')!,
      '222222222222',
      'eu-west-1',
    ),
    ...stacks.flatMap(lambdaAssetProblems),
  ];

  const existing = byName.get('AccessLogs-111111111111-eu-west-1')!;
  if (logBuckets(existing).length > 0 || logDeliveryPolicies(existing).length > 0) {
    problems.push(
      `${existing.displayName}: logs into an existing bucket but creates a log bucket or its policy`,
    );
  }
  if (
    !existing.warnings.some(
      (w) => w.includes('corp-central-logs-eu-west-1') && w.includes('logging.s3.amazonaws.com'),
    )
  ) {
    problems.push(`${existing.displayName}: no warning says what the existing bucket's policy must allow`);
  }

  const audit = byName.get('Production/Audit')!;
  if (audit.environment !== 'aws://333333333333/eu-central-1') {
    problems.push(`Production/Audit: does not inherit the Stage's environment (got ${audit.environment})`);
  }
  const auditBuckets = logBuckets(audit);
  const auditBucket = auditBuckets[0]?.Properties;
  if (
    auditBuckets.length !== 1 ||
    auditBucket?.BucketName !== 'audit-access-logs-333333333333-eu-central-1'
  ) {
    problems.push('Production/Audit: expected the log bucket audit-access-logs-333333333333-eu-central-1');
  }
  if (!JSON.stringify(auditBucket?.LifecycleConfiguration).includes('"ExpirationInDays":365')) {
    problems.push('Production/Audit: the log bucket does not expire logs after 365 days');
  }
  const iamPolicies = JSON.stringify(resourcesOfType(audit, 'AWS::IAM::Policy').map((p) => p.Properties));
  if (!iamPolicies.includes('s3:GetObject') || !iamPolicies.includes('Auditors')) {
    problems.push('Production/Audit: the Auditors role is not granted read access to the logs');
  }
  if (!iamPolicies.includes('athena:StartQueryExecution')) {
    problems.push('Production/Audit: the Auditors role is not granted to run Athena queries');
  }
  // AccessLogTable's raw table, then LogCompaction's source and compacted tables, all in the one database.
  const auditTables = resourcesOfType(audit, 'AWS::Glue::Table');
  if (auditTables.length !== 3 || auditTables.some((t) => t.Properties?.DatabaseName === undefined)) {
    problems.push('Production/Audit: expected three Glue tables (AccessLogTable and LogCompaction)');
  }
  const workGroups = JSON.stringify(resourcesOfType(audit, 'AWS::Athena::WorkGroup'));
  if (!workGroups.includes('"audit-access-logs"') || !workGroups.includes('"audit-access-logs-compaction"')) {
    problems.push(
      'Production/Audit: expected the workgroups audit-access-logs and audit-access-logs-compaction',
    );
  }
  // BucketLogging's provider has a waiter state machine of its own: count the compaction's by its SQL tasks.
  const stateMachines = resourcesOfType(audit, 'AWS::StepFunctions::StateMachine');
  if (!stateMachines.some((m) => JSON.stringify(m.Properties).includes('athena:startQueryExecution'))) {
    problems.push('Production/Audit: expected the compaction state machine (LogCompaction)');
  }
  const subscriptions = JSON.stringify(resourcesOfType(audit, 'AWS::SNS::Subscription'));
  const alarms = JSON.stringify(resourcesOfType(audit, 'AWS::CloudWatch::Alarm'));
  if (!subscriptions.includes('audit-team@example.com') || !alarms.includes('AuditAccessLogs')) {
    problems.push(
      'Production/Audit: expected the SigV2 watch mailing audit-team@example.com, its alarm in AuditAccessLogs',
    );
  }
  if (!JSON.stringify(resourcesOfType(audit, 'AWS::Glue::Database')).includes('audit_access_logs')) {
    problems.push('Production/Audit: expected the Glue database audit_access_logs');
  }
  const auditLogging = resourcesOfType(audit, 'Custom::S3BucketLogging');
  const loggingConfig = JSON.stringify(auditLogging[0]?.Properties?.Config ?? '');
  if (
    auditLogging.length !== 1 ||
    !loggingConfig.includes('payments-*') ||
    !loggingConfig.includes('access_logs')
  ) {
    problems.push(
      'Production/Audit: expected BucketLogging for audit-* and payments-* that keeps the table current',
    );
  }
  for (const stack of [byName.get('AccessLogs-111111111111-us-east-1')!, existing]) {
    // The raw table and its workgroup, plus LogCompaction's source and compacted tables and its workgroup.
    const expected = { 'Custom::S3BucketLogging': 1, 'AWS::Glue::Table': 3, 'AWS::Athena::WorkGroup': 2 };
    for (const [type, count] of Object.entries(expected)) {
      if (resourcesOfType(stack, type).length !== count)
        problems.push(`${stack.displayName}: expected ${count} ${type}`);
    }
  }
  return problems;
}
