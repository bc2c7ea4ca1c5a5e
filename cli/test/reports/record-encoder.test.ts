import fc from 'fast-check';
import { fieldOffsets, splitLine } from 's3-access-logs/log-format/split';
import { peerLines } from '../../../test/log-format/peer-lines';
import { RecordEncoder } from '../../src/reports/record-encoder';
import { csvRecord, jsonRecord } from '../../src/reports/record-text';

/** The encoder's bytes and the string path's text for one line (undefined if it is not a record). */
function both(line: Buffer) {
  const out = fieldOffsets();
  if (!splitLine(line, 0, line.length, out)) return undefined;
  const encoder = new RecordEncoder();
  encoder.json(line, out, ',\n', '\n');
  encoder.csv(line, out);
  return {
    encoded: encoder.take().toString('utf8'),
    expected: `,\n${jsonRecord(line, out)}\n${csvRecord(line, out)}`,
  };
}

const BASE =
  'owner bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - ID REST.GET.OBJECT key "GET /b/k HTTP/1.1" 200 - 007 ' +
  '113 7 - "a,b" "x\\\\y \\"z\\" é\u0001" - hostid= SigV2 ECDHE AuthHeader b.s3.amazonaws.com TLSv1.2 - Yes us-east-1';

describe('RecordEncoder', () => {
  it('writes exactly what the string path writes, on every peer fixture line', () => {
    for (const { text } of peerLines()) {
      const result = both(Buffer.from(text));
      if (result) expect(result.encoded).toBe(result.expected);
    }
  });

  it('handles leading zeros, commas, backslashes, quotes, control and non-ASCII characters, empty values', () => {
    const result = both(Buffer.from(BASE.replace('"GET /b/k HTTP/1.1"', '""')));
    expect(result).toBeDefined();
    expect(result!.encoded).toBe(result!.expected);
    expect(result!.encoded).toContain('"bytessent":7,');
    expect(result!.encoded).toContain('"request_uri":"",');
  });

  it('writes exactly what the string path writes on lines with random bytes put in', () => {
    const base = Buffer.from(BASE);
    fc.assert(
      fc.property(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 }), (at, junk) => {
        const i = at % (base.length + 1);
        const result = both(Buffer.concat([base.subarray(0, i), junk, base.subarray(i)]));
        if (result) expect(result.encoded).toBe(result.expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('grows past its first buffer and hands everything over', () => {
    const line = Buffer.from(BASE);
    const out = fieldOffsets();
    splitLine(line, 0, line.length, out);
    const encoder = new RecordEncoder();
    for (let i = 0; i < 5000; i++) encoder.csv(line, out);
    const taken = encoder.take().toString('utf8');
    expect(taken).toBe(csvRecord(line, out).repeat(5000));
    expect(encoder.length).toBe(0);
  });
});
