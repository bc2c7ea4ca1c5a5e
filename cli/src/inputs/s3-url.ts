import { UsageError } from '../errors';

export interface S3Location {
  readonly bucket: string;
  /** Key prefix; empty for the whole bucket. */
  readonly prefix: string;
}

export function isS3Url(arg: string): boolean {
  return arg.startsWith('s3://');
}

/** `s3://bucket/prefix` → bucket and prefix. */
export function parseS3Url(arg: string): S3Location {
  const rest = arg.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new UsageError(`${arg}: '${bucket}' is not an S3 bucket name (expected s3://bucket/prefix)`);
  }
  return { bucket, prefix };
}

export function s3Name(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
