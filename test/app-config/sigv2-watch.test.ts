import { CONTEXT_KEYS } from '../../lib/app-config';
import { configFrom as config } from '../util/app-config';

describe('app config: SigV2 watch context keys', () => {
  it('reads sigv2WatchEnabled, digestEmail and lookbackDays from context keys named like the props', () => {
    const read = config({ sigv2WatchEnabled: 'true', digestEmail: 'team@example.com', lookbackDays: '45' });
    expect(read.sigv2WatchEnabled).toBe(true);
    expect(config({ sigv2WatchEnabled: 'false' }).sigv2WatchEnabled).toBe(false);
    expect(read.sigv2Watch).toEqual({ digestEmail: 'team@example.com', lookbackDays: 45 });
    for (const key of ['sigv2WatchEnabled', ...Object.keys(read.sigv2Watch)])
      expect(CONTEXT_KEYS).toHaveProperty(key);
  });

  it('leaves them to the stack’s defaults when unset', () => {
    expect(config({})).toMatchObject({ sigv2WatchEnabled: undefined, sigv2Watch: {} });
  });

  it.each([
    [{ lookbackDays: 'thirty' }, /Context lookbackDays must be a whole number \(got "thirty"\)/],
    [{ sigv2WatchEnabled: 'yes' }, /Context sigv2WatchEnabled must be true or false \(got "yes"\)/],
    [{ lookbackDays: '0' }, /Context lookbackDays must be a whole number of days from 1 to 366 \(got 0\)/],
  ])('refuses %j naming the key', (context, message) => {
    expect(() => config(context)).toThrow(message);
  });
});
