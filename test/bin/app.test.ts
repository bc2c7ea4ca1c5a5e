import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const CDK_JSON_CONTEXT = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;
const ACCOUNT = '111122223333';

/**
 * Runs bin/app.ts the way the CDK CLI does: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR. `env` adds
 * variables, e.g. CDK_DEFAULT_ACCOUNT, which the CLI sets from the credentials.
 */
function runApp(context: Record<string, unknown>, env: Record<string, string> = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 's3al-app-'));
  outdirs.push(outdir);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/app.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify(context),
      CDK_VALIDATION: 'false',
      CDK_DEBUG: '',
      ...env,
    },
  });
  return { ...result, outdir };
}

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

function template(outdir: string, region: string): Record<string, CfnResource> {
  const file = path.join(outdir, `S3AccessLogs-${region}.template.json`);
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { Resources: Record<string, CfnResource> }).Resources;
}

function ofType(resources: Record<string, CfnResource>, type: string): CfnResource[] {
  return Object.values(resources).filter((r) => r.Type === type);
}

/** The warnings the CLI would print, from the stacks' metadata files in the cloud assembly. */
function warnings(outdir: string): string[] {
  return fs
    .readdirSync(outdir)
    .filter((f) => f.endsWith('.metadata.json'))
    .flatMap((f) => {
      const metadata = JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8')) as Record<
        string,
        Array<{ type: string; data: unknown }>
      >;
      return Object.values(metadata).flat();
    })
    .filter((m) => m.type === 'aws:cdk:warning')
    .map((m) => String(m.data));
}

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the CDK app', () => {
  it('writes one template per Region, each stack named after its Region', () => {
    const { status, stderr, outdir } = runApp({ regions: 'us-east-1,eu-west-1' });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
    expect(templates.sort()).toEqual([
      'S3AccessLogs-eu-west-1.template.json',
      'S3AccessLogs-us-east-1.template.json',
    ]);
  });

  it('accepts cdk.json and what the CDK CLI adds to the context', () => {
    const { status, stderr } = runApp({
      ...CDK_JSON_CONTEXT,
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:version-reporting': true,
      '@aws-cdk/core:failSynthOnValidationErrors': true,
      'availability-zones:account=111122223333:region=us-east-1': ['us-east-1a'],
      'acknowledged-issue-numbers': [1234],
    });
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});

