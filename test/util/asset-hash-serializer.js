// Replaces 64-hex asset hashes (asset object keys, bundle paths) so that snapshots only change when the
// infrastructure does, not when a handler's bytes do.
const HASH = /[0-9a-f]{64}/g;

module.exports = {
  test: (value) => typeof value === 'string' && /[0-9a-f]{64}/.test(value),
  serialize: (value) => JSON.stringify(value.replace(HASH, '[ASSET-HASH]')),
};
