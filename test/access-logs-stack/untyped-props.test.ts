import type { AccessLogsStackProps } from '../../lib/access-logs-stack';
import { synthStack } from '../util/stack';

/** Props as JavaScript, or an app that reads them from JSON, may pass them: no type check. */
const synthUnchecked = (props: Record<string, unknown>) => synthStack(props as AccessLogsStackProps);

describe('AccessLogsStack props TypeScript would refuse', () => {
  it.each([
    ['accessLogTableEnabled', 'false'],
    ['bucketLoggingEnabled', 0],
    ['logCompactionEnabled', 'no'],
    ['sigv2WatchEnabled', null],
  ])(
    'refuses a %s that is not a boolean (%p), which would turn the part on or off by accident',
    (key, value) => {
      expect(() => synthUnchecked({ [key]: value })).toThrow(
        `AccessLogsStack S3AccessLogs-us-east-1: ${key} must be true or false (got ${JSON.stringify(value)}).`,
      );
    },
  );

  it.each([
    ['logCompaction', false, 'logCompactionEnabled'],
    ['bucketLogging', false, 'bucketLoggingEnabled'],
    ['accessLogTable', 'off', 'accessLogTableEnabled'],
    ['sigv2Watch', 'yes', 'sigv2WatchEnabled'],
  ])('refuses %s that is not an object (%p), naming the switch that turns the part off', (key, value, on) => {
    expect(() => synthUnchecked({ [key]: value })).toThrow(`to turn the part off, write ${on}: false.`);
  });

  it.each([
    [
      { accessLogTableEnabled: false, accessLogTable: { databaseName: 'x' } },
      'accessLogTable',
      'accessLogTableEnabled',
    ],
    [
      { bucketLoggingEnabled: false, bucketLogging: { include: ['a-*'] } },
      'bucketLogging',
      'bucketLoggingEnabled',
    ],
    [
      { sigv2WatchEnabled: false, sigv2Watch: { digestEmail: 'a@example.com' } },
      'sigv2Watch',
      'sigv2WatchEnabled',
    ],
    [
      { accessLogTableEnabled: false, logCompaction: { lateDays: 3 } },
      'logCompaction',
      'logCompactionEnabled',
    ],
    [
      { logCompactionEnabled: false, sigv2Watch: { digestEmail: 'a@example.com' } },
      'sigv2Watch',
      'sigv2WatchEnabled',
    ],
    [
      { accessLogTableEnabled: false, sigv2Watch: { digestEmail: 'a@example.com' } },
      'sigv2Watch',
      'sigv2WatchEnabled',
    ],
  ])('refuses %j: settings of a part that is off, itself or by a part it needs', (props, settings, on) => {
    expect(() => synthStack(props)).toThrow(
      `${settings} is set, but that part is off (${on} is false, or a part it needs is off): remove ${settings}`,
    );
  });

  it('accepts settings objects whose values are all unset beside a part switched off (what the app passes)', () => {
    const { template } = synthStack({
      accessLogTableEnabled: false,
      accessLogTable: { databaseName: undefined },
      logCompactionEnabled: false,
      logCompaction: {},
    });
    template.resourceCountIs('AWS::Glue::Table', 0);
  });
});
