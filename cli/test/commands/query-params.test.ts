import { SAVED_QUERIES } from 's3-access-logs/saved-queries';
import { checkParameters, parameterError, parameterKind } from '../../src/commands/query-params';
import { UsageError } from '../../src/errors';

const query = (name: string) => SAVED_QUERIES.find((q) => q.name === name)!;
const NOW = Date.parse('2024-05-10T12:00:00Z');

describe('checkParameters', () => {
  it('knows how to read every parameter of every saved query', () => {
    for (const q of SAVED_QUERIES)
      for (const p of q.parameters) expect([q.name, p.name, parameterKind(p)]).not.toContain(undefined);
  });

  it.each([
    [
      ['2024-05-01', '2024/05/02'],
      ['2024/05/01', '2024/05/02'],
    ],
    [
      ["'2024/05/01'", 'today'],
      ['2024/05/01', '2024/05/10'],
    ],
    [
      ['-7d', 'yesterday'],
      ['2024/05/03', '2024/05/09'],
    ],
  ])('passes days %j on as %j, the form of the day column', (given, values) => {
    expect(checkParameters(query('sigv2-per-day'), given, NOW).values).toEqual(values);
  });

  it('passes times on as ISO 8601 UTC', () => {
    const checked = checkParameters(
      query('bytes-by-ip-in-time-window'),
      ['2024/05/01', '2024/05/01', '192.0.2.3', '2024-05-01T09:00+02:00', '2024-05-01T08:00:00Z'],
      NOW,
    );
    expect(checked.values.slice(3)).toEqual(['2024-05-01T07:00:00.000Z', '2024-05-01T08:00:00.000Z']);
    expect(checked.days).toEqual({ first: 19844, last: 19844 });
  });

  it.each([
    [['2024/05/02', '2024/05/01'], /the last day \(2024\/05\/01\) is before the first day/],
    [['2024/5/1', '2024/05/01'], /--param 2024\/5\/1 \(parameter 1, first_day\) is not a day/],
    [['2024/05/01'], /sigv2-per-day takes 2 --param values in this order \(got 1\)/],
  ])('refuses %j', (given, message) => {
    expect(() => checkParameters(query('sigv2-per-day'), given, NOW)).toThrow(UsageError);
    expect(() => checkParameters(query('sigv2-per-day'), given, NOW)).toThrow(message);
  });

  it('refuses a time window that ends before it starts', () => {
    expect(() =>
      checkParameters(
        query('bytes-by-ip-in-time-window'),
        ['2024/05/01', '2024/05/01', '192.0.2.3', '2024-05-01T09:00Z', '2024-05-01T08:00Z'],
        NOW,
      ),
    ).toThrow(
      /to_time \(2024-05-01T08:00:00.000Z\) must be later than from_time .*\ne\.g\. s3-access-logs query bytes-by-ip-in-time-window logs\/ --param/s,
    );
  });

  it.each([
    ['2024-05-01T23:00Z', '2024-05-02T01:00Z', 'reaches beyond'],
    ['2024-04-30T23:00Z', '2024-05-01T01:00Z', 'reaches beyond'],
    ['2024-05-02T00:00Z', '2024-05-02T01:00Z', 'lies after'],
    ['2024-04-30T08:00Z', '2024-04-30T09:00Z', 'lies before'],
  ])('says where a window %s to %s is against the days, with an example', (from, to, where) => {
    expect(() =>
      checkParameters(
        query('bytes-by-ip-in-time-window'),
        ['2024/05/01', '2024/05/01', '192.0.2.3', from, to],
        NOW,
      ),
    ).toThrow(
      new RegExp(
        `window \\(from_time to to_time\\) ${where} the days 2024/05/01 to 2024/05/01: .*\\ne\\.g\\. `,
        's',
      ),
    );
  });
});

describe('parameterError', () => {
  it("makes DuckDB's conversion error on a parameter a usage error naming it, and leaves other errors alone", () => {
    const q = query('requester-operations');
    const values = ['2024/05/01', '2024/05/02', 'alice'];
    const error = parameterError(
      new Error('Conversion Error: could not convert string "alice" to INT32'),
      q,
      values,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(
      /^requester-operations: --param alice \(requester\) could not be used/,
    );
    const other = new Error('IO Error: disk');
    expect(parameterError(other, q, values)).toBe(other);
  });
});
