import type { AccessLogsStackProps } from '../../lib/access-logs-stack';
import { synthStack } from '../util/stack';

/** Props of earlier 0.x releases, as a JavaScript user (no type check) would still pass them. */
const synthUnchecked = (props: Record<string, unknown>) => synthStack(props as AccessLogsStackProps);

describe('AccessLogsStack props of earlier releases', () => {
  it.each([
    ['athena', false, 'accessLogTableEnabled'],
    ['enableBucketLogging', false, 'bucketLoggingEnabled'],
    ['compaction', false, 'logCompactionEnabled'],
    ['sigv2WatchOptions', { lookbackDays: 10 }, 'sigv2Watch'],
  ])('refuses %s, naming the prop it was renamed to', (old, value, renamed) => {
    expect(() => synthUnchecked({ [old]: value })).toThrow(
      `AccessLogsStack S3AccessLogs-us-east-1: prop ${old} was renamed to ${renamed}: write ${renamed} instead.`,
    );
  });

  it('refuses sigv2Watch as the old switch (a boolean) instead of leaving the watch on', () => {
    expect(() => synthUnchecked({ sigv2Watch: false })).toThrow(
      /sigv2Watch holds the watch's settings now; the switch was renamed to sigv2WatchEnabled: write sigv2WatchEnabled: false\./,
    );
  });

  it('passes the watch settings under sigv2Watch to the watch', () => {
    const { template } = synthStack({ sigv2Watch: { digestEmail: 'team@example.com' } });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'team@example.com',
    });
  });
});
