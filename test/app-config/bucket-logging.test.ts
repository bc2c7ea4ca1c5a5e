import { readAppConfig } from '../../lib/app-config';
import { KeyFormat } from '../../lib/conventions';

const read = (context: Record<string, unknown>) =>
  readAppConfig((key: string) => ({ regions: 'us-east-1', ...context })[key]);

describe('app context for bucket logging', () => {
  it('leaves every setting to the construct by default', () => {
    const config = readAppConfig((key: string) => ({ regions: 'us-east-1' })[key]);
    expect(config.bucketLoggingEnabled).toBeUndefined();
    expect(Object.values(config.bucketLogging).every((v) => v === undefined)).toBe(true);
  });

  it('reads every key named like its prop, from -c strings', () => {
    const config = read({
      bucketLoggingEnabled: 'true',
      prefixTemplate: 'logs/{bucket}/',
      keyFormat: 'SIMPLE',
      include: 'app-*, billing',
      exclude: 'app-tmp-*',
      excludeTagKey: 'no-logs',
      overwriteExisting: 'true',
      concurrency: '32',
      failOnErrors: 'true',
      sweepSchedule: 'rate(12 hours)',
      restoreOnDelete: 'false',
    });
    expect(config.bucketLoggingEnabled).toBe(true);
    expect(read({ bucketLoggingEnabled: 'false' }).bucketLoggingEnabled).toBe(false);
    expect(config.bucketLogging).toMatchObject({
      prefixTemplate: 'logs/{bucket}/',
      keyFormat: KeyFormat.SIMPLE,
      include: ['app-*', 'billing'],
      exclude: ['app-tmp-*'],
      excludeTagKey: 'no-logs',
      overwriteExisting: true,
      concurrency: 32,
      failOnErrors: true,
      restoreOnDelete: false,
    });
    expect(config.bucketLogging.sweepSchedule?.expressionString).toBe('rate(12 hours)');
  });

  it('accepts lists and numbers typed in cdk.json', () => {
    expect(read({ include: ['a', 'b'], concurrency: 8 }).bucketLogging).toMatchObject({
      include: ['a', 'b'],
      concurrency: 8,
    });
  });

  it.each(['rate(1 day)', 'rate(12 hours)', 'rate(30 minutes)', 'cron(0 3 * * ? *)', 'cron(0 3 ? * MON *)'])(
    'accepts the schedule %s',
    (expression) => {
      expect(read({ sweepSchedule: expression }).bucketLogging.sweepSchedule?.expressionString).toBe(
        expression,
      );
    },
  );

  it.each([
    ['rate(0 days)', 'must have a rate of at least 1'],
    ['rate(1 days)', 'must use the singular unit'],
    ['rate(2 day)', 'must use the plural unit'],
    ['rate(1 week)', 'must be rate(<n> minutes|hours|days)'],
    ['cron(0 3 * * *)', 'must have six fields'],
    ['cron(0 3 * * MON *)', 'must have ? in day-of-month or day-of-week'],
    ['daily', 'must be rate(...) or cron(...)'],
  ])('rejects the schedule %s, which EventBridge would refuse at deploy', (expression, problem) => {
    expect(() => read({ sweepSchedule: expression })).toThrow(
      `Context sweepSchedule '${expression}' ${problem}`,
    );
  });

  it.each([
    [{ concurrency: 'many' }, /Context concurrency must be a whole number \(got "many"\)/],
    [{ keyFormat: 'daily' }, /Context keyFormat must be one of partitioned, simple/],
    [{ overwriteExisting: 'yes' }, /Context overwriteExisting must be true or false/],
    [{ include: 42 }, /Context include must be a comma-separated list/],
  ])('rejects %j naming the key', (context, message) => {
    expect(() => read(context)).toThrow(message);
  });
});
