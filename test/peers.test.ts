import { missingPeers, requirePeers } from '../lib/peers';

describe('the optional peers', () => {
  it('are found in this checkout', () => {
    expect(missingPeers()).toEqual([]);
  });

  it('name what is missing and how to install it, in one line', () => {
    const withoutCdk = (id: string) => {
      if (id === 'aws-cdk-lib') throw new Error(`Cannot find module '${id}'`);
      return id;
    };
    expect(missingPeers(withoutCdk)).toEqual(['aws-cdk-lib']);
    expect(() => requirePeers(withoutCdk)).toThrow(
      /^s3-access-logs needs aws-cdk-lib \(its peer dependencies, which a CDK app has\): run `npm install aws-cdk-lib constructs`/,
    );
  });
});
