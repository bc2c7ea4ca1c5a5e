import { CopyObjectCommand, DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CentralDelivery,
  type CentralLakeTarget,
  centralBucketPolicyStatements,
} from '../../lib/central-lake';
import type { DeliveryConfig } from '../../lib/central-lake/delivery-types';
import { type DeliveryStores, daysOf, deliver, planDay } from '../../lib/central-lake/handler/deliver';
import { testApp } from '../util/app';
import { awsSolutionsFindings } from '../util/nag';
import { evaluate, resolveStatements } from '../util/policy-evaluator';

const ACCOUNT = '111122223333';
const CENTRAL = '999988887777';
const DAILY = '_s3-access-logs/daily/';

describe('daysOf', () => {
  it.each([
    [
      '{"day":"2026/11/29","days":["2026/11/27","2026/11/28","2026/11/29"]}',
      ['2026/11/27', '2026/11/28', '2026/11/29'],
    ],
    ['{"day":"2026/11/29"}', ['2026/11/29']],
    ['{"days":["2026/11/29","2026/11/28","2026/11/29"]}', ['2026/11/28', '2026/11/29']],
    ['{"run":"x"}', []],
    [null, []],
  ])('reads the days of %s', (output, days) => {
    expect(daysOf(output)).toEqual(days);
  });

  it('refuses a day that is not yyyy/MM/dd, which would land outside the account’s prefix pattern', () => {
    expect(() => daysOf('{"days":["2026-11-29"]}')).toThrow(/not yyyy\/MM\/dd: \["2026-11-29"\]/);
    expect(() => daysOf('not json')).toThrow(/not JSON/);
  });
});

describe('planDay', () => {
  const base = {
    day: '2026/11/29',
    account: ACCOUNT,
    region: 'us-east-1',
    sourcePrefix: `${DAILY}2026/11/29/`,
  };
  const target = `daily/2026/11/29/${ACCOUNT}/us-east-1/`;

  it('copies each Parquet file of the day under the account and Region, and nothing else', () => {
    const plan = planDay({
      ...base,
      sourceKeys: [
        `${DAILY}2026/11/29/run1-0-a.parquet`,
        `${DAILY}2026/11/29/run1-1-b.parquet`,
        `${DAILY}2026/11/29/_SUCCESS`,
      ],
      centralKeys: [],
    });
    expect(plan.copies).toEqual([
      { source: `${DAILY}2026/11/29/run1-0-a.parquet`, target: `${target}run1-0-a.parquet` },
      { source: `${DAILY}2026/11/29/run1-1-b.parquet`, target: `${target}run1-1-b.parquet` },
    ]);
    expect(plan.deletes).toEqual([]);
  });

  it('deletes what an earlier delivery of the day left and the new one does not have', () => {
    const plan = planDay({
      ...base,
      sourceKeys: [`${DAILY}2026/11/29/run2-0-a.parquet`],
      centralKeys: [`${target}run1-0-a.parquet`, `${target}run2-0-a.parquet`],
    });
    expect(plan.deletes).toEqual([`${target}run1-0-a.parquet`]);
  });

  it('never deletes outside the account’s and Region’s folder of the day', () => {
    const plan = planDay({
      ...base,
      sourceKeys: [],
      centralKeys: [
        `daily/2026/11/29/${ACCOUNT}/eu-west-1/x.parquet`,
        `daily/2026/11/29/444455556666/us-east-1/x.parquet`,
      ],
    });
    expect(plan.deletes).toEqual([]);
  });
});

describe('deliver', () => {
  it('copies before it deletes, day by day', async () => {
    const calls: string[] = [];
    const stores: DeliveryStores = {
      listSource: async (p) => [`${p}run2-0-a.parquet`],
      listCentral: async (p) => [`${p}run1-0-a.parquet`],
      copy: async (_s, t) => void calls.push(`copy ${t}`),
      deleteCentral: async (k) => void calls.push(`delete ${k}`),
    };
    const result = await deliver(
      ['2026/11/28', '2026/11/29'],
      { account: ACCOUNT, region: 'us-east-1', dailyPrefix: DAILY },
      stores,
    );
    expect(result).toEqual({ days: ['2026/11/28', '2026/11/29'], copied: 2, deleted: 2 });
    expect(calls).toEqual([
      `copy daily/2026/11/28/${ACCOUNT}/us-east-1/run2-0-a.parquet`,
      `delete daily/2026/11/28/${ACCOUNT}/us-east-1/run1-0-a.parquet`,
      `copy daily/2026/11/29/${ACCOUNT}/us-east-1/run2-0-a.parquet`,
      `delete daily/2026/11/29/${ACCOUNT}/us-east-1/run1-0-a.parquet`,
    ]);
  });
});

