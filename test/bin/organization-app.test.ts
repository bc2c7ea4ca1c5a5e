import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { AccessLogsStack } from '../../lib/access-logs-stack';
import { readAppConfig } from '../../lib/app-config';

const ROOT = path.resolve(__dirname, '../..');
const ORGANIZATION = {
  regions: 'us-east-1,eu-west-1',
  organizationId: 'o-a1b2c3d4e5',
  targetOus: 'ou-ab12-cdefgh34,r-ab12',
  centralAccount: '999988887777',
};

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs bin/app.ts the way the CDK CLI does, without credentials. */
function runApp(context: Record<string, string>) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 's3al-org-'));
  outdirs.push(outdir);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/app.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify(context),
      CDK_VALIDATION: 'false',
    },
  });
  const stacks =
    result.status === 0 ? fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')) : [];
  return { ...result, outdir, stacks: stacks.sort() };
}

const template = (outdir: string, file: string) =>
  JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8'));

describe('the CDK app with organization settings', () => {
  const run = runApp(ORGANIZATION);

  it('writes the asset buckets, the StackSet and the central stack, and no per-account stack', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const stacks = run.stacks.filter((f) => !f.includes('MemberStack'));
    expect(stacks).toEqual([
      'S3AccessLogs-Central.template.json',
      'S3AccessLogs-OrgAssets-eu-west-1.template.json',
      'S3AccessLogs-OrgAssets-us-east-1.template.json',
      'S3AccessLogs-Organization.template.json',
    ]);
  });

  it('puts the central stack in the central account and the first Region', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(run.outdir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts['S3AccessLogs-Central'].environment).toBe('aws://999988887777/us-east-1');
    const central = template(run.outdir, 'S3AccessLogs-Central.template.json');
    const bucket = Object.values(
      central.Resources as Record<string, { Type: string; Properties: { BucketName?: string } }>,
    ).find((r) => r.Type === 'AWS::S3::Bucket' && r.Properties.BucketName !== undefined);
    expect(bucket?.Properties.BucketName).toBe('s3-access-logs-central-999988887777-us-east-1');
  });

  it('turns auto-deployment on for the target OUs in every Region', () => {
    const rollout = template(run.outdir, 'S3AccessLogs-Organization.template.json');
    const stackSet = Object.values(
      rollout.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    ).find((r) => r.Type === 'AWS::CloudFormation::StackSet');
    expect(stackSet?.Properties).toMatchObject({
      AutoDeployment: { Enabled: true },
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdefgh34', 'r-ab12'] },
          Regions: ['us-east-1', 'eu-west-1'],
        },
      ],
    });
  });

  it("takes digestEmail for the central watch with the members' watch off (README: Settings of a part that is off)", () => {
    const off = runApp({ ...ORGANIZATION, sigv2WatchEnabled: 'false', digestEmail: 'team@example.com' });
    expect(off.stderr).toBe('');
    expect(off.status).toBe(0);
    const central = JSON.stringify(template(off.outdir, 'S3AccessLogs-Central.template.json'));
    expect(central).toContain('team@example.com');
    const member = off.stacks.find((f) => f.includes('MemberStack')) as string;
    const alarms = Object.values(
      template(off.outdir, member).Resources as Record<string, { Type: string }>,
    ).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(0);
  });

  it('has every member deliver its compacted days to the central bucket', () => {
    const member = run.stacks.find((f) => f.includes('MemberStack')) as string;
    const resources = template(run.outdir, member).Resources as Record<
      string,
      { Type: string; Properties: { Environment?: { Variables?: Record<string, unknown> } } }
    >;
    const configs = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((f) => f.Properties.Environment?.Variables?.CENTRAL_DELIVERY_CONFIG)
      .filter((c) => c !== undefined);
    expect(configs).toHaveLength(1);
    expect(JSON.stringify(configs[0])).toContain('s3-access-logs-central-999988887777-us-east-1');
  });

  it.each([
    [
      { organizationId: undefined },
      /Context targetOus, centralAccount only apply to an organization rollout/,
    ],
    [{ targetOus: '' }, /Context targetOus is empty/],
    [
      { centralAccount: 'log-archive' },
      /Context centralAccount must be a 12-digit AWS account id \(got 'log-archive'\)/,
    ],
    [{ organizationId: 'o-x' }, /Context organizationId must be an organization id/],
    [{ bucketName: 'logs-{region}' }, /bucketName 'logs-\{region\}' must contain \{account\}/],
    [{ callAs: 'root' }, /Context callAs must be one of self, delegated-admin/],
    [
      { centralRegion: 'mars-1' },
      /^s3-access-logs: Context centralRegion names an unknown Region code \(got 'mars-1'\).*\n {2}hint: centralRegion: /,
    ],
    [
      { assetBucketPrefix: 'UPPER' },
      /^s3-access-logs: Context assetBucketPrefix may hold only lowercase .*\(got 'UPPER'\)\.\n {2}hint: assetBucketPrefix: /,
    ],
    [{ existingBucketName: 'x-{region}' }, /existingBucketName 'x-\{region\}' must contain \{account\}/],
  ])('fails with a message naming the key for %j', (change, message) => {
    const context: Record<string, string> = { ...ORGANIZATION };
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete context[k];
      else context[k] = v;
    }
    const { status, stderr } = runApp(context);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^s3-access-logs: /);
    expect(stderr).toMatch(message);
  });
});

describe('the CDK app without organization settings', () => {
  it('writes the per-account stacks exactly as the AccessLogsStack they always were', () => {
    const context = { regions: 'us-east-1,eu-west-1', bucketName: 'logs-{account}-{region}' };
    const run = runApp(context);
    expect(run.status).toBe(0);
    expect(run.stacks).toEqual([
      'S3AccessLogs-eu-west-1.template.json',
      'S3AccessLogs-us-east-1.template.json',
    ]);

    // The same stack built directly, as bin/app.ts has built it since before the organization rollout.
    const config = readAppConfig((k) => (context as Record<string, string>)[k]);
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 's3al-ref-')), context });
    outdirs.push(app.outdir);
    for (const region of config.regions) {
      new AccessLogsStack(app, `S3AccessLogs-${region}`, {
        env: { account: process.env.CDK_DEFAULT_ACCOUNT, region },
        description: `S3 server access logs for every bucket in ${region} (s3-access-logs)`,
        logBucket: config.logBucket(region),
        accessLogTableEnabled: config.accessLogTableEnabled,
        accessLogTable: config.accessLogTable,
        bucketLoggingEnabled: config.bucketLoggingEnabled,
        bucketLogging: config.bucketLogging,
        logCompactionEnabled: config.logCompactionEnabled,
        logCompaction: config.logCompaction,
        sigv2WatchEnabled: config.sigv2WatchEnabled,
        sigv2Watch: config.sigv2Watch,
      });
    }
    app.synth();
    for (const file of run.stacks) {
      expect(fs.readFileSync(path.join(run.outdir, file), 'utf8')).toBe(
        fs.readFileSync(path.join(app.outdir, file), 'utf8'),
      );
    }
  });
});
