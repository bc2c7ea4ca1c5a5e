import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Aws, Annotations as CoreAnnotations, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { EXISTING_BUCKET_WARNING } from '../../lib/access-log-bucket/existing-bucket';
import {
  CallAs,
  OrganizationAssetBucket,
  OrganizationRollout,
  type OrganizationRolloutProps,
  RegionConcurrency,
} from '../../lib/organization-rollout';
import { testApp } from '../util/app';
import { awsSolutionsFindings } from '../util/nag';
import { evaluate, resolveStatements } from '../util/policy-evaluator';

const ORG = 'o-a1b2c3d4e5';
const ADMIN = '123456789012';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const PREFIX = `s3al-assets-${ORG}`;

/** The app as bin/app.ts builds it: asset bucket stacks per Region, the rollout stack depending on them. */
function organizationApp(props: Partial<OrganizationRolloutProps> = {}) {
  const app = testApp();
  const assetStacks = REGIONS.map((region) => {
    const s = new Stack(app, `Assets-${region}`, { env: { account: ADMIN, region } });
    new OrganizationAssetBucket(s, 'Assets', { organizationId: ORG, publishingRegion: REGIONS[0] });
    return s;
  });
  const parent = new Stack(app, 'Rollout', { env: { account: ADMIN, region: REGIONS[0] } });
  for (const s of assetStacks) parent.addStackDependency(s);
  const rollout = new OrganizationRollout(parent, 'Rollout', {
    organizationId: ORG,
    targetOrganizationalUnitIds: ['ou-ab12-cdefgh34', 'r-ab12'],
    regions: REGIONS,
    memberStack: { centralLake: { bucketName: 'central', region: 'eu-west-1', account: '999988887777' } },
    ...props,
  });
  return { app, parent, rollout, assetStacks };
}

