/**
 * The construct library's peers are optional in package.json, so that the CLI (which needs only the library's
 * pure `log-format` and `saved-queries` modules) installs without the CDK. A CDK app has both peers; someone who
 * imports the constructs without them gets this one line instead of a stack inside node_modules.
 */
const PEERS = ['constructs', 'aws-cdk-lib'] as const;

/** The peers `resolve` cannot find. */
export function missingPeers(resolve: (id: string) => string = require.resolve): string[] {
  return PEERS.filter((peer) => {
    try {
      resolve(peer);
      return false;
    } catch {
      return true;
    }
  });
}

export function requirePeers(resolve?: (id: string) => string): void {
  const missing = missingPeers(resolve);
  if (missing.length === 0) return;
  throw new Error(
    `s3-access-logs needs ${missing.join(' and ')} (its peer dependencies, which a CDK app has): ` +
      'run `npm install aws-cdk-lib constructs`. Only the log-format and saved-queries subpaths work without them.',
  );
}

requirePeers();
