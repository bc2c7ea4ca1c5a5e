import { S3ServiceException } from '@aws-sdk/client-s3';
import { errorFacts, labelled, OperationError } from '../../../lib/bucket-logging/handler/errors';
import { s3Error } from './fakes';

/** An AWS service error as the SDK raises it, with no HTTP status to go by (raised before any response). */
function withoutStatus(name: string): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'server', $metadata: {}, message: `${name} (test)` });
}

/** A failed socket as Node.js raises it: a plain Error named `Error`, with the system code in `code`. */
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 52.216.0.1:443`), { code });

describe('errorFacts', () => {
  it.each([
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
  ])('calls %s retryable by its code alone, with no HTTP status to go by', (code) => {
    expect(errorFacts(withoutStatus(code))).toEqual({ code, message: `${code} (test)`, retryable: true });
  });

  it.each([429, 500, 502, 503, 504])('calls a code it does not know retryable on HTTP %d', (status) => {
    expect(errorFacts(s3Error('SomethingNew', status))).toEqual({
      code: 'SomethingNew',
      message: 'SomethingNew (test)',
      retryable: true,
    });
  });

  it.each<[string, number]>([
    ['AccessDenied', 403],
    ['NoSuchBucket', 404],
    ['InvalidTargetBucketForLogging', 400],
    ['NotImplemented', 501],
  ])('calls %s (HTTP %d) permanent', (code, status) => {
    expect(errorFacts(s3Error(code, status))).toEqual({ code, message: `${code} (test)`, retryable: false });
  });

  it('calls an error with neither a retryable code nor any status permanent', () => {
    expect(errorFacts(withoutStatus('AccessDenied')).retryable).toBe(false);
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN'])(
    'names a dropped connection by its Node.js code (%s) and calls it retryable',
    (code) => {
      expect(errorFacts(socketError(code))).toEqual({
        code,
        message: `connect ${code} 52.216.0.1:443`,
        retryable: true,
      });
    },
  );

  it('calls any other system error permanent, named by its code', () => {
    expect(errorFacts(socketError('ENOTFOUND'))).toMatchObject({ code: 'ENOTFOUND', retryable: false });
  });

  it("takes S3's own Code first, then the error's name, then a Node.js code", () => {
    const parsed = Object.assign(new Error('Please reduce your request rate.'), {
      Code: 'SlowDown',
      name: 'S3ServiceException',
    });
    expect(errorFacts(parsed)).toMatchObject({ code: 'SlowDown', retryable: true });
    const named = Object.assign(new Error('denied'), { name: 'AccessDenied', code: 'ECONNRESET' });
    expect(errorFacts(named)).toMatchObject({ code: 'AccessDenied' });
  });

  it('names an error that carries no code of its own "Error", whatever was thrown', () => {
    expect(errorFacts(new Error('something broke'))).toEqual({
      code: 'Error',
      message: 'something broke',
      retryable: false,
    });
    expect(errorFacts({ name: 42, code: null, message: 'odd' })).toMatchObject({ code: 'Error' });
  });

  it('quotes a thrown string or number as it prints', () => {
    expect(errorFacts('the socket closed')).toEqual({
      code: 'Error',
      message: 'the socket closed',
      retryable: false,
    });
    expect(errorFacts(42)).toEqual({ code: 'Error', message: '42', retryable: false });
    expect(errorFacts(undefined)).toEqual({ code: 'Error', message: 'undefined', retryable: false });
  });
});

describe('OperationError', () => {
  it('names the operation, the AWS error code and the message, and keeps the cause', () => {
    const cause = s3Error('AccessDenied', 403);

    const error = new OperationError('ListBuckets', cause);

    expect(String(error)).toBe('OperationError: ListBuckets failed with AccessDenied: AccessDenied (test)');
    expect(error).toMatchObject({
      operation: 'ListBuckets',
      code: 'AccessDenied',
      retryable: false,
      cause,
    });
    expect(error).toBeInstanceOf(Error);
  });

  it('is retryable when its cause is', () => {
    expect(new OperationError('Scan (state table)', socketError('ECONNRESET')).retryable).toBe(true);
  });
});

describe('labelled', () => {
  it('returns what the call returns', async () => {
    await expect(labelled('DynamoDB GetItem (settings)', async () => 'settings')).resolves.toBe('settings');
  });

  it('labels a failure with the operation that failed', async () => {
    const cause = s3Error('SlowDown', 503);

    const failure = labelled('ListBuckets', async () => {
      throw cause;
    });

    await expect(failure).rejects.toBeInstanceOf(OperationError);
    await expect(failure).rejects.toMatchObject({
      operation: 'ListBuckets',
      code: 'SlowDown',
      retryable: true,
      cause,
      message: 'ListBuckets failed with SlowDown: SlowDown (test)',
    });
  });

  it('passes a failure already labelled by an inner operation through unchanged', async () => {
    const inner = new OperationError('DynamoDB PutItem (run lease)', s3Error('AccessDenied', 403));

    const failure = labelled('Scan (state table)', async () => {
      throw inner;
    });

    await expect(failure).rejects.toBe(inner);
  });
});
