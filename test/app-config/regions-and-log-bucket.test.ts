import { Token } from 'aws-cdk-lib';
import { LogDeliveryMode } from '../../lib/access-log-bucket';
import { readAppConfig } from '../../lib/app-config';

const reader = (context: Record<string, unknown>) => (key: string) => context[key];

describe('readAppConfig', () => {
  it('reads a comma-separated Region list, trimmed and without duplicates', () => {
    const config = readAppConfig(reader({ regions: ' us-east-1, eu-west-1,us-east-1 ' }));
    expect(config.regions).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('accepts a JSON list of Regions from cdk.json', () => {
    expect(readAppConfig(reader({ regions: ['ap-south-1'] })).regions).toEqual(['ap-south-1']);
  });

  it('names an unknown Region code', () => {
    expect(() => readAppConfig(reader({ regions: 'us-east-1,not-a-region' }))).toThrow(
      /unknown Region code\(s\): not-a-region\./,
    );
  });

  it('asks for Regions when none are given', () => {
    expect(() => readAppConfig(reader({}))).toThrow(/Context regions is empty: pass -c regions=/);
  });

  it('passes log bucket settings typed on the command line as strings', () => {
    const config = readAppConfig(
      reader({
        regions: 'us-east-1',
        deliveryMode: 'acl',
        retention: '30',
        transitionToInfrequentAccessAfter: 45,
        versioned: 'true',
      }),
    );
    const props = config.logBucket('us-east-1');
    expect(props.deliveryMode).toBe(LogDeliveryMode.ACL);
    expect(props.retention?.toDays()).toBe(30);
    expect(props.transitionToInfrequentAccessAfter?.toDays()).toBe(45);
    expect(props.versioned).toBe(true);
  });

  it('leaves every log bucket setting at its default when no key is set', () => {
    const props = readAppConfig(reader({ regions: 'us-east-1' })).logBucket('us-east-1');
    expect(Object.values(props).filter((v) => v !== undefined)).toEqual([]);
  });

  it('fills {region} and {account} into the bucket name', () => {
    const config = readAppConfig(
      reader({ regions: 'us-east-1,eu-west-1', bucketName: 'logs-{account}-{region}' }),
    );
    const name = config.logBucket('eu-west-1').bucketName ?? '';
    expect(Token.isUnresolved(name)).toBe(true);
    expect(name.endsWith('-eu-west-1')).toBe(true);
  });

  it('fills the literal account into the bucket names when it is known', () => {
    const config = readAppConfig(
      reader({
        regions: 'us-east-1,eu-west-1',
        bucketName: 'logs-{account}-{region}',
        existingBucketName: 'old-{account}-{region}',
      }),
    );
    const props = config.logBucket('eu-west-1', '111122223333');
    expect(props.bucketName).toBe('logs-111122223333-eu-west-1');
    expect(props.existingBucketName).toBe('old-111122223333-eu-west-1');
  });

  it('reads existingBucketName, the way back onto a retained log bucket', () => {
    const props = readAppConfig(reader({ regions: 'us-east-1', existingBucketName: 'corp-logs' })).logBucket(
      'us-east-1',
    );
    expect(props.existingBucketName).toBe('corp-logs');
    expect(props.bucketName).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'an existing bucket name shared by several Regions',
      { existingBucketName: 'corp-logs' },
      /^Context existingBucketName 'corp-logs' must contain \{region\} when several Regions are deployed/,
    ],
    [
      'a bucket name shared by several Regions',
      { bucketName: 'logs' },
      /bucketName 'logs' must contain \{region\}/,
    ],
    ['an unknown delivery mode', { deliveryMode: 'email' }, /deliveryMode must be one of BucketPolicy, Acl/],
    [
      'a retention that is not a number',
      { retention: '90d' },
      /retention must be a whole number of days \(got "90d"\)/,
    ],
    [
      'a negative transition',
      { transitionToInfrequentAccessAfter: -1 },
      /transitionToInfrequentAccessAfter must be/,
    ],
    [
      'versioned that is not a boolean',
      { versioned: 'yes' },
      /versioned must be true or false \(got "yes"\)/,
    ],
  ])('rejects %s', (_name, context, message) => {
    expect(() => readAppConfig(reader({ regions: 'us-east-1,us-west-2', ...context }))).toThrow(message);
  });
});