describe('OrganizationRollout', () => {
  const { app, parent, rollout, assetStacks } = organizationApp();
  const assembly = app.synth();
  const template = Template.fromStack(parent);
  const memberTemplate = JSON.parse(
    fs.readFileSync(path.join(assembly.directory, rollout.memberStack.templateFile), 'utf8'),
  );

  it('deploys with a service-managed StackSet that covers accounts joining the OUs later', () => {
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'SELF',
      StackInstancesGroup: [
        { DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdefgh34', 'r-ab12'] }, Regions: REGIONS },
      ],
      OperationPreferences: {
        FailureTolerancePercentage: 10,
        MaxConcurrentPercentage: 25,
        RegionConcurrencyType: 'PARALLEL',
      },
    });
  });

  it('passes failure tolerance, concurrency and the caller through', () => {
    const t = Template.fromStack(
      organizationApp({
        failureTolerancePercentage: 0,
        maxConcurrentPercentage: 100,
        regionConcurrency: RegionConcurrency.SEQUENTIAL,
        callAs: CallAs.DELEGATED_ADMIN,
        retainStacksOnAccountRemoval: true,
      }).parent,
    );
    t.hasResourceProperties('AWS::CloudFormation::StackSet', {
      CallAs: 'DELEGATED_ADMIN',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
      OperationPreferences: {
        FailureTolerancePercentage: 0,
        MaxConcurrentPercentage: 100,
        RegionConcurrencyType: 'SEQUENTIAL',
        RegionOrder: REGIONS,
      },
    });
  });

  it('points TemplateURL at the member template, stored with the administrator stack’s assets', () => {
    const stackSet = Object.values(template.findResources('AWS::CloudFormation::StackSet'))[0];
    const url = JSON.stringify(stackSet.Properties.TemplateURL);
    const manifest = JSON.parse(
      fs.readFileSync(path.join(assembly.directory, 'Rollout.assets.json'), 'utf8'),
    );
    const entry = Object.entries(manifest.files as Record<string, cxschema.FileAsset>).find(
      ([, f]) => f.source.path === rollout.memberStack.templateFile,
    );
    expect(entry).toBeDefined();
    expect(url).toContain(`${entry?.[0]}.json`);
  });

  it('makes every function read its code from the asset bucket of its own Region, never a bootstrap bucket', () => {
    const functions = Object.values(
      memberTemplate.Resources as Record<string, { Type: string; Properties: { Code: unknown } }>,
    ).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const f of functions) {
      expect(f.Properties.Code).toMatchObject({
        S3Bucket: { 'Fn::Join': ['-', [PREFIX, { Ref: 'AWS::Region' }]] },
      });
    }
    expect(JSON.stringify(memberTemplate)).not.toMatch(/cdk-[a-z0-9]+-assets|BootstrapVersion/);
  });

  it('publishes every bundle to the asset bucket of every Region, with the bootstrap publishing role', () => {
    const memberManifest = assembly
      .getStackArtifact(parent.artifactId)
      .dependencies.find((d) => d.id === rollout.memberStack.artifactId);
    expect(memberManifest?.manifest.type).toBe('cdk:asset-manifest');
    const manifest = JSON.parse(
      fs.readFileSync(path.join(assembly.directory, `${rollout.memberStack.artifactId}.assets.json`), 'utf8'),
    ) as cxschema.AssetManifest;
    const files = Object.values(manifest.files ?? {});
    const codeKeys = Object.values(
      memberTemplate.Resources as Record<string, { Type: string; Properties: { Code: { S3Key: string } } }>,
    )
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => r.Properties.Code.S3Key);
    expect(new Set(files.flatMap((f) => Object.values(f.destinations).map((d) => d.objectKey)))).toEqual(
      new Set(codeKeys),
    );
    for (const file of files) {
      expect(Object.values(file.destinations).map((d) => [d.bucketName, d.region])).toEqual(
        REGIONS.map((r) => [`${PREFIX}-${r}`, r]),
      );
      for (const d of Object.values(file.destinations)) {
        expect(d.assumeRoleArn).toBe(
          // biome-ignore lint/suspicious/noTemplateCurlyInString: cdk-assets placeholders
          'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-file-publishing-role-${AWS::AccountId}-us-east-1',
        );
      }
    }
  });

  it('deploys the StackSet only after the asset bucket stacks (publishing waits for them too)', () => {
    const deps = assembly.getStackArtifact(parent.artifactId).dependencies.map((d) => d.id);
    expect(deps).toEqual(expect.arrayContaining(assetStacks.map((s) => s.artifactId)));
  });

  it('lets principals of the organization read the bundles, and nobody else', () => {
    const t = Template.fromStack(assetStacks[1]);
    const bucketId = Object.keys(t.findResources('AWS::S3::Bucket'))[0];
    const bucketArn = `arn:aws:s3:::${PREFIX}-eu-west-1`;
    t.hasResourceProperties('AWS::S3::Bucket', { BucketName: `${PREFIX}-eu-west-1` });
    const policy = Object.values(t.findResources('AWS::S3::BucketPolicy'))[0];
    const statements = resolveStatements(policy.Properties.PolicyDocument.Statement, {
      bucketArns: { [bucketId]: bucketArn },
      account: ADMIN,
    });
    const read = (account: string, orgId?: string, action = 's3:GetObject') =>
      evaluate(
        statements,
        {
          action,
          resource: `${bucketArn}/abc.zip`,
          principalAccount: account,
          context: { 'aws:SecureTransport': 'true', ...(orgId ? { 'aws:PrincipalOrgID': orgId } : {}) },
        },
        ADMIN,
      );
    expect(read('111122223333', ORG)).toBe('Allow');
    expect(read('777777777777')).toBe('ImplicitDeny');
    expect(read('777777777777', 'o-zzzzzzzzzz')).toBe('ImplicitDeny');
    expect(read('111122223333', ORG, 's3:PutObject')).toBe('ImplicitDeny');
    expect(read('111122223333', ORG, 's3:ListBucket')).toBe('ImplicitDeny');
  });

  it('passes cdk-nag: the administrator stacks and the member template', () => {
    expect(awsSolutionsFindings(parent)).toEqual([]);
    for (const s of assetStacks) expect(awsSolutionsFindings(s)).toEqual([]);
    expect(awsSolutionsFindings(rollout.memberStack)).toEqual([]);
  });

  it.each([
    [
      { organizationId: 'o-1' },
      /organizationId must be an organization id such as o-a1b2c3d4e5 \(got 'o-1'\)/,
    ],
    [{ targetOrganizationalUnitIds: [] }, /targetOrganizationalUnitIds is empty/],
    [{ targetOrganizationalUnitIds: ['123456789012'] }, /organizational unit ids .* \(got '123456789012'\)/],
    [
      { failureTolerancePercentage: 101 },
      /failureTolerancePercentage must be a whole number from 0 to 100 \(got 101\)/,
    ],
    [
      { maxConcurrentPercentage: 0 },
      /maxConcurrentPercentage must be a whole number from 1 to 100 \(got 0\)/,
    ],
    [{ assetBucketNamePrefix: 'x'.repeat(49) }, /assetBucketNamePrefix .* is 49 characters.*Use at most 48/],
    [{ regions: ['us-east-1', 'mars-1'] }, /^OrganizationRollout Rollout\/Rollout: regions names .*'mars-1'/],
    [
      { regions: ['us-east-1', 'us-east-1'] },
      /regions lists 'us-east-1' more than once: list each Region once/,
    ],
  ])('rejects %j, naming the prop and the fix', (props, message) => {
    expect(() => organizationApp(props as Partial<OrganizationRolloutProps>)).toThrow(message);
  });

  it('needs an asset bucket stack with a concrete Region', () => {
    const s = new Stack(new App(), 'Agnostic');
    expect(() => new OrganizationAssetBucket(s, 'Assets', { organizationId: ORG })).toThrow(
      /concrete Region/,
    );
  });
});

describe('OrganizationRollout, warnings of the member stack', () => {
  // The member stack is no stack artifact, so the CDK CLI prints only the warnings of the rollout's stack.
  const withExistingBucket = () =>
    organizationApp({
      memberStack: {
        centralLake: { bucketName: 'central', region: 'eu-west-1', account: '999988887777' },
        logBucket: { existingBucketName: `logs-${Aws.ACCOUNT_ID}-${Aws.REGION}` },
      },
    });
  const warnings = (parent: Stack) =>
    Annotations.fromStack(parent)
      .findWarning('*', Match.anyValue())
      .map((w) => String(w.entry.data));

  it('repeats them on the rollout’s stack, with the account and Region as placeholders', () => {
    const [warning, ...others] = warnings(withExistingBucket().parent);
    expect(others).toEqual([]);
    expect(warning).toMatch(
      /^member stack, Rollout\/Rollout\/MemberStack\/LogBucket: Log bucket 'logs-<account id>-<region>' is not managed/,
    );
    expect(warning).toContain('"Resource":"arn:aws:s3:::logs-<account id>-<region>/*"');
    expect(warning).toContain(`[ack: ${EXISTING_BUCKET_WARNING}]`);
  });

  it('does not repeat a warning acknowledged on the member stack', () => {
    const { parent, rollout } = withExistingBucket();
    CoreAnnotations.of(rollout.memberStack).acknowledgeWarning(
      EXISTING_BUCKET_WARNING,
      'granted by the org baseline',
    );
    expect(warnings(parent)).toEqual([]);
  });
});
