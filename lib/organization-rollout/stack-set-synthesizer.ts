import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  Aws,
  DefaultStackSynthesizer,
  type DockerImageAssetLocation,
  type FileAssetLocation,
  FileAssetPackaging,
  type FileAssetSource,
  Fn,
  type ISynthesisSession,
  type Stack,
  StackSynthesizer,
} from 'aws-cdk-lib';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { assetBucketName } from './organization-ids';

/**
 * The CDK bootstrap file-publishing role of `account` in `region` (default qualifier): the CDK CLI already assumes
 * it to publish a stack's assets, so granting it the asset buckets lets `cdk deploy` (and CDK Pipelines) publish
 * the bundles without another role. Arguments may be tokens (in a template) or placeholders (in a manifest).
 */
export function publishingRoleArn(account: string, region: string, partition: string): string {
  const qualifier = DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  return `arn:${partition}:iam::${account}:role/cdk-${qualifier}-file-publishing-role-${account}-${region}`;
}

/** What cdk-assets replaces with the publishing account and partition in a manifest destination. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a cdk-assets placeholder, not a template string
const ACCOUNT_PLACEHOLDER = '${AWS::AccountId}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: a cdk-assets placeholder, not a template string
const PARTITION_PLACEHOLDER = '${AWS::Partition}';

/** Properties of a {@link StackSetTemplateSynthesizer}. */
export interface StackSetTemplateSynthesizerProps {
  /** The asset buckets are named `<prefix>-<region>`. */
  readonly assetBucketNamePrefix: string;
  /** Every Region the stack set deploys to: each gets a copy of every file asset. */
  readonly regions: readonly string[];
  /** The stack that deploys the StackSet: its synthesizer stores the template, its deploy publishes the assets. */
  readonly parent: Stack;
}

/**
 * Synthesizes a stack as a StackSet template instead of a deployable stack.
 *
 * - File assets (the Lambda bundles) go to `<prefix>-<region>` buckets of the administrator account, one per
 *   target Region, and the template names the bucket as `<prefix>-${AWS::Region}`: a member reads the copy in
 *   its own Region (Lambda reads code only from its own Region). Nothing in the template points at a CDK
 *   bootstrap bucket, and members need no bootstrap.
 * - Those copies are listed in an asset manifest that the parent stack depends on, so `cdk deploy` of the
 *   parent publishes them (after the parent's own dependencies, the asset bucket stacks) before it updates the
 *   StackSet, with the bootstrap file-publishing role of the parent's account and Region.
 * - The template itself becomes a file asset of the parent (its bootstrap bucket, in the administrator
 *   account, where the StackSet service reads `TemplateURL`), since a template beyond 51,200 bytes cannot be
 *   inlined.
 * - No `BootstrapVersion` parameter or rule: members are not bootstrapped.
 */
export class StackSetTemplateSynthesizer extends StackSynthesizer {
  /** The asset manifest's entries: each file asset with one destination per Region. */
  private readonly files: Record<string, cxschema.FileAsset> = {};
  private templateLocation?: FileAssetLocation;

  constructor(private readonly props: StackSetTemplateSynthesizerProps) {
    super();
  }

  /** The template's HTTPS URL in the parent's bootstrap bucket; known once the app synthesizes. */
  public get templateUrl(): string | undefined {
    return this.templateLocation?.httpUrl;
  }

  /** The id of the asset manifest artifact the parent stack must depend on. */
  public get assetManifestArtifactId(): string {
    return this.boundStack.artifactId;
  }

  /** Registers a file asset: one copy per Region's asset bucket; the template names `<prefix>-${AWS::Region}`. */
  public addFileAsset(asset: FileAssetSource): FileAssetLocation {
    if (asset.fileName === undefined || asset.executable !== undefined) {
      throw new Error(
        'A StackSet template can only carry file assets built by the CDK app (fileName), not assets produced by ' +
          `an executable (asset ${asset.sourceHash}).`,
      );
    }
    const extension =
      asset.packaging === FileAssetPackaging.ZIP_DIRECTORY ? '.zip' : path.extname(asset.fileName);
    const objectKey = `${asset.sourceHash}${extension}`;
    const role = publishingRoleArn(ACCOUNT_PLACEHOLDER, this.props.parent.region, PARTITION_PLACEHOLDER);
    const destinations: Record<string, cxschema.FileDestination> = {};
    for (const region of this.props.regions) {
      destinations[region] = {
        bucketName: assetBucketName(this.props.assetBucketNamePrefix, region),
        objectKey,
        region,
        assumeRoleArn: role,
      };
    }
    this.files[asset.sourceHash] = {
      displayName: asset.displayName,
      source: { path: asset.fileName, packaging: asset.packaging },
      destinations,
    };
    const bucketName = Fn.join('-', [this.props.assetBucketNamePrefix, Aws.REGION]);
    return {
      bucketName,
      objectKey,
      httpUrl: Fn.join('', ['https://s3.', Aws.REGION, '.', Aws.URL_SUFFIX, '/', bucketName, '/', objectKey]),
      s3ObjectUrl: Fn.join('', ['s3://', bucketName, '/', objectKey]),
    };
  }

  /** Container images are not supported: there is no per-Region copy for them. */
  public addDockerImageAsset(): DockerImageAssetLocation {
    throw new Error(
      'The StackSet template carries no container images: only file assets are copied per Region.',
    );
  }

  /** Writes the template (a file asset of the parent) and the manifest of the per-Region copies. */
  public synthesize(session: ISynthesisSession): void {
    const template = this.synthesizeTemplate(session);
    this.templateLocation = this.props.parent.synthesizer.addFileAsset(template);
    this.emitAssetManifest(session);
  }

  /**
   * Written under the template stack's own artifact id, so that `parent.addDependency(templateStack)` makes the
   * parent depend on this manifest: the CLI publishes a manifest's assets before deploying the stack that
   * depends on it, and after that stack's own stack dependencies. Written even when empty, because the parent's
   * dependency must name an artifact that exists.
   */
  private emitAssetManifest(session: ISynthesisSession): void {
    const id = this.assetManifestArtifactId;
    const file = `${id}.assets.json`;
    const manifest: cxschema.AssetManifest = { version: cxschema.Manifest.version(), files: this.files };
    fs.writeFileSync(path.join(session.assembly.outdir, file), JSON.stringify(manifest, undefined, 2));
    session.assembly.addArtifact(id, { type: cxschema.ArtifactType.ASSET_MANIFEST, properties: { file } });
  }
}