describe('the CDK app with a bad setting', () => {
  // Each case: the context, then the one line the user sees and the start of its hint.
  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'a Region code that does not exist',
      { regions: 'us-east-1,not-a-region' },
      'Context regions names unknown Region code(s): not-a-region. Use codes such as us-east-1 or eu-west-1.',
      'known Region codes: ',
    ],
    [
      'a mistyped key',
      { regions: 'us-east-1', retension: '30' },
      'Unknown context key retension=30 (did you mean retention?): fix the spelling, or pass ' +
        '-c allowUnknownContext=true if another library reads it.',
      'the keys of this app are listed in README',
    ],
    [
      'a switch by its name of an earlier release',
      { regions: 'us-east-1', athena: 'false' },
      'Context key athena was renamed to accessLogTableEnabled: write -c accessLogTableEnabled=false ' +
        '(or "accessLogTableEnabled" in cdk.json) instead.',
      'accessLogTableEnabled: ',
    ],
    [
      'the SigV2 watch turned on without the Athena table it reads',
      { regions: 'us-east-1', sigv2WatchEnabled: 'true', accessLogTableEnabled: 'false' },
      'Context sigv2WatchEnabled=true: AccessLogsStack S3AccessLogs-us-east-1: ',
      'sigv2WatchEnabled: ',
    ],
    [
      'a retention of 0 days',
      { regions: 'us-east-1', retention: '0' },
      'Context retention=0: AccessLogBucket S3AccessLogs-us-east-1/LogBucket: retention must be at least 1 day (got 0).',
      'retention: ',
    ],
    [
      'an IA transition before 30 days',
      { regions: 'us-east-1', transitionToInfrequentAccessAfter: '10' },
      "Context transitionToInfrequentAccessAfter=10: AccessLogBucket S3AccessLogs-us-east-1/LogBucket: transitionToInfrequentAccessAfter must be at least 30 days, S3's minimum for STANDARD_IA (got 10).",
      'transitionToInfrequentAccessAfter: ',
    ],
    [
      'an upper-case bucket name',
      { regions: 'us-east-1', bucketName: 'Logs-{region}' },
      "Context bucketName=Logs-{region}: AccessLogBucket S3AccessLogs-us-east-1/LogBucket: bucketName 'Logs-us-east-1' is not a valid S3 bucket name: it may contain only lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit.",
      'bucketName: ',
    ],
    [
      'a concurrency of 0',
      { regions: 'us-east-1', concurrency: '0' },
      'Context concurrency=0: BucketLogging S3AccessLogs-us-east-1/BucketLogging: concurrency must be a whole number from 1 to 256 (got 0).',
      'concurrency: ',
    ],
    [
      'a scan cap below Athena minimum',
      { regions: 'us-east-1', bytesScannedCutoffPerQuery: '5MiB' },
      'Context bytesScannedCutoffPerQuery=5MiB: ',
      'bytesScannedCutoffPerQuery: ',
    ],
    [
      'a sweep schedule EventBridge would refuse',
      { regions: 'us-east-1', sweepSchedule: 'rate(0 days)' },
      "Context sweepSchedule 'rate(0 days)' must have a rate of at least 1. Examples: rate(1 day), rate(12 hours), cron(0 3 * * ? *)",
      'sweepSchedule: ',
    ],
    [
      'a compaction lateDays over 30',
      { regions: 'us-east-1', compactionLateDays: '31' },
      'Context compactionLateDays=31: LogCompaction S3AccessLogs-us-east-1/LogCompaction: lateDays must be a whole number from 0 to 30 (got 31).',
      'compactionLateDays: ',
    ],
    [
      'a compaction chunk size over 5000',
      { regions: 'us-east-1', compactionChunkSize: '5001' },
      'Context compactionChunkSize=5001: LogCompaction S3AccessLogs-us-east-1/LogCompaction: chunkSize must be a whole number from 1 to 5000 (got 5001).',
      'compactionChunkSize: ',
    ],
    [
      'a compaction concurrency of 0',
      { regions: 'us-east-1', compactionConcurrency: '0' },
      'Context compactionConcurrency=0: LogCompaction S3AccessLogs-us-east-1/LogCompaction: maxConcurrency must be a whole number from 1 to 40 (got 0).',
      'compactionConcurrency: ',
    ],
    [
      'a compaction scan cap below Athena minimum, with the raw workgroup’s cap set too',
      {
        regions: 'us-east-1',
        bytesScannedCutoffPerQuery: '20GiB',
        compactionBytesScannedCutoffPerQuery: '5MiB',
      },
      "Context compactionBytesScannedCutoffPerQuery=5MiB: LogCompaction S3AccessLogs-us-east-1/LogCompaction: bytesScannedCutoffPerQuery must be at least 10 MB (10000000 bytes), Athena's minimum (got 5242880 bytes).",
      'compactionBytesScannedCutoffPerQuery: ',
    ],
    [
      'an hourly compaction schedule',
      { regions: 'us-east-1', compactionSchedule: 'rate(1 hour)' },
      'Context compactionSchedule="rate(1 hour)": LogCompaction S3AccessLogs-us-east-1/LogCompaction: schedule \'rate(1 hour)\' runs more than once a day: ',
      'compactionSchedule: ',
    ],
  ])('fails on %s with one line and a hint, no stack trace', (_name, context, line, hint) => {
    const { status, stderr } = runApp(context);
    expect(status).not.toBe(0);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    // A line given up to ': ' is checked up to there (the rest is the construct's own wording).
    const shown = line.endsWith(': ') ? lines[0].slice(0, `s3-access-logs: ${line}`.length) : lines[0];
    expect(shown).toBe(`s3-access-logs: ${line}`);
    expect(lines[1].slice(0, `  hint: ${hint}`.length)).toBe(`  hint: ${hint}`);
  });

  it('lets a key of another library through with allowUnknownContext=true', () => {
    const { status, stderr } = runApp({
      regions: 'us-east-1',
      'other-lib:setting': 'x',
      allowUnknownContext: 'true',
    });
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});

