import { Duration, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CentralLake } from '../../lib/central-lake';
import { COMPACTED_COLUMNS } from '../../lib/log-compaction/sql';
import { testApp } from '../util/app';
import { awsSolutionsFindings } from '../util/nag';
import {
  type Decision,
  evaluate,
  type Request,
  resolveStatements,
  type Statement,
} from '../util/policy-evaluator';

const ORG = 'o-a1b2c3d4e5';
const CENTRAL = '999988887777';
const MEMBER_A = '111122223333';
const MEMBER_B = '444455556666';
const OUTSIDER = '777777777777';
const BUCKET = `s3-access-logs-central-${CENTRAL}-eu-west-1`;
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;

function centralStack(props: Partial<ConstructorParameters<typeof CentralLake>[2]> = {}) {
  const stack = new Stack(testApp(), 'Central', { env: { account: CENTRAL, region: 'eu-west-1' } });
  const lake = new CentralLake(stack, 'CentralLake', { organizationId: ORG, ...props });
  return { stack, lake, template: Template.fromStack(stack) };
}

/** The central bucket's policy, as AWS would read it. */
function bucketPolicy(template: Template): Statement[] {
  const policies = template.findResources('AWS::S3::BucketPolicy');
  const buckets = template.findResources('AWS::S3::Bucket');
  const central = Object.keys(buckets).find((id) => buckets[id].Properties.BucketName === BUCKET) as string;
  const policy = Object.values(policies).find((p) => p.Properties.Bucket.Ref === central);
  return resolveStatements(policy?.Properties.PolicyDocument.Statement, {
    bucketArns: { [central]: BUCKET_ARN },
    account: CENTRAL,
  });
}

/** The ARN of a member's delivery role as CloudFormation names it in a StackSet instance. */
const deliveryRole = (account: string) =>
  `arn:aws:iam::${account}:role/s3-access-logs/central-delivery/StackSet-s3al-0a1b-CentralDeliveryHandlerRole-X1Y2`;

/**
 * A request from `account`'s delivery role, over TLS, from inside the organization unless said otherwise.
 */
function request(
  account: string,
  action: string,
  key: string | undefined,
  extra: Record<string, string> = {},
  inOrganization = account !== OUTSIDER,
): Request {
  return {
    action,
    resource: key === undefined ? BUCKET_ARN : `${BUCKET_ARN}/${key}`,
    principalAccount: account,
    context: {
      'aws:SecureTransport': 'true',
      's3:TlsVersion': '1.3',
      ...(inOrganization ? { 'aws:PrincipalOrgID': ORG } : {}),
      'aws:PrincipalArn': deliveryRole(account),
      ...extra,
    },
  };
}