describe('the handler’s S3 calls', () => {
  const config: DeliveryConfig = {
    logBucketName: 'member-logs',
    dailyPrefix: DAILY,
    centralBucketName: 'central',
    centralRegion: 'eu-west-1',
    centralAccount: CENTRAL,
  };
  process.env.CENTRAL_DELIVERY_CONFIG = JSON.stringify(config);
  // biome-ignore lint/suspicious/noExplicitAny: the module is loaded after its environment is set
  const { s3Stores, handler } = require('../../lib/central-lake/handler') as any;
  const local = mockClient(S3Client);

  beforeEach(() => local.reset());

  it('states the owners of both buckets, so a bucket of the same name in another account is refused', async () => {
    const client = new S3Client({});
    const stores: DeliveryStores = s3Stores(config, ACCOUNT, { local: client, central: client });
    local.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'k' }] });
    await stores.listCentral('daily/');
    await stores.listSource(DAILY);
    await stores.copy(`${DAILY}2026/11/29/a b.parquet`, 'daily/x');
    await stores.deleteCentral('daily/x');
    expect(local.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.ExpectedBucketOwner)).toEqual([
      CENTRAL,
      ACCOUNT,
    ]);
    expect(local.commandCalls(CopyObjectCommand)[0].args[0].input).toMatchObject({
      Bucket: 'central',
      CopySource: `member-logs/${DAILY}2026/11/29/a%20b.parquet`,
      ExpectedBucketOwner: CENTRAL,
      ExpectedSourceBucketOwner: ACCOUNT,
      ServerSideEncryption: 'AES256',
    });
    expect(local.commandCalls(DeleteObjectCommand)[0].args[0].input).toMatchObject({
      ExpectedBucketOwner: CENTRAL,
    });
  });

  it('does nothing for a run that did not succeed', async () => {
    const result = await handler({
      account: ACCOUNT,
      region: 'us-east-1',
      detail: { status: 'FAILED', output: null },
    });
    expect(result).toEqual({ days: [], copied: 0, deleted: 0 });
    expect(local.calls()).toHaveLength(0);
  });
});

describe('CentralDelivery', () => {
  const stack = new Stack(testApp(), 'Member', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const bucket = new s3.Bucket(stack, 'Logs', { enforceSSL: true, serverAccessLogsPrefix: 'x/' });
  const machine = new sfn.StateMachine(stack, 'Compaction', {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')),
  });
  const delivery = new CentralDelivery(stack, 'CentralDelivery', {
    target: { bucketName: 'central', region: 'eu-west-1', account: CENTRAL },
    stateMachine: machine,
    logBucket: bucket,
    dailyPrefix: DAILY,
  });
  const template = Template.fromStack(stack);

  it('runs after each successful run of the compaction’s state machine', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['SUCCEEDED'], stateMachineArn: [{ Ref: Match.stringLikeRegexp('Compaction') }] },
      },
    });
  });

  it('may write only under the central bucket’s daily prefix and read only the compacted days', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Action: unknown }) => JSON.stringify(s.Action).includes('s3:'));
    const text = JSON.stringify(statements);
    expect(text).toContain(':s3:::central/daily/*"');
    expect(text).not.toContain(':s3:::central/*"');
    expect(text).not.toContain('"s3:*"');
    expect(delivery.handler.runtime.name).toBe('nodejs24.x');
  });

  it('runs as a role under the path the central bucket admits, which lets it write its own day there', () => {
    const [role] = Object.values(template.findResources('AWS::IAM::Role')).filter((r) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'),
    );
    expect(role.Properties.Path).toBe('/s3-access-logs/central-delivery/');

    // The central bucket's policy, read as AWS would, for this role (its name is generated at deploy).
    const central = new Stack(testApp(), 'Central', { env: { account: CENTRAL, region: 'eu-west-1' } });
    const document = iam.PolicyDocument.fromJson({ Version: '2012-10-17', Statement: [] });
    document.addStatements(
      ...centralBucketPolicyStatements({
        bucketArn: 'arn:aws:s3:::central',
        organizationId: 'o-a1b2c3d4e5',
        centralAccount: CENTRAL,
      }),
    );
    const statements = resolveStatements(central.resolve(document).Statement, {
      bucketArns: {},
      account: CENTRAL,
    });
    const put = (principalArn: string) =>
      evaluate(
        statements,
        {
          action: 's3:PutObject',
          resource: `arn:aws:s3:::central/daily/2026/11/29/${ACCOUNT}/us-east-1/part-0.parquet`,
          principalAccount: ACCOUNT,
          context: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', 'aws:PrincipalArn': principalArn },
        },
        CENTRAL,
      );
    expect(
      put(`arn:aws:iam::${ACCOUNT}:role${role.Properties.Path}Member-CentralDeliveryHandlerRole-AB12`),
    ).toBe('Allow');
    expect(put(`arn:aws:iam::${ACCOUNT}:role/Member-CentralDeliveryHandlerRole-AB12`)).toBe('ExplicitDeny');
  });

  it('rejects a central account that is not an account id', () => {
    const s = new Stack(testApp(), 'Bad');
    expect(
      () =>
        new CentralDelivery(s, 'D', {
          target: { bucketName: 'c', region: 'eu-west-1', account: 'log-archive' },
          stateMachine: machine,
          logBucket: bucket,
          dailyPrefix: DAILY,
        }),
    ).toThrow(/target.account must be a 12-digit AWS account id \(got 'log-archive'\)/);
  });

  it.each<[{ target?: Partial<CentralLakeTarget>; dailyPrefix?: string }, RegExp]>([
    [
      { target: { bucketName: 'B!' } },
      /target\.bucketName 'B!' is not a valid S3 bucket name: it must be 3 to 63/,
    ],
    [{ target: { region: 'nowhere' } }, /target\.region 'nowhere' is not a Region code/],
    [{ dailyPrefix: '' }, /dailyPrefix '' must end with '\/'/],
  ])('refuses %j at synth, naming its path, the prop and the fix', (change, message) => {
    // A fresh stack each time: a construct that throws is already in its scope's tree.
    const build = () =>
      new CentralDelivery(new Stack(testApp(), 'Bad'), 'D', {
        stateMachine: machine,
        logBucket: bucket,
        dailyPrefix: DAILY,
        ...change,
        target: { bucketName: 'central', region: 'eu-west-1', account: CENTRAL, ...change.target },
      });
    expect(build).toThrow(/^CentralDelivery Bad\/D: /);
    expect(build).toThrow(message);
  });

  it('passes cdk-nag', () => {
    const findings = awsSolutionsFindings(delivery);
    expect(findings).toEqual([]);
  });
});
