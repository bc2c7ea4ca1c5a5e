import type { S3Client } from '@aws-sdk/client-s3';
import { CliError, describeError } from '../errors';

/**
 * The S3 client for reading logs, made once per thread and only when an `s3://` input is given (the SDK takes
 * ~0.2 s to load). It uses the default credential chain (environment, profile, SSO, instance role) and the
 * configured Region, falling back to us-east-1; requests to a bucket in another Region follow S3's redirect.
 */
let client: Promise<S3Client> | undefined;

export function s3Client(): Promise<S3Client> {
  client ??= createClient();
  return client;
}

async function createClient(): Promise<S3Client> {
  // Loaded on use (require, not import(): see engine/duckdb.ts).
  const { S3Client } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  const configured = new S3Client({ followRegionRedirects: true });
  try {
    await configured.config.region();
    return configured;
  } catch {
    configured.destroy();
    return new S3Client({ followRegionRedirects: true, region: 'us-east-1' });
  }
}

const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'TokenProviderError']);

/** An SDK error as a message for the person running the command, naming the S3 input it concerns. */
export function s3Error(what: string, error: unknown): CliError {
  const name = error instanceof Error ? error.name : '';
  if (NO_CREDENTIALS.has(name)) {
    return new CliError(
      `${what}: no AWS credentials found (${describeError(error)}). Set AWS_PROFILE or AWS_ACCESS_KEY_ID and ` +
        'AWS_SECRET_ACCESS_KEY, or run `aws sso login`.',
    );
  }
  switch (name) {
    case 'NoSuchBucket':
      return new CliError(`${what}: the bucket does not exist (NoSuchBucket)`);
    case 'NoSuchKey':
      return new CliError(`${what}: the object does not exist (NoSuchKey)`);
    case 'AccessDenied':
    case 'Forbidden':
      return new CliError(
        `${what}: access denied (${name}); the credentials need s3:ListBucket on the bucket and s3:GetObject on the keys`,
      );
    default:
      return new CliError(`${what}: ${describeError(error)}`);
  }
}
