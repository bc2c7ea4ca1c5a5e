import fc from 'fast-check';
import { ByteInterner } from '../../src/reports/byte-interner';

describe('ByteInterner', () => {
  it('gives equal byte strings one id and different ones different ids, with their text', () => {
    // Long values that share their first and last 16 bytes differ only in the middle: a hash collision.
    const middle = fc.constantFrom('', 'a', 'é', 'xx', 'x'.repeat(70), 'y'.repeat(70));
    const value = fc.tuple(fc.constantFrom('', 'p'.repeat(16)), middle, fc.constantFrom('', 's'.repeat(16)));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 30 }), (parts) => {
        const texts = parts.map((p) => p.join(''));
        const buf = Buffer.from(`#${texts.join('|')}#`);
        const interner = new ByteInterner();
        let at = 1;
        const ids = texts.map((t) => {
          const length = Buffer.byteLength(t);
          const id = interner.id(buf, at, at + length);
          at += length + 1;
          return id;
        });
        for (let i = 0; i < texts.length; i++) {
          expect(interner.values[ids[i]]).toBe(texts[i]);
          for (let j = 0; j < texts.length; j++) expect(ids[i] === ids[j]).toBe(texts[i] === texts[j]);
        }
      }),
    );
  });
});
