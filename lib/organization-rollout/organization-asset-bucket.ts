import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { throwIfProblems } from '../construct-errors';
import {
  assetBucketName,
  assetBucketPrefixProblem,
  defaultAssetBucketPrefix,
  organizationIdProblem,
} from './organization-ids';
import { publishingRoleArn } from './stack-set-synthesizer';

/** What a member account's deployment needs to read a Lambda bundle. */
export const ASSET_READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'] as const;
/** What the CDK CLI needs to publish the bundles (cdk-assets checks for the object, then uploads it). */
export const ASSET_PUBLISH_ACTIONS = [
  's3:GetObject*',
  's3:PutObject',
  's3:ListBucket',
  's3:GetBucketLocation',
  's3:GetEncryptionConfiguration',
] as const;

/** Properties of an {@link OrganizationAssetBucket}. */
export interface OrganizationAssetBucketProps {
  /** The organization whose accounts may read the bundles (`aws:PrincipalOrgID`). */
  readonly organizationId: string;

  /**
   * Bucket name prefix; the bucket is named `<prefix>-<region>`. Must be the {@link OrganizationRollout}'s.
   * @default `s3al-assets-<organizationId>`
   */
  readonly bucketNamePrefix?: string;

  /**
   * The role that publishes the bundles (the CDK CLI assumes it, as it does for the bootstrap bucket).
   * @default - the CDK bootstrap file-publishing role of this account in `publishingRegion`
   */
  readonly publishingRoleArn?: string;

  /**
   * The Region of the stack that carries the {@link OrganizationRollout}: its bootstrap role publishes.
   * @default - this stack's Region
   */
  readonly publishingRegion?: string;
}

/**
 * The bucket, in the StackSet administrator account, that holds the Lambda bundles of the member stack for one
 * Region. Deploy one in every Region the rollout targets. Members read objects only: the policy lets principals
 * of the organization get objects, over TLS; nobody outside it, and nobody inside it may write or list.
 */
export class OrganizationAssetBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: OrganizationAssetBucketProps) {
    super(scope, id);
    const prefix = props.bucketNamePrefix ?? defaultAssetBucketPrefix(props.organizationId);
    this.validate(props, prefix);
    const stack = Stack.of(this);
    this.bucket = this.createBucket(prefix, stack);
    this.grantOrganizationRead(props.organizationId);
    this.grantPublisher(
      props.publishingRoleArn ??
        publishingRoleArn(stack.account, props.publishingRegion ?? stack.region, stack.partition),
    );
    this.acknowledgeFindings();
  }

  private validate(props: OrganizationAssetBucketProps, prefix: string): void {
    throwIfProblems(this, 'OrganizationAssetBucket', [
      organizationIdProblem('organizationId', props.organizationId),
      Token.isUnresolved(prefix) ? undefined : assetBucketPrefixProblem('bucketNamePrefix', prefix),
      Token.isUnresolved(Stack.of(this).region)
        ? 'OrganizationAssetBucket needs a stack with a concrete Region (env: { region }): its name ends with ' +
          'the Region that the stack set template spells with AWS::Region.'
        : undefined,
    ]);
  }

  private createBucket(prefix: string, stack: Stack): s3.Bucket {
    return new s3.Bucket(this, 'Bucket', {
      bucketName: assetBucketName(prefix, stack.region),
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      // Keys are content hashes, so an old bundle is only read by a stack instance still on an old template.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      // The member stacks' functions were created from these objects; deleting the rollout keeps them.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private grantOrganizationRead(organizationId: string): void {
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OrganizationReadsBundles',
        principals: [new iam.AnyPrincipal()],
        actions: [...ASSET_READ_ACTIONS],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
      }),
    );
  }

  private grantPublisher(roleArn: string): void {
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CdkPublishesBundles',
        principals: [new iam.ArnPrincipal(roleArn)],
        actions: [...ASSET_PUBLISH_ACTIONS],
        resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
      }),
    );
  }

  private acknowledgeFindings(): void {
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds only the content-addressed Lambda bundles that the CDK CLI publishes; CloudTrail records who ' +
        'wrote them, and server access logs of it would name only StackSet execution roles of the organization.',
    });
  }
}