describe('CentralLake', () => {
  const { stack, template } = centralStack();
  const statements = bucketPolicy(template);
  const decide = (r: Request): Decision => evaluate(statements, r, CENTRAL);

  describe('the central bucket policy, evaluated', () => {
    const ownKey = `daily/2026/11/29/${MEMBER_A}/us-east-1/part-0.parquet`;

    it('lets a member account write its own day under its own account', () => {
      expect(decide(request(MEMBER_A, 's3:PutObject', ownKey))).toBe('Allow');
      expect(decide(request(MEMBER_A, 's3:DeleteObject', ownKey))).toBe('Allow');
    });

    it.each([
      ['an administrator role', `arn:aws:iam::${MEMBER_A}:role/Admin`],
      ['a user', `arn:aws:iam::${MEMBER_A}:user/s3-access-logs/central-delivery/alice`],
      ['a role named like the path', `arn:aws:iam::${MEMBER_A}:role/s3-access-logs-central-delivery-x`],
      ['a role under a deeper path', `arn:aws:iam::${MEMBER_A}:role/other/s3-access-logs/central-delivery/x`],
    ])('refuses a write under the member’s own prefix from %s, not its delivery role', (_name, arn) => {
      const r = request(MEMBER_A, 's3:PutObject', ownKey, { 'aws:PrincipalArn': arn });
      expect(decide(r)).toBe('ExplicitDeny');
      const remove = request(MEMBER_A, 's3:DeleteObject', ownKey, { 'aws:PrincipalArn': arn });
      expect(decide(remove)).toBe('ExplicitDeny');
    });

    it('refuses a member writing under another account’s prefix', () => {
      const other = `daily/2026/11/29/${MEMBER_B}/us-east-1/part-0.parquet`;
      expect(decide(request(MEMBER_A, 's3:PutObject', other))).toBe('ExplicitDeny');
      expect(decide(request(MEMBER_A, 's3:DeleteObject', other))).toBe('ExplicitDeny');
    });

    it('refuses a member hiding its own account id deeper in another account’s folder', () => {
      // `*` in a Resource would match this key; the fixed-length day pattern does not.
      const forged = `daily/2026/11/29/${MEMBER_B}/x/${MEMBER_A}/part-0.parquet`;
      expect(decide(request(MEMBER_A, 's3:PutObject', forged))).toBe('ExplicitDeny');
      const shifted = `daily/2026/11/2/${MEMBER_A}/us-east-1/part-0.parquet`;
      expect(decide(request(MEMBER_A, 's3:PutObject', shifted))).toBe('ExplicitDeny');
    });

    it('refuses writes from an account outside the organization, even under its own id', () => {
      const key = `daily/2026/11/29/${OUTSIDER}/us-east-1/part-0.parquet`;
      expect(decide(request(OUTSIDER, 's3:PutObject', key))).toBe('ExplicitDeny');
    });

    it('refuses a principal of another organization', () => {
      const r = request(MEMBER_A, 's3:PutObject', ownKey, { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' });
      expect(decide(r)).toBe('ExplicitDeny');
    });

    it('gives members no read, of others’ data or of their own', () => {
      const other = `daily/2026/11/29/${MEMBER_B}/us-east-1/part-0.parquet`;
      expect(decide(request(MEMBER_A, 's3:GetObject', other))).toBe('ImplicitDeny');
      expect(decide(request(MEMBER_A, 's3:GetObject', ownKey))).toBe('ImplicitDeny');
      expect(decide(request(MEMBER_A, 's3:ListBucket', undefined, { 's3:prefix': 'daily/' }))).toBe(
        'ImplicitDeny',
      );
    });

    it('lets a member list only its own prefix', () => {
      const own = { 's3:prefix': `daily/2026/11/29/${MEMBER_A}/us-east-1/` };
      const other = { 's3:prefix': `daily/2026/11/29/${MEMBER_B}/` };
      expect(decide(request(MEMBER_A, 's3:ListBucket', undefined, own))).toBe('Allow');
      expect(decide(request(MEMBER_A, 's3:ListBucket', undefined, other))).toBe('ImplicitDeny');
    });

    it('refuses any request without TLS', () => {
      const r = request(MEMBER_A, 's3:PutObject', ownKey, { 'aws:SecureTransport': 'false' });
      expect(decide(r)).toBe('ExplicitDeny');
      expect(decide(request(CENTRAL, 's3:GetObject', ownKey, { 'aws:SecureTransport': 'false' }))).toBe(
        'ExplicitDeny',
      );
    });

    it('refuses objects encrypted with anything but the bucket’s SSE-S3 key', () => {
      const kms = { 's3:x-amz-server-side-encryption': 'aws:kms' };
      const dsse = { 's3:x-amz-server-side-encryption': 'aws:kms:dsse' };
      const sse = { 's3:x-amz-server-side-encryption': 'AES256' };
      expect(decide(request(MEMBER_A, 's3:PutObject', ownKey, kms))).toBe('ExplicitDeny');
      expect(decide(request(MEMBER_A, 's3:PutObject', ownKey, dsse))).toBe('ExplicitDeny');
      expect(decide(request(MEMBER_A, 's3:PutObject', ownKey, sse))).toBe('Allow');
    });

    it('refuses TLS older than 1.2', () => {
      expect(decide(request(MEMBER_A, 's3:PutObject', ownKey, { 's3:TlsVersion': '1.1' }))).toBe(
        'ExplicitDeny',
      );
    });

    it('leaves the central account’s principals to their IAM policies', () => {
      expect(decide(request(CENTRAL, 's3:GetObject', ownKey))).toBe('Allow');
      expect(evaluate(statements, request(CENTRAL, 's3:GetObject', ownKey), CENTRAL, false)).toBe(
        'ImplicitDeny',
      );
    });
  });

  it('owns every object (ACLs disabled), encrypts with SSE-S3, keeps versions and blocks public access', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: BUCKET,
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('projects one partition per day over every account and Region, with no enum of accounts', () => {
    const table = Object.values(template.findResources('AWS::Glue::Table'))[0].Properties.TableInput;
    expect(table.PartitionKeys.map((k: { Name: string }) => k.Name)).toEqual(['day']);
    expect(table.Parameters).toMatchObject({
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy/MM/dd',
      'projection.day.range': 'NOW-400DAYS,NOW',
      'storage.location.template': `s3://${BUCKET}/daily/\${day}/`,
    });
    expect(
      Object.keys(table.Parameters).filter((k) => k.includes('account') || k.includes('region')),
    ).toEqual([]);
    expect(table.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual(
      COMPACTED_COLUMNS.map((c) => c.name),
    );
  });

  it('projects as far back as it keeps days', () => {
    const { template: t } = centralStack({ retention: Duration.days(30) });
    t.hasResourceProperties('AWS::Glue::Table', {
      TableInput: { Parameters: { 'projection.day.range': 'NOW-30DAYS,NOW' } },
    });
  });

  it('saves the fleet-wide queries in its workgroup', () => {
    const names = Object.values(template.findResources('AWS::Athena::NamedQuery')).map(
      (q) => q.Properties.Name,
    );
    expect(names.sort()).toEqual(['org-sigv2-by-account', 'org-sigv2-digest', 'org-sigv2-requesters']);
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 's3-access-logs-org',
      WorkGroupConfiguration: { EnforceWorkGroupConfiguration: true },
    });
  });

  it('grants readers read-only access to the central bucket', () => {
    const s = new Stack(testApp(), 'Readers', { env: { account: CENTRAL, region: 'eu-west-1' } });
    const lake = new CentralLake(s, 'CentralLake', { organizationId: ORG });
    const role = new iam.Role(s, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    lake.grantQuery(role);
    const policies = Template.fromStack(s).findResources('AWS::IAM::Policy');
    const centralBucketActions = Object.values(policies)
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st: { Resource: unknown }) => JSON.stringify(st.Resource).includes('CentralLakeBucket'))
      .flatMap((st: { Action: string | string[] }) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
    expect(centralBucketActions.sort()).toEqual(['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket']);
  });

  it('rejects a malformed organization id, naming it', () => {
    const s = new Stack(testApp(), 'Bad', { env: { account: CENTRAL, region: 'eu-west-1' } });
    expect(() => new CentralLake(s, 'CentralLake', { organizationId: 'org-1' })).toThrow(
      /organizationId must be an organization id such as o-a1b2c3d4e5 \(got 'org-1'\)/,
    );
  });

  it('refuses, all at once, the names and the scan cap AccessLogTable refuses, with the same rules', () => {
    // A fresh stack each time: a construct that throws is already in its scope's tree.
    const build = () =>
      new CentralLake(
        new Stack(testApp(), 'Bad', { env: { account: CENTRAL, region: 'eu-west-1' } }),
        'CentralLake',
        {
          organizationId: ORG,
          bytesScannedCutoffPerQuery: Size.bytes(1),
          databaseName: 'Bad-DB',
          tableName: 'X Y',
          workGroupName: '',
        },
      );
    expect(build).toThrow(/^CentralLake Bad\/CentralLake: /);
    expect(build).toThrow(/databaseName 'Bad-DB' must be 1 to 255 lower-case letters, digits or underscores/);
    expect(build).toThrow(/tableName 'X Y' must be 1 to 255 lower-case letters, digits or underscores/);
    expect(build).toThrow(/workGroupName '' must be 1 to 128 letters/);
    expect(build).toThrow(/bytesScannedCutoffPerQuery must be at least 10 MB .*\(got 1 bytes\)/);
  });

  it('passes cdk-nag', () => {
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });
});
