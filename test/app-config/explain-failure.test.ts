import { CONTEXT_KEYS, ContextError, explainFailure } from '../../lib/app-config';

describe('explainFailure', () => {
  it('leads with the context key and the value the user typed for a construct error', () => {
    const err = new Error('retention must be at least 1 day (got 0)');
    expect(explainFailure(err, { regions: 'us-east-1', retention: '0' })).toEqual({
      line: 'Context retention=0: retention must be at least 1 day (got 0)',
      hint: `retention: ${CONTEXT_KEYS.retention}`,
    });
  });

  it('shows the value as typed, placeholders included, though the construct saw it filled', () => {
    const err = new Error(
      "bucketName 'Logs-us-east-1' is not a valid S3 bucket name: it may contain only...",
    );
    expect(explainFailure(err, { bucketName: 'Logs-{region}' }).line).toMatch(
      /^Context bucketName=Logs-\{region\}: bucketName 'Logs-us-east-1'/,
    );
  });

  it('picks the first key the message names among those the user set', () => {
    const err = new Error(
      'transitionToInfrequentAccessAfter (30 days) must be shorter than retention (20 days): objects would expire',
    );
    const context = { retention: '20', transitionToInfrequentAccessAfter: '30' };
    expect(explainFailure(err, context).line).toMatch(/^Context transitionToInfrequentAccessAfter=30: /);
    expect(explainFailure(err, { retention: '20' }).line).toMatch(/^Context retention=20: /);
  });

  it('matches whole keys only', () => {
    const err = new Error("excludeTagKey 'aws:x' is not a valid tag key");
    expect(explainFailure(err, { exclude: 'tmp-*', excludeTagKey: 'aws:x' }).line).toMatch(
      /^Context excludeTagKey=aws:x: /,
    );
  });

  it('keeps a ContextError as it is, with the key as the hint', () => {
    const err = new ContextError('Context versioned must be true or false (got "yes")', 'versioned');
    expect(explainFailure(err, { versioned: 'yes' })).toEqual({
      line: 'Context versioned must be true or false (got "yes")',
      hint: `versioned: ${CONTEXT_KEYS.versioned}`,
    });
  });

  it('folds a message of several lines into one', () => {
    const err = new Error(
      'Validation failed with the following errors:\n  [Stack/X] something\n\n  [Stack/Y] other',
    );
    expect(explainFailure(err, {}).line).toBe(
      'Validation failed with the following errors: [Stack/X] something [Stack/Y] other',
    );
  });

  it('says how to see the stack trace when no key matches', () => {
    expect(explainFailure(new Error('boom'), { retention: '30' })).toEqual({
      line: 'boom',
      hint: expect.stringContaining('--debug-app'),
    });
  });
});
