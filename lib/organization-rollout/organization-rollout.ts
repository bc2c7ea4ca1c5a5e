import { Annotations, Aspects, type IAspect, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { Construct, type IConstruct } from 'constructs';
import { AccessLogsStack, type AccessLogsStackProps } from '../access-logs-stack';
import { throwIfProblems } from '../construct-errors';
import { regionsProblem } from '../prop-rules';
import {
  assetBucketPrefixProblem,
  defaultAssetBucketPrefix,
  deploymentTargetsProblem,
  organizationIdProblem,
} from './organization-ids';
import { StackSetTemplateSynthesizer } from './stack-set-synthesizer';

/** Whether the StackSet is managed from the management account or a delegated administrator. */
export enum CallAs {
  /** From the organization's management account. */
  SELF = 'SELF',
  /** From an account registered as delegated administrator for CloudFormation StackSets. */
  DELEGATED_ADMIN = 'DELEGATED_ADMIN',
}

/** How the StackSet works through Regions. */
export enum RegionConcurrency {
  /** All Regions at once (each still limited by the account concurrency). */
  PARALLEL = 'PARALLEL',
  /** One Region after another, in the order of `regions`. */
  SEQUENTIAL = 'SEQUENTIAL',
}

/** The member stack's settings: an {@link AccessLogsStackProps} without what the StackSet decides. */
export type MemberStackProps = Omit<
  AccessLogsStackProps,
  'env' | 'synthesizer' | 'stackName' | 'crossRegionReferences'
>;

/** Properties of an {@link OrganizationRollout}. */
export interface OrganizationRolloutProps {
  /** The organization (`o-...`): only its principals can read the asset buckets. */
  readonly organizationId: string;

  /**
   * Organizational units (`ou-...`) or the root (`r-...`) to deploy to. Every account in them, and every account
   * that joins them later, gets the member stack in every Region of `regions`. StackSets never deploy into the
   * management account itself.
   */
  readonly targetOrganizationalUnitIds: readonly string[];

  /** Regions to deploy to; each needs an {@link OrganizationAssetBucket} with the same prefix. */
  readonly regions: readonly string[];

  /**
   * Settings of the member stack (one {@link AccessLogsStack} per account and Region).
   * @default - AccessLogsStack's defaults
   */
  readonly memberStack?: MemberStackProps;

  /**
   * Prefix of the asset buckets (`<prefix>-<region>`), the same as the {@link OrganizationAssetBucket}s'.
   * @default `s3al-assets-<organizationId>`
   */
  readonly assetBucketNamePrefix?: string;

  /**
   * The StackSet's name.
   * @default 's3-access-logs'
   */
  readonly stackSetName?: string;

  /**
   * Whether this stack deploys from the management account or a delegated administrator.
   * @default CallAs.SELF
   */
  readonly callAs?: CallAs;

  /**
   * Percentage of accounts, per Region, whose stack instance may fail before the StackSet stops the operation
   * in that Region (0 to 100).
   * @default 10
   */
  readonly failureTolerancePercentage?: number;

  /**
   * Percentage of accounts deployed at the same time, per Region (1 to 100). Higher is faster; at most
   * `failureTolerancePercentage` + 1 account's worth fail beyond the tolerance before the StackSet stops.
   * @default 25
   */
  readonly maxConcurrentPercentage?: number;

  /**
   * Whether Regions are deployed in parallel or one after another.
   * @default RegionConcurrency.PARALLEL
   */
  readonly regionConcurrency?: RegionConcurrency;

  /**
   * Keep an account's stack instances when it leaves the target OUs (otherwise they are deleted, which gives its
   * buckets back their previous logging; the log bucket and its logs are retained either way).
   * @default false
   */
  readonly retainStacksOnAccountRemoval?: boolean;
}

/**
 * Deploys the per-Region {@link AccessLogsStack} into every account of chosen organizational units, in every
 * chosen Region, with a service-managed CloudFormation StackSet: auto-deployment on, so accounts that join the
 * OUs later get it too. Add it to a stack in the management account or a delegated-administrator account, next
 * to one {@link OrganizationAssetBucket} stack per Region in the same account, and make this stack depend on
 * those (`addDependency`), so their buckets exist when the bundles are published.
 */
export class OrganizationRollout extends Construct {
  /** The StackSet. */
  public readonly stackSet: cloudformation.CfnStackSet;
  /** The member stack, synthesized as the StackSet's template (never deployed by itself). */
  public readonly memberStack: AccessLogsStack;

  constructor(scope: Construct, id: string, props: OrganizationRolloutProps) {
    super(scope, id);
    const prefix = props.assetBucketNamePrefix ?? defaultAssetBucketPrefix(props.organizationId);
    throwIfProblems(this, 'OrganizationRollout', rolloutProblems(props, prefix));
    const parent = Stack.of(this);
    const synthesizer = new StackSetTemplateSynthesizer({
      assetBucketNamePrefix: prefix,
      regions: props.regions,
      parent,
    });
    this.memberStack = new AccessLogsStack(this, 'MemberStack', {
      ...props.memberStack,
      synthesizer,
      description:
        props.memberStack?.description ??
        'S3 server access logs for every bucket of the Region (s3-access-logs, organization rollout)',
    });
    // The parent depends on the member stack's asset manifest: `cdk deploy` publishes the bundles first.
    parent.addStackDependency(this.memberStack, 'publishes the Lambda bundles into the asset buckets');
    this.stackSet = this.createStackSet(props, synthesizer);
    Aspects.of(this.memberStack).add(new ForwardWarnings(this));
  }

  private createStackSet(
    props: OrganizationRolloutProps,
    synthesizer: StackSetTemplateSynthesizer,
  ): cloudformation.CfnStackSet {
    return new cloudformation.CfnStackSet(this, 'Resource', {
      stackSetName: props.stackSetName ?? 's3-access-logs',
      description:
        'S3 server access logging and the SigV2 view, in every account and Region (s3-access-logs)',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: {
        enabled: true,
        retainStacksOnAccountRemoval: props.retainStacksOnAccountRemoval ?? false,
      },
      callAs: props.callAs ?? CallAs.SELF,
      capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        failureTolerancePercentage: props.failureTolerancePercentage ?? 10,
        maxConcurrentPercentage: props.maxConcurrentPercentage ?? 25,
        regionConcurrencyType: props.regionConcurrency ?? RegionConcurrency.PARALLEL,
        regionOrder: [...props.regions],
      },
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: [...props.targetOrganizationalUnitIds] },
          regions: [...props.regions],
        },
      ],
      // Known once the member stack is synthesized, which the app does before its parent; references are
      // resolved earlier too, hence uncached.
      templateUrl: Lazy.uncachedString({ produce: () => synthesizer.templateUrl }),
    });
  }
}