describe('deploying again after delete', () => {
  const NAME = `s3-access-logs-${ACCOUNT}-us-east-1`;

  // `cdk deploy --import-existing-resources` imports a resource only if its name is a literal and its
  // DeletionPolicy is Retain; the table and bucket logging refer to the bucket, so they follow it.
  it.each<[string, Record<string, unknown>, string]>([
    ['the default name', {}, NAME],
    [
      'a bucketName with {account} and {region}',
      { bucketName: 'logs-{account}-{region}' },
      `logs-${ACCOUNT}-us-east-1`,
    ],
  ])('gives the log bucket with %s all that CloudFormation needs to import it', (_name, context, name) => {
    const { status, stderr, outdir } = runApp(
      { regions: 'us-east-1', ...context },
      { CDK_DEFAULT_ACCOUNT: ACCOUNT },
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const resources = template(outdir, 'us-east-1');
    const [id, ...others] = Object.keys(resources).filter(
      (key) => resources[key].Type === 'AWS::S3::Bucket' && resources[key].Properties?.BucketName === name,
    );
    expect(others).toEqual([]);
    expect(resources[id]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    // The table, bucket logging and the delivery policy refer to the bucket, so they follow it when imported.
    const ref = JSON.stringify({ Ref: id });
    for (const type of ['AWS::Glue::Table', 'Custom::S3BucketLogging', 'AWS::S3::BucketPolicy']) {
      expect(ofType(resources, type).some((r) => JSON.stringify(r.Properties).includes(ref))).toBe(true);
    }
  });

  it('with existingBucketName, creates no log bucket and points the table and bucket logging at the old one', () => {
    const { status, stderr, outdir } = runApp(
      { regions: 'us-east-1', existingBucketName: 's3-access-logs-{account}-{region}' },
      { CDK_DEFAULT_ACCOUNT: ACCOUNT },
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const resources = template(outdir, 'us-east-1');
    const bucketNames = ofType(resources, 'AWS::S3::Bucket').map((b) => b.Properties?.BucketName);
    expect(bucketNames).not.toContain(NAME);
    const policies = ofType(resources, 'AWS::S3::BucketPolicy').map((p) => JSON.stringify(p.Properties));
    expect(policies.some((p) => p.includes(NAME))).toBe(false);
    const [table] = ofType(resources, 'AWS::Glue::Table');
    expect(JSON.stringify(table.Properties)).toContain(`s3://${NAME}/`);
    const [logging] = ofType(resources, 'Custom::S3BucketLogging');
    expect(JSON.stringify(logging.Properties)).toContain(`\\"targetBucket\\":\\"${NAME}\\"`);
    // The stack leaves the old bucket's policy alone, so synth says what delivery needs.
    const [warning, ...others] = warnings(outdir);
    expect(others).toEqual([]);
    expect(warning).toContain(`'${NAME}' is not managed by this app`);
    expect(warning).toContain('logging.s3.amazonaws.com s3:PutObject');
    // The statement to add, as JSON the user can paste, with the account filled in.
    expect(warning).toContain(
      `"Resource":"arn:aws:s3:::${NAME}/*","Condition":{"StringEquals":{"aws:SourceAccount":"${ACCOUNT}"}`,
    );
  });

  it('refuses existingBucketName with settings of a bucket it would create, naming the key', () => {
    const { status, stderr } = runApp({
      regions: 'us-east-1',
      existingBucketName: 'old-logs-{region}',
      retention: '365',
    });
    expect(status).not.toBe(0);
    expect(stderr.split('\n')[0]).toBe(
      's3-access-logs: Context existingBucketName=old-logs-{region}: AccessLogBucket S3AccessLogs-us-east-1/LogBucket: existingBucketName cannot be combined with ' +
        'retention: those shape a bucket this construct creates. Configure them on the existing bucket, or remove ' +
        'existingBucketName.',
    );
  });
});
