/** What the handler needs to know about an AWS SDK error: its code, and whether trying later may succeed. */

/** Codes that mean "too fast" or "not now": the SDK already retried them; the final pass tries once more. */
const RETRYABLE_CODES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestThrottled',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

export interface ErrorFacts {
  /** The AWS error code (`AccessDenied`, `NoSuchBucket`, ...), or the Node.js code, or the error's name. */
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export function errorFacts(err: unknown): ErrorFacts {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorShape;
  const code =
    [e.Code, e.name, e.code].find((v): v is string => typeof v === 'string' && v !== 'Error') ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const retryable =
    RETRYABLE_CODES.has(code) ||
    (status !== undefined && RETRYABLE_STATUS.has(status)) ||
    (typeof e.code === 'string' && NETWORK_CODES.has(e.code));
  const message = typeof e.message === 'string' ? e.message : String(err);
  return { code, message, retryable };
}

/** Codes by which S3 says a bucket has no tags or no such bucket. */
export const NO_TAGS = 'NoSuchTagSet';
export const NO_SUCH_BUCKET = 'NoSuchBucket';

/**
 * A failure of a run-level operation (ListBuckets, the state table, ...), named so that the message a deploy
 * fails with says what failed and with which AWS error code.
 */
export class OperationError extends Error {
  readonly name = 'OperationError';
  readonly code: string;
  readonly retryable: boolean;
  constructor(
    readonly operation: string,
    readonly cause: unknown,
  ) {
    const facts = errorFacts(cause);
    super(`${operation} failed with ${facts.code}: ${facts.message}`);
    this.code = facts.code;
    this.retryable = facts.retryable;
  }
}

/** Runs `run`, labelling any failure with `operation` (an OperationError passes through unchanged). */
export async function labelled<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw err instanceof OperationError ? err : new OperationError(operation, err);
  }
}
