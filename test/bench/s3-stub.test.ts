import { parseLoggingStatus, S3Stub } from '../../bench/s3-stub';

// The benchmark's stub must refuse what S3 refuses, or a malformed request from the handler would pass unseen.
describe('the S3 stub of the benchmark', () => {
  it('reads a logging configuration as the SDK sends it', () => {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?><BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      '<LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>app/</TargetPrefix><TargetObjectKeyFormat>' +
      '<PartitionedPrefix><PartitionDateSource>EventTime</PartitionDateSource></PartitionedPrefix>' +
      '</TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>';
    expect(parseLoggingStatus(body)).toEqual({
      targetBucket: 'logs',
      targetPrefix: 'app/',
      keyFormat: 'partitioned:EventTime',
    });
    expect(parseLoggingStatus('<BucketLoggingStatus xmlns="x"/>')).toBeNull();
  });

  it.each([
    ['another root element', '<LoggingStatus><LoggingEnabled/></LoggingStatus>'],
    [
      'no target bucket',
      '<BucketLoggingStatus><LoggingEnabled><TargetPrefix>a/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>',
    ],
    [
      'both key formats',
      '<BucketLoggingStatus><LoggingEnabled><TargetBucket>l</TargetBucket><TargetPrefix>a/</TargetPrefix><TargetObjectKeyFormat><SimplePrefix/><PartitionedPrefix><PartitionDateSource>EventTime</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>',
    ],
    [
      'an unknown partition date source',
      '<BucketLoggingStatus><LoggingEnabled><TargetBucket>l</TargetBucket><TargetPrefix>a/</TargetPrefix><TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>Now</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>',
    ],
  ])('answers MalformedXML to %s', (_case, body) => {
    expect(() => parseLoggingStatus(body)).toThrow(
      expect.objectContaining({ code: 'MalformedXML', status: 400 }),
    );
  });
});

describe('the S3 stub over HTTP', () => {
  let stub: S3Stub;
  let url: string;
  beforeEach(async () => {
    stub = new S3Stub({ latencyMs: 0, throttleRate: 0, seed: 1, maxPage: 1000 });
    for (const [name, region] of [
      ['virginia', 'us-east-1'],
      ['ireland', 'eu-west-1'],
      ['sydney', 'ap-southeast-2'],
    ])
      stub.addBucket({ name, region, tags: {}, logging: null });
    url = await stub.listen();
  });
  afterEach(() => stub.close());

  it('answers GetBucketLocation with S3 quirks: empty for us-east-1, EU for eu-west-1', async () => {
    const location = async (bucket: string) => await (await fetch(`${url}/${bucket}?location`)).text();
    expect(await location('virginia')).toMatch(/<LocationConstraint[^>]*><\/LocationConstraint>/);
    expect(await location('ireland')).toMatch(/>EU</);
    expect(await location('sydney')).toMatch(/>ap-southeast-2</);
  });

  it('answers an injected fault once, then as usual', async () => {
    stub.failNext('GetBucketLogging', 'virginia', { code: 'AccessDenied', status: 403 });
    const first = await fetch(`${url}/virginia?logging`);
    const second = await fetch(`${url}/virginia?logging`);
    expect([first.status, second.status]).toEqual([403, 200]);
    expect(await first.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('leaves out BucketRegion, and ignores the Region filter, as S3-compatible services do', async () => {
    await stub.close();
    stub = new S3Stub({ latencyMs: 0, throttleRate: 0, seed: 1, maxPage: 1000, noBucketRegion: true });
    stub.addBucket({ name: 'ireland', region: 'eu-west-1', tags: {}, logging: null });
    url = await stub.listen();
    const body = await (await fetch(`${url}/?bucket-region=us-east-1`)).text();
    expect(body).toContain('<Name>ireland</Name>');
    expect(body).not.toContain('BucketRegion');
  });
});
