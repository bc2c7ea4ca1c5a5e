import { ContextError, checkContextKeys, RENAMED_CONTEXT_KEYS } from '../../lib/app-config';

/** The ContextError `checkContextKeys` throws for `context`. */
function refusal(context: Record<string, unknown>): ContextError {
  try {
    checkContextKeys(context);
  } catch (err) {
    if (err instanceof ContextError) return err;
    throw err;
  }
  throw new Error(`no error for ${JSON.stringify(context)}`);
}

describe('context keys of earlier releases', () => {
  it.each([
    ['athena', 'false', 'accessLogTableEnabled'],
    ['enableBucketLogging', 'false', 'bucketLoggingEnabled'],
    ['compaction', false, 'logCompactionEnabled'],
    ['sigv2Watch', 'true', 'sigv2WatchEnabled'],
  ])('refuses %s=%p, naming its new key and the value to write', (old, value, renamed) => {
    const err = refusal({ regions: 'us-east-1', [old]: value });
    expect(err.key).toBe(renamed);
    expect(err.message).toBe(
      `Context key ${old} was renamed to ${renamed}: write -c ${renamed}=${value} (or "${renamed}" in cdk.json) ` +
        'instead.',
    );
  });

  it('refuses them even with allowUnknownContext=true, which would otherwise leave the part silently on', () => {
    expect(refusal({ athena: 'false', allowUnknownContext: 'true' }).key).toBe('accessLogTableEnabled');
  });

  it('renames every switch to the <part>Enabled key the stack prop of that name reads', () => {
    expect(Object.values(RENAMED_CONTEXT_KEYS).every((key) => key.endsWith('Enabled'))).toBe(true);
    expect(() =>
      checkContextKeys(Object.fromEntries(Object.values(RENAMED_CONTEXT_KEYS).map((k) => [k, 'true']))),
    ).not.toThrow();
  });
});
