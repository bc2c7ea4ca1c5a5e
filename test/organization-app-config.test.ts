import { ContextError, readAppConfig } from '../lib/app-config';
import { readOrganizationConfig } from '../lib/organization-app-config';
import { RegionConcurrency } from '../lib/organization-rollout';

const ORGANIZATION = {
  regions: 'us-east-1,eu-west-1',
  organizationId: 'o-a1b2c3d4e5',
  targetOus: 'ou-ab12-cdefgh34,r-ab12',
  centralAccount: '999988887777',
};

/** The organization config of the context `ORGANIZATION` with `change` applied, read as bin/app.ts does. */
function read(change: Record<string, unknown>) {
  const context: Record<string, unknown> = { ...ORGANIZATION, ...change };
  const reader = (key: string) => context[key];
  return readOrganizationConfig(reader, readAppConfig(reader).regions);
}

/** The ContextError thrown for `change`, with the key it names. */
function failure(change: Record<string, unknown>): ContextError {
  try {
    read(change);
  } catch (err) {
    if (err instanceof ContextError) return err;
    throw err;
  }
  throw new Error(`no error for ${JSON.stringify(change)}`);
}

describe('readOrganizationConfig', () => {
  describe('centralRegion', () => {
    it('reads one Region code, the first of regions by default', () => {
      expect(read({ centralRegion: 'eu-west-1' })?.centralRegion).toBe('eu-west-1');
      expect(read({})?.centralRegion).toBe('us-east-1');
    });

    it('names centralRegion, not regions, for an unknown Region code', () => {
      const err = failure({ centralRegion: 'mars-1' });
      expect(err.message).toBe(
        "Context centralRegion names an unknown Region code (got 'mars-1'). Use a code such as us-east-1 or eu-west-1.",
      );
      expect(err.key).toBe('centralRegion');
    });

    it('refuses a list instead of taking its first Region', () => {
      const err = failure({ centralRegion: 'us-east-1,eu-west-1' });
      expect(err.message).toMatch(/^Context centralRegion must be one Region code, not a list/);
      expect(err.key).toBe('centralRegion');
    });
  });

  it.each([['x-{region}'], ['logs-{region}']])(
    'refuses existingBucketName %p without {account}: one bucket for every member account',
    (name) => {
      expect(failure({ existingBucketName: name }).message).toMatch(
        new RegExp(
          `Context existingBucketName '${name.replace(/[{}]/g, '\\$&')}' must contain \\{account\\} in an organization rollout`,
        ),
      );
    },
  );

  it('accepts existingBucketName with {account}', () => {
    expect(read({ existingBucketName: 'logs-{account}-{region}' })).toBeDefined();
  });

  it.each([
    [
      'UPPER',
      /^Context assetBucketPrefix may hold only lowercase letters, digits and hyphens.*\(got 'UPPER'\)/,
    ],
    ['a'.repeat(58), /^Context assetBucketPrefix 'a{58}' is 58 characters: .* Use at most 48 characters\.$/],
  ])('refuses assetBucketPrefix %p naming the key, the value and the limit', (prefix, message) => {
    const err = failure({ assetBucketPrefix: prefix });
    expect(err.message).toMatch(message);
    expect(err.key).toBe('assetBucketPrefix');
  });

  it('drops duplicate targetOus, keeping the order', () => {
    expect(read({ targetOus: 'r-ab12,ou-ab12-cdefgh34, r-ab12' })?.targetOus).toEqual([
      'r-ab12',
      'ou-ab12-cdefgh34',
    ]);
  });

  it.each([
    ['parallel', RegionConcurrency.PARALLEL],
    ['sequential', RegionConcurrency.SEQUENTIAL],
    ['SEQUENTIAL', RegionConcurrency.SEQUENTIAL],
  ])('reads regionConcurrency %p', (value, expected) => {
    expect(read({ regionConcurrency: value })?.regionConcurrency).toBe(expected);
  });

  it('lists the regionConcurrency choices as the README spells them', () => {
    expect(failure({ regionConcurrency: 'fast' }).message).toBe(
      'Context regionConcurrency must be one of parallel, sequential (got "fast")',
    );
  });

  it('reads failureTolerancePercentage as digits only', () => {
    expect(read({ failureTolerancePercentage: '20' })?.failureTolerancePercentage).toBe(20);
    expect(failure({ failureTolerancePercentage: '0x14' }).key).toBe('failureTolerancePercentage');
  });

  describe('centralAccount from cdk.json', () => {
    it('accepts a 12-digit JSON number', () => {
      expect(read({ centralAccount: 222233334444 })?.centralAccount).toBe('222233334444');
    });

    it('refuses a JSON number that lost its leading zero, saying to write it as a string', () => {
      const err = failure({ centralAccount: 12345678901 });
      expect(err.message).toMatch(
        /^Context centralAccount must be a 12-digit AWS account id \(got the number 12345678901\): a JSON number loses leading zeros/,
      );
      expect(err.key).toBe('centralAccount');
    });
  });
});
