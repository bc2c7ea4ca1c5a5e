import { type ClassifiedEvent, classifyEvent } from '../../../lib/bucket-logging/handler/events';

const customResource = (
  requestType: unknown,
  properties: unknown = { ServiceToken: 'arn', Config: '{}' },
) => ({
  RequestType: requestType,
  RequestId: 'r-1',
  ResourceProperties: properties,
});
const cloudTrail = (detail: unknown) => ({ 'detail-type': 'AWS API Call via CloudTrail', detail });
const createBucket = (requestParameters: unknown) =>
  cloudTrail({ eventName: 'CreateBucket', requestParameters });

/** The reason an event is ignored for; fails when it is not ignored. */
function ignoredFor(event: unknown): string {
  const classified = classifyEvent(event);
  if (classified.kind !== 'ignored') throw new Error(`classified as ${classified.kind}, not ignored`);
  return classified.reason;
}

/** What the log line of an ignored event shows of it. */
function summaryOf(event: unknown): string {
  const classified: ClassifiedEvent = classifyEvent(event);
  if (classified.kind !== 'ignored') throw new Error(`classified as ${classified.kind}, not ignored`);
  return classified.summary;
}

describe('the events the function serves', () => {
  it.each(['Create', 'Update', 'Delete'])('passes a custom resource %s on with its event', (requestType) => {
    const event = customResource(requestType);
    expect(classifyEvent(event)).toEqual({ kind: 'custom-resource', event });
  });

  it('passes the scheduled sweep on with its event', () => {
    const event = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };
    expect(classifyEvent(event)).toEqual({ kind: 'sweep', event });
  });

  it('passes a CreateBucket call on with its event', () => {
    const event = createBucket({ bucketName: 'new-bucket' });
    expect(classifyEvent(event)).toEqual({ kind: 'create-bucket', event });
  });

  it('reads an event with a RequestType as a custom resource event, whatever else it carries', () => {
    const event = { ...customResource('Update'), 'detail-type': 'Scheduled Event' };
    expect(classifyEvent(event).kind).toBe('custom-resource');
    expect(ignoredFor({ ...customResource('Replace'), 'detail-type': 'Scheduled Event' })).toBe(
      'a custom resource event without a known RequestType and a Config',
    );
  });
});

describe('events the function cannot use', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'Create'],
    ['a boolean', true],
  ])('ignores %s: not an object', (_case, event) => {
    expect(ignoredFor(event)).toBe('not an object');
  });

  it.each<[string, unknown]>([
    ['of an unknown RequestType', customResource('Replace')],
    ['whose RequestType differs in case', customResource('create')],
    ['without ResourceProperties', { RequestType: 'Create', RequestId: 'r-1' }],
    ['whose ResourceProperties are null', customResource('Create', null)],
    ['whose ResourceProperties are a string', customResource('Create', '{"Config":"{}"}')],
    ['without a Config', customResource('Create', { ServiceToken: 'arn' })],
    ['whose Config is an object, not a string', customResource('Create', { Config: {} })],
  ])('ignores a custom resource event %s', (_case, event) => {
    expect(ignoredFor(event)).toBe('a custom resource event without a known RequestType and a Config');
  });

  it.each<[string, unknown]>([
    ['without detail', { 'detail-type': 'AWS API Call via CloudTrail' }],
    ['whose detail is null', cloudTrail(null)],
    ['whose detail is a string', cloudTrail('CreateBucket')],
    ['of another call', cloudTrail({ eventName: 'DeleteBucket', requestParameters: { bucketName: 'b' } })],
    ['without an event name', cloudTrail({ requestParameters: { bucketName: 'b' } })],
  ])('ignores a CloudTrail event %s: not CreateBucket', (_case, event) => {
    expect(ignoredFor(event)).toBe('a CloudTrail event that is not CreateBucket');
  });

  it.each<[string, unknown]>([
    ['no request parameters', undefined],
    ['request parameters that are null', null],
    ['request parameters that are a string', 'new-bucket'],
    ['no bucket name', {}],
    ['an empty bucket name', { bucketName: '' }],
    ['a bucket name that is not a string', { bucketName: 7 }],
  ])('ignores a CreateBucket event with %s', (_case, requestParameters) => {
    expect(ignoredFor(createBucket(requestParameters))).toBe('a CreateBucket event without a bucket name');
  });

  it('ignores an event without a detail-type, saying so', () => {
    expect(ignoredFor({})).toBe('no detail-type');
    expect(ignoredFor({ source: 'aws.s3', detail: {} })).toBe('no detail-type');
  });

  it('ignores an event of another detail-type, naming it', () => {
    expect(ignoredFor({ 'detail-type': 'Object Created', detail: {} })).toBe(
      'unknown detail-type "Object Created"',
    );
    expect(ignoredFor({ 'detail-type': null })).toBe('unknown detail-type null');
    expect(ignoredFor({ 'detail-type': 'scheduled event' })).toBe('unknown detail-type "scheduled event"');
  });
});

describe('what the log shows of an ignored event', () => {
  it('shows a small event whole, as JSON', () => {
    const event = { 'detail-type': 'Object Created', detail: { bucket: { name: 'app' } } };
    expect(summaryOf(event)).toBe(JSON.stringify(event));
    expect(summaryOf(null)).toBe('null');
    expect(summaryOf(42)).toBe('42');
    expect(summaryOf(undefined)).toBe('undefined');
  });

  it('shows the first 300 characters of a larger event, and says it is cut', () => {
    const event = { 'detail-type': 'Object Created', detail: 'x'.repeat(1_000) };
    const text = JSON.stringify(event);

    expect(summaryOf(event)).toBe(`${text.slice(0, 300)}...`);
  });

  it('shows an event of exactly 300 characters whole', () => {
    const padding = 300 - JSON.stringify({ 'detail-type': 'Object Created', detail: '' }).length;
    const event = { 'detail-type': 'Object Created', detail: 'x'.repeat(padding) };
    expect(JSON.stringify(event)).toHaveLength(300);

    expect(summaryOf(event)).toBe(JSON.stringify(event));
  });

  it('names an unknown detail-type by its first 300 characters', () => {
    const detailType = 'y'.repeat(400);
    expect(ignoredFor({ 'detail-type': detailType })).toBe(
      `unknown detail-type ${JSON.stringify(detailType).slice(0, 300)}...`,
    );
  });

  it('ignores an event that JSON cannot write (a cycle), rather than fail on it', () => {
    const event: Record<string, unknown> = { 'detail-type': 'Object Created' };
    event.self = event;

    expect(classifyEvent(event)).toEqual({
      kind: 'ignored',
      reason: 'unknown detail-type "Object Created"',
      summary: '[object Object]',
    });
  });

  it('ignores a value that JSON cannot write (a BigInt), rather than fail on it', () => {
    expect(classifyEvent(10n)).toEqual({ kind: 'ignored', reason: 'not an object', summary: '10' });
  });
});
