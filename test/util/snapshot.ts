/**
 * Property names whose values are digests of other parts of the same template: they change whenever what they
 * digest does, which the snapshot already shows, so they are masked to keep the diff to the real change.
 * (Asset hashes are masked by test/util/asset-hash-serializer.js.)
 */
const DIGEST_PROPERTIES = new Set(['TableRevision']);

/** A copy of a synthesized template with digest properties replaced by `[DIGEST]`, for a snapshot. */
export function maskDigests(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskDigests);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, DIGEST_PROPERTIES.has(key) ? '[DIGEST]' : maskDigests(v)]),
  );
}
