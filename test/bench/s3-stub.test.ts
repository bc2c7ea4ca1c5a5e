import { parseLoggingStatus } from '../../bench/s3-stub';

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
