import { byteSize, grouped } from '../../src/reports/numbers';

describe('byteSize', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [999, '999 bytes'],
    [1000, '1.0 kB'],
    [3_400, '3.4 kB'],
    [420_000, '420 kB'],
    [12_345_678, '12 MB'],
    [1_500_000_000, '1.5 GB'],
    [2 ** 60, '1,152,922 TB'],
  ])('%d bytes is %s, never "0 MB"', (bytes, text) => {
    expect(byteSize(bytes)).toBe(text);
  });
});

describe('grouped', () => {
  it('groups thousands', () => {
    expect(grouped(1_234_567)).toBe('1,234,567');
  });
});
