import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CENTRAL_DATA_PREFIX, DAY_PATTERN, DELIVERY_ROLE_PATH } from './layout';

/** What a member account's delivery does under its own prefix: replace its day's objects. */
export const MEMBER_WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'] as const;
/** Object writes that must stay inside the writer's own prefix, and encrypted with the bucket's key. */
export const OBJECT_WRITE_ACTIONS = [
  's3:PutObject',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:AbortMultipartUpload',
] as const;
/** What a central reader may do: read and list, nothing else. */
export const READ_ACTIONS = ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'] as const;

/** The policy variable IAM replaces with the caller's account id. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template string
export const PRINCIPAL_ACCOUNT_VARIABLE = '${aws:PrincipalAccount}';

/** What the central bucket's policy is built from. */
export interface CentralBucketPolicyInput {
  /** The bucket's ARN (a token in a template). */
  readonly bucketArn: string;
  /** The organization whose accounts deliver. */
  readonly organizationId: string;
  /** The account that owns the bucket (its principals are governed by their IAM policies). */
  readonly centralAccount: string;
}

/**
 * The central bucket's policy statements, besides the TLS-only deny that `enforceSSL` adds.
 *
 * - Members of the organization may write, delete and list only under `daily/<day>/<their account>/`: the
 *   account comes from `${aws:PrincipalAccount}`, never from the request.
 * - A deny repeats it for every principal outside the central account, so that no later allow (an access point,
 *   a broader statement) lets a member write beside its prefix, and no object is written with a key the
 *   central readers cannot decrypt (anything but the bucket's SSE-S3).
 * - Only the members' delivery roles (IAM path {@link DELIVERY_ROLE_PATH}) may write: another principal of a member
 *   account could otherwise put a malformed object under its account's prefix, and the org-wide query of that day
 *   would fail on it. A deny repeats this too.
 * - Nothing grants members reads: no member reads another's (or its own) delivered data here.
 */
export function centralBucketPolicyStatements(input: CentralBucketPolicyInput): iam.PolicyStatement[] {
  const ownPrefix = `${CENTRAL_DATA_PREFIX}${DAY_PATTERN}/${PRINCIPAL_ACCOUNT_VARIABLE}/`;
  const ownObjects = `${input.bucketArn}/${ownPrefix}*`;
  const org = { 'aws:PrincipalOrgID': input.organizationId };
  const notCentral = { 'aws:PrincipalAccount': input.centralAccount };
  const deliveryRole = { 'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::*:role${DELIVERY_ROLE_PATH}*` };
  return [
    new iam.PolicyStatement({
      sid: 'MembersWriteTheirOwnPrefix',
      principals: [new iam.AnyPrincipal()],
      actions: [...MEMBER_WRITE_ACTIONS],
      resources: [ownObjects],
      conditions: { StringEquals: org, ArnLike: deliveryRole },
    }),
    new iam.PolicyStatement({
      sid: 'MembersListTheirOwnPrefix',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:ListBucket'],
      resources: [input.bucketArn],
      conditions: { StringEquals: org, StringLike: { 's3:prefix': `${ownPrefix}*` } },
    }),
    new iam.PolicyStatement({
      sid: 'DenyWritesOutsideTheWritersPrefix',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [...OBJECT_WRITE_ACTIONS],
      notResources: [ownObjects],
      conditions: { StringNotEquals: notCentral },
    }),
    new iam.PolicyStatement({
      sid: 'DenyWritesFromOutsideTheOrganization',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [...OBJECT_WRITE_ACTIONS],
      resources: [`${input.bucketArn}/*`],
      conditions: { StringNotEquals: { ...org, ...notCentral } },
    }),
    new iam.PolicyStatement({
      sid: 'DenyWritesFromOtherThanTheDeliveryRoles',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [...OBJECT_WRITE_ACTIONS],
      resources: [`${input.bucketArn}/*`],
      conditions: { StringNotEquals: notCentral, ArnNotLike: deliveryRole },
    }),
    new iam.PolicyStatement({
      sid: 'DenyObjectsNotEncryptedWithTheBucketKey',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [`${input.bucketArn}/*`],
      // StringEquals on the KMS values, not StringNotEquals on AES256: a request without the header (the bucket's
      // default, SSE-S3) must pass, and a negated operator is true when the header is absent.
      conditions: { StringEquals: { 's3:x-amz-server-side-encryption': ['aws:kms', 'aws:kms:dsse'] } },
    }),
  ];
}
