import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTEXT_KEYS, checkContextKeys, closestKey, isCdkOwnedKey } from '../../lib/app-config';

const ROOT = path.resolve(__dirname, '../..');
const CDK_JSON = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

/**
 * What `cdk synth` (CLI 2.1148) put into the app's context besides cdk.json, recorded with a probe app that
 * printed `app.node.getAllContext()`: the keys the CLI adds, and what cdk.context.json holds after a lookup and
 * `cdk acknowledge`.
 */
const CLI_CONTEXT = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
  'aws:cdk:bundling-stacks': ['**'],
  '@aws-cdk/core:failSynthOnValidationErrors': true,
  'availability-zones:account=111122223333:region=us-east-1': ['us-east-1a'],
  'acknowledged-issue-numbers': [1234],
};

describe('unknown context keys', () => {
  it('lets through everything cdk.json and the CDK CLI put into the context', () => {
    expect(() => checkContextKeys({ ...CDK_JSON.context, ...CLI_CONTEXT })).not.toThrow();
  });

  it.each([
    'aws:cdk:disable-version-reporting',
    'aws-cdk:enableDiffNoFail',
    '@aws-cdk-containers/ecs-service-extensions:enableDefaultLogDriver',
    'ssm:account=111122223333:parameterName=/x:region=us-east-1',
    'hosted-zone:account=111122223333:domainName=example.com:region=us-east-1',
    'cdk-migrate',
  ])('treats %s as a key CDK owns', (key) => {
    expect(isCdkOwnedKey(key)).toBe(true);
  });

  it.each(['retension', 'regions2', 'foo', 'ssm', 'aws:other'])('does not treat %s as CDK-owned', (key) => {
    expect(isCdkOwnedKey(key)).toBe(false);
  });

  it('fails on a mistyped key, naming it, its value and the closest known key', () => {
    expect(() => checkContextKeys({ regions: 'us-east-1', retension: '30' })).toThrow(
      /^Unknown context key retension=30 \(did you mean retention\?\): fix the spelling, or pass -c allowUnknownContext=true/,
    );
  });

  it('names every unknown key in one message', () => {
    expect(() => checkContextKeys({ Retention: '3', tabelName: 'x', zzz: 1 })).toThrow(
      'Unknown context keys Retention=3 (did you mean retention?), tabelName=x (did you mean tableName?), zzz=1 (no setting is close)',
    );
  });

  it('lets keys of other libraries through with allowUnknownContext=true', () => {
    expect(() => checkContextKeys({ 'my-lib:setting': 'x', allowUnknownContext: 'true' })).not.toThrow();
    expect(() => checkContextKeys({ 'my-lib:setting': 'x', allowUnknownContext: 'false' })).toThrow(
      /Unknown context key my-lib:setting=x/,
    );
  });

  it('rejects an allowUnknownContext that is not a boolean', () => {
    expect(() => checkContextKeys({ allowUnknownContext: 'yes' })).toThrow(
      /Context allowUnknownContext must be true or false \(got "yes"\)/,
    );
  });

  it.each([
    ['retension', 'retention'],
    ['regoins', 'regions'],
    ['bucketname', 'bucketName'],
    ['transitionToInfrequentAccess', 'transitionToInfrequentAccessAfter'],
    ['concurency', 'concurrency'],
    ['excludeTagKeys', 'excludeTagKey'],
    ['allowUnknownContexts', 'allowUnknownContext'],
  ])('suggests %s -> %s', (typo, key) => {
    expect(closestKey(typo)).toBe(key);
  });

  it('suggests nothing for a key that is no near miss', () => {
    expect(closestKey('vpcId')).toBeUndefined();
  });

  it('documents every key in the README', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const missing = Object.keys(CONTEXT_KEYS).filter((key) => !readme.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });
});
