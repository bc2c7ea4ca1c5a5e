import { UsageError } from '../../src/errors';
import { dayText, inWindow, keyDay, mayHoldDays, parseDay, timeWindow } from '../../src/inputs/time-window';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe('timeWindow', () => {
  it('includes the whole --until day and starts at midnight UTC of --since', () => {
    const window = timeWindow('2024-05-01', '2024-05-02');
    expect(inWindow(window, Date.parse('2024-05-01T00:00:00Z'))).toBe(true);
    expect(inWindow(window, Date.parse('2024-05-02T23:59:59Z'))).toBe(true);
    expect(inWindow(window, Date.parse('2024-05-03T00:00:00Z'))).toBe(false);
    expect(inWindow(window, Date.parse('2024-04-30T23:59:59Z'))).toBe(false);
  });

  it('takes instants with a zone', () => {
    const window = timeWindow('2024-05-01T12:00+02:00');
    expect(window.sinceMs).toBe(Date.parse('2024-05-01T10:00:00Z'));
    expect(window.untilMs).toBeUndefined();
  });

  it.each([
    ['last tuesday'],
    ['2024-02-30'],
    ['2024/02/30'],
    ['2024-05/01'],
    ['2024-05-01T12:00'],
    ['01/05/2024'],
    ['7d'],
  ])('rejects %s as a usage error', (value) => {
    expect(() => timeWindow(value)).toThrow(UsageError);
  });

  it('takes days as yyyy/MM/dd and yyyy-MM-dd, and today, yesterday and -Nd in UTC', () => {
    const now = Date.parse('2024-05-10T23:30:00Z');
    expect(parseDay('2024/05/01', now)).toBe(day('2024-05-01'));
    expect(parseDay('2024-05-01', now)).toBe(day('2024-05-01'));
    expect(parseDay('today', now)).toBe(day('2024-05-10'));
    expect(parseDay('yesterday', now)).toBe(day('2024-05-09'));
    expect(parseDay('-7d', now)).toBe(day('2024-05-03'));
    expect(dayText(day('2024-05-03'))).toBe('2024/05/03');
    expect(timeWindow('2024/05/01', '2024/05/01').untilMs).toBe(Date.parse('2024-05-02T00:00:00Z'));
  });

  it('names the option and shows an example when the value is not a day or a time', () => {
    expect(() => timeWindow(undefined, 'soon')).toThrow(
      /^--until soon is not a day or a time: .* e\.g\. --until 2024-05-01$/,
    );
  });

  it('rejects an --until before --since', () => {
    expect(() => timeWindow('2024-05-02', '2024-05-01')).toThrow(
      '--until 2024-05-01 must be later than --since 2024-05-02',
    );
  });
});

describe('keyDay', () => {
  it('reads the date folders of the partitioned layout before the object name', () => {
    expect(
      keyDay('logs/111122223333/us-east-1/my-bucket/2024/05/01/2024-05-02-00-10-00-0123456789ABCDEF'),
    ).toBe(day('2024-05-01'));
  });

  it('reads the object name of the simple layout', () => {
    expect(keyDay('my-bucket/2023-12-31-23-59-59-0123456789ABCDEF')).toBe(day('2023-12-31'));
  });

  it('leaves other names undated', () => {
    expect(keyDay('notes/readme.txt')).toBeUndefined();
    expect(keyDay('my-bucket/2023-13-45-00-00-00-X')).toBeUndefined();
  });
});

describe('mayHoldDays', () => {
  it('keeps keys dated one day after the window, since S3 may deliver them the next day', () => {
    const window = timeWindow('2024-05-01', '2024-05-01');
    expect(mayHoldDays(window, day('2024-04-30'))).toBe(false);
    expect(mayHoldDays(window, day('2024-05-01'))).toBe(true);
    expect(mayHoldDays(window, day('2024-05-02'))).toBe(true);
    expect(mayHoldDays(window, day('2024-05-03'))).toBe(false);
  });

  it('keeps every day without a window', () => {
    expect(mayHoldDays(timeWindow(), day('1999-01-01'))).toBe(true);
  });
});
