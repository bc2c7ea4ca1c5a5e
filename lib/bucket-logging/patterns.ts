/**
 * Bucket-name patterns for `include` and `exclude`: an exact name (`billing-prod`), a prefix written with a
 * trailing star (`team-a-*`), or any glob with `*` (any run of characters) and `?` (one character). Shared by
 * the construct (to reject a bad pattern at synth) and the handler (to match).
 */

import { BUCKET_NAME_MAX_LENGTH } from '../conventions';

/** Characters S3 allows in a bucket name (lib/conventions.ts has the whole rule), plus the two wildcards. */
const PATTERN_CHARS = /^[a-z0-9.\-*?]+$/;

/** Why a pattern can never match a bucket name, or undefined when it is fine. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'is empty';
  if (pattern.length > BUCKET_NAME_MAX_LENGTH && !pattern.includes('*'))
    return `is longer than ${BUCKET_NAME_MAX_LENGTH} characters, the longest bucket name`;
  if (!PATTERN_CHARS.test(pattern)) {
    return 'may only contain lower-case letters, digits, dots, hyphens and the wildcards * and ?';
  }
  return undefined;
}

function toRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch === '.' ? '\\.' : ch))
    .join('');
  return new RegExp(`^${body}$`);
}

/** A predicate that is true when a name matches any of the patterns. */
export function anyPattern(patterns: readonly string[]): (name: string) => boolean {
  const regexps = patterns.map(toRegExp);
  return (name) => regexps.some((re) => re.test(name));
}
