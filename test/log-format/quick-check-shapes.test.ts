import { COLUMN_NAMES, type ColumnName } from '../../lib/log-format';
import { isRecordWithSigvOtherThan } from '../../lib/log-format/quick-check';
import { fieldOffsets, recordOf, splitLine } from '../../lib/log-format/split';
import { lineWith } from './hostile-lines';

/**
 * The quick check may leave a line to the splitter ("not known") but must never be wrong; on the shapes S3
 * writes it must also decide, or the scan loses its speed without any count changing. These cases pin both:
 * on each, the check answers exactly "a record whose sigv is not SigV2", as the splitter reads the line.
 */
const SIGV2 = Buffer.from('SigV2');

function quick(line: string | Buffer, end?: number): boolean {
  const buf = Buffer.from(line);
  return isRecordWithSigvOtherThan(buf, 0, end ?? buf.length, SIGV2);
}

function recordNotSigV2(line: string | Buffer, end?: number): boolean {
  const buf = Buffer.from(line);
  const out = fieldOffsets();
  return splitLine(buf, 0, end ?? buf.length, out) && recordOf(buf, out).sigv !== 'SigV2';
}

/** The line with `changes`, ending after its first `fields` fields (older S3 lines have fewer). */
function lineOf(fields: number, changes: Partial<Record<ColumnName, string>>): string {
  if (fields >= COLUMN_NAMES.length) return lineWith(changes);
  const line = lineWith({ ...changes, [COLUMN_NAMES[fields]]: '\u0000' });
  return line.slice(0, line.indexOf(' \u0000'));
}

const SHAPES: Array<Partial<Record<ColumnName, string>>> = [];
for (const sigv of ['SigV4', 'SigV2', '-']) {
  for (const useragent of ['"aws-cli/1.16.0 Python/2.7.18"', '"-"', '"a "quoted" agent"', '""']) {
    for (const [requestdatetime, httpstatus] of [
      ['[06/Feb/2019:00:00:38 +0000]', '200'],
      ['-', '-'],
    ]) {
      SHAPES.push({ sigv, useragent, requestdatetime, httpstatus });
    }
  }
}

describe('the quick check decides the shapes S3 writes, exactly as the splitter reads them', () => {
  it.each(SHAPES.map((shape) => [JSON.stringify(shape), shape] as const))(
    '%s, cut after 16 to 27 fields',
    (_, shape) => {
      for (let fields = 16; fields <= COLUMN_NAMES.length; fields++) {
        const line = lineOf(fields, shape);
        expect({ line, quick: quick(line) }).toEqual({ line, quick: recordNotSigV2(line) });
      }
    },
  );

  it.each([
    ['a field added after the 27th', `${lineWith({ sigv: 'SigV4' })} newfield`, true],
    ['a space at the end', `${lineWith({ sigv: 'SigV4' })} `, true],
    ['a SigV2 line with a field added', `${lineWith({})} newfield`, false],
  ])('%s', (_, line, expected) => {
    expect(recordNotSigV2(line)).toBe(expected);
    expect(quick(line)).toBe(expected);
  });

  it.each([
    ['an empty request time', { requestdatetime: '[]' }],
    ['an empty requester (two spaces)', { requester: '' }],
  ] as const)('is not a record, and the check says so: %s', (_, change) => {
    const line = lineWith({ sigv: 'SigV4', ...change });
    expect(recordNotSigV2(line)).toBe(false);
    expect(quick(line)).toBe(false);
  });

  it.each([
    ['a status that is not digits', { httpstatus: 'abc' }],
    ['a status with a letter inside', { httpstatus: '2x0' }],
    ['a status with a letter after', { httpstatus: '200x' }],
    ['a request URI never closed', { request_uri: '"GET /x' }],
    ['a user agent that is one quote', { useragent: '"' }],
  ] as const)('leaves to the splitter a line it reads only with fields shifted: %s', (_, change) => {
    const line = lineWith({ sigv: 'SigV4', ...change });
    expect(recordNotSigV2(line)).toBe(true);
    expect(quick(line)).toBe(false);
  });

  it('a line cut anywhere inside its request URI, status or referrer is not a record, and the check says so', () => {
    const line = lineWith({ sigv: 'SigV4' });
    const from = line.indexOf('"GET');
    const to = line.indexOf('"aws-cli');
    for (let end = from; end <= to; end++) {
      const cut = line.slice(0, end);
      expect({ cut, quick: quick(cut) }).toEqual({ cut, quick: recordNotSigV2(cut) });
    }
  });

  it("reads no byte past the line's end: every cut of a line, with the rest of it still in the buffer", () => {
    // In a scan the bytes after a line's end are the next line's; a check that looked past its end would
    // answer from them. Each cut is compared with the splitter, which the split tests hold to the same rule.
    for (const shape of SHAPES) {
      const buf = Buffer.from(`${lineWith(shape)} newfield "x y" -`);
      for (let end = 1; end <= buf.length; end++) {
        const got = { end, shape, quick: quick(buf, end) };
        if (got.quick) expect(got).toEqual({ end, shape, quick: recordNotSigV2(buf, end) });
      }
    }
  });
});
