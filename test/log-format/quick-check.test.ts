import fc from 'fast-check';
import { isRecordWithSigvOtherThan } from '../../lib/log-format/quick-check';
import { fieldOffsets, recordOf, splitLine } from '../../lib/log-format/split';
import { runs } from '../util/property-runs';
import { hostileLines, lineWith } from './hostile-lines';
import { fieldLine, mutatedPeerLine, shapedLine, text } from './line-arbitraries';
import { peerLines } from './peer-lines';

const SIGV2 = Buffer.from('SigV2');

/** The quick check on one line of bytes at `[start, end)` of `buf`. */
function quick(buf: Buffer, start = 0, end = buf.length): boolean {
  return isRecordWithSigvOtherThan(buf, start, end, SIGV2);
}

/** What splitLine makes of the line: null when it is not a record. */
function split(buf: Buffer) {
  const out = fieldOffsets();
  return splitLine(buf, 0, buf.length, out) ? recordOf(buf, out) : null;
}

/** The property: the quick check says "a record, not SigV2" only where the splitter says so too. */
function agrees(line: string | Uint8Array): void {
  const buf = Buffer.from(line as string);
  if (!quick(buf)) return;
  const record = split(buf);
  expect({ line: buf.toString(), record: record !== null, sigv: record?.sigv }).toEqual({
    line: buf.toString(),
    record: true,
    sigv: record?.sigv === 'SigV2' ? 'not SigV2' : record?.sigv,
  });
}

describe('isRecordWithSigvOtherThan', () => {
  it('answers "a record, not SigV2" on lines as S3 writes them, and not on SigV2 ones', () => {
    expect(quick(Buffer.from(lineWith({ sigv: 'SigV4' })))).toBe(true);
    expect(quick(Buffer.from(lineWith({ sigv: '-' })))).toBe(true);
    expect(quick(Buffer.from(lineWith({ sigv: 'SigV2' })))).toBe(false);
    // A line that ends before its sigv field: NULL, so not SigV2.
    const full = lineWith({});
    const short = full.slice(0, full.indexOf(' SigV2'));
    expect(split(Buffer.from(short))?.sigv).toBeNull();
    expect(quick(Buffer.from(short))).toBe(true);
  });

  it('is not fooled by " SigV2 " in the key, the request URI or the user agent', () => {
    const lines = [
      lineWith({ sigv: 'SigV4', key: 'a/SigV2' }),
      lineWith({ sigv: 'SigV4', request_uri: '"GET /b/x SigV2 y HTTP/1.1"' }),
      lineWith({ sigv: 'SigV4', useragent: '"agent SigV2 " SigV2 "x"' }),
      lineWith({ sigv: 'SigV4', referrer: '"SigV2 "' }),
    ];
    for (const line of lines) {
      expect(split(Buffer.from(line))?.sigv).toBe('SigV4');
      expect({ line, quick: quick(Buffer.from(line)) }).toEqual({ line, quick: true });
    }
  });

  it('leaves to the splitter what only it can tell', () => {
    const unsure = [
      // A CloudFront origin access identity: a requester with spaces, which shifts every later field.
      lineWith({ requester: 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLEID' }),
      // Quoted fields written bare, and a request URI with a stray quote.
      lineWith({ sigv: 'SigV4', referrer: '-' }),
      lineWith({ sigv: 'SigV4', useragent: '-' }),
      lineWith({ sigv: 'SigV4', request_uri: '"GET /a"b HTTP/1.1"' }),
      // Not records at all.
      lineWith({ requestdatetime: '-x' }),
      lineWith({ httpstatus: '2x0' }),
      lineWith({}).split(' ').slice(0, 16).join(' '),
    ];
    for (const line of unsure)
      expect({ line, quick: quick(Buffer.from(line)) }).toEqual({ line, quick: false });
  });

  it('reads only its own line in the middle of a buffer', () => {
    const line = lineWith({ sigv: 'SigV4' });
    const buf = Buffer.from(`x"" ${line} "-" SigV2`);
    expect(quick(buf, 4, 4 + Buffer.byteLength(line))).toBe(true);
    // Cut inside its last field: still a record (extra fields are optional), still not SigV2.
    expect(quick(buf, 4, 4 + Buffer.byteLength(line) - 3)).toBe(true);
    // Cut before the user agent closes: not a record here, whatever the bytes after the cut are.
    const cut = line.indexOf('Python');
    expect(quick(buf, 4, 4 + cut)).toBe(false);
  });

  it('agrees with the splitter on every peer fixture line, and answers for most of them', () => {
    const lines = peerLines();
    for (const line of lines) agrees(line.text);
    const notSigV2 = lines.filter((l) => {
      const record = split(Buffer.from(l.text));
      return record !== null && record.sigv !== 'SigV2';
    });
    const answered = notSigV2.filter((l) => quick(Buffer.from(l.text)));
    expect(answered.length).toBeGreaterThan(notSigV2.length * 0.9);
  });

  it('agrees with the splitter on hostile lines', () => {
    for (const length of [200, 2000, 20_000]) for (const line of hostileLines(length)) agrees(line.text);
  });

  it('agrees with the splitter on generated lines', () => {
    fc.assert(fc.property(shapedLine, agrees), { numRuns: runs(3000) });
    fc.assert(
      fc.property(
        shapedLine.map((l) => l.replace(' SigV2 ', ' SigV4 ')),
        agrees,
      ),
      { numRuns: runs(2000) },
    );
    fc.assert(fc.property(fieldLine, agrees), { numRuns: runs(2000) });
    fc.assert(fc.property(mutatedPeerLine, agrees), { numRuns: runs(3000) });
    fc.assert(fc.property(text(60), agrees), { numRuns: runs(1000) });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), agrees), { numRuns: runs(1000) });
  });

  it('answers on many generated lines, so the agreement is not only on refusals', () => {
    const samples = fc.sample(
      shapedLine.map((l) => l.replace(' SigV2 ', ' SigV4 ')),
      { numRuns: 500, seed: 1 },
    );
    expect(samples.filter((l) => quick(Buffer.from(l))).length).toBeGreaterThan(100);
  });
});