/**
 * Repeats the member stack's synth warnings on the rollout. The member stack is no stack artifact (only its
 * template is), so the CDK CLI never prints its warnings; one such warning says what an existing log bucket needs.
 * Runs at prepare time, after the app's acknowledgements: an acknowledged warning is not repeated, and a repeated
 * one keeps its id, so it can be acknowledged on the rollout's stack too.
 */
class ForwardWarnings implements IAspect {
  constructor(private readonly rollout: OrganizationRollout) {}

  public visit(node: IConstruct): void {
    for (const entry of node.node.metadata) {
      if (entry.type !== cxschema.ArtifactMetadataEntryType.WARN) continue;
      const text = String(entry.data);
      const ack = / \[ack: ([^\]]+)\]$/.exec(text);
      const message = `member stack, ${node.node.path}: ${ack ? text.slice(0, ack.index) : text}`;
      Annotations.of(this.rollout).addWarningV2(
        ack?.[1] ?? 'organization-rollout:memberStackWarning',
        message,
      );
    }
  }
}

function rolloutProblems(props: OrganizationRolloutProps, prefix: string): Array<string | undefined> {
  const percentage = (name: string, value: number | undefined, min: number): string | undefined =>
    value === undefined ||
    Token.isUnresolved(value) ||
    (Number.isInteger(value) && value >= min && value <= 100)
      ? undefined
      : `${name} must be a whole number from ${min} to 100 (got ${value}).`;
  return [
    organizationIdProblem('organizationId', props.organizationId),
    deploymentTargetsProblem('targetOrganizationalUnitIds', props.targetOrganizationalUnitIds),
    props.regions.length === 0
      ? 'regions is empty: list the Regions to deploy to, e.g. us-east-1.'
      : regionsProblem('regions', props.regions),
    assetBucketPrefixProblem('assetBucketNamePrefix', prefix),
    percentage('failureTolerancePercentage', props.failureTolerancePercentage, 0),
    percentage('maxConcurrentPercentage', props.maxConcurrentPercentage, 1),
  ];
}
