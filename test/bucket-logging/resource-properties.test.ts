import { parseResourceProperties } from '../../lib/bucket-logging/types';
import { bucketLoggingConfig } from '../util/bucket-logging-config';

const CONFIG = JSON.stringify(bucketLoggingConfig({ targetBucket: 'logs' }));

describe('parseResourceProperties', () => {
  it('reads the configuration and the table revision the construct writes', () => {
    const parsed = parseResourceProperties({ ServiceToken: 'arn', Config: CONFIG, TableRevision: 'abc123' });
    expect(parsed.tableRevision).toBe('abc123');
    expect(parsed.config).toMatchObject({ targetBucket: 'logs', concurrency: 4 });
  });

  it('takes a resource without a table revision (no Athena table)', () => {
    expect(parseResourceProperties({ ServiceToken: 'arn', Config: CONFIG }).tableRevision).toBeUndefined();
  });

  it.each<[string, unknown, RegExp]>([
    ['a table revision that is not a string', { Config: CONFIG, TableRevision: 7 }, /TableRevision must be/],
    ['an empty table revision', { Config: CONFIG, TableRevision: '' }, /TableRevision must be a non-empty/],
    ['a Config that is not a string', { Config: { region: 'x' } }, /Config must be a string/],
    ['no Config', { TableRevision: 'abc' }, /configuration is missing/],
    ['properties that are not an object', 'Config', /not an object/],
  ])('rejects %s, naming the property', (_case, properties, message) => {
    expect(() => parseResourceProperties(properties)).toThrow(message);
  });
});
