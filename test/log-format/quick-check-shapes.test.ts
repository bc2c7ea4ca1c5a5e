import { COLUMN_NAMES, type ColumnName } from '../../lib/log-format';
import { isRecordWithSigvOtherThan } from '../../lib/log-format/quick-check';
import { fieldOffsets, recordOf, searchingCarefully, splitLine } from '../../lib/log-format/split';
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

/** The fields after the user agent of `lineWith(changes)`, from the space before `versionid` on. */
function tailOf(changes: Partial<Record<ColumnName, string>>): string {
  const line = lineWith({ ...changes, useragent: '"-"' });
  return line.slice(line.indexOf(' "-" ', line.indexOf('"-"') + 1) + 4);
}

const OAI = 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity';

describe('the quick check answers as the splitter on near misses that tell one reading from another', () => {
  it.each([
    ['a status with a 9 in it', lineWith({ sigv: 'SigV4', httpstatus: '409' }), true],
    ['a key that ends in CloudFront', lineWith({ sigv: 'SigV4', key: 'logs/CloudFront' }), true],
    ['a field other than sigv that reads SigV2', lineWith({ sigv: 'SigV4', versionid: 'SigV2' }), true],
    ['a sigv that starts with SigV2', lineWith({ sigv: 'SigV2x' }), true],
    [
      'a line whose first fields are one character each (the requester ends 9 bytes in)',
      lineWith({
        bucketowner: 'o',
        bucket_name: 'b',
        requestdatetime: '-',
        remoteip: 'i',
        requester: 'r',
        sigv: 'SigV4',
      }),
      true,
    ],
    [
      // The splitter reads a CloudFront origin access identity first: here the requester `... Identity "a`,
      // a request URI that closes at `x"` and a sigv of SigV2. Read with a plain requester (`...CloudFront`),
      // the same line has a request URI `"a b c d "` and a sigv of SigV4.
      'a CloudFront origin access identity that reads as a plain requester too',
      lineWith({
        requester: `${OAI} "a`,
        requestid: 'b',
        operation: 'c',
        key: 'd',
        request_uri: `" 200 - 1 1 1 1 "-" "-"${tailOf({ sigv: 'SigV4' })} x"`,
        sigv: 'SigV2',
      }),
      false,
    ],
    [
      // The referrer cannot close at `"r"` (no space after it); the splitter closes it at the user agent's
      // last quote, so the user agent is the bare `-` after it and every later field moves one place left.
      'a referrer with a quote inside, then fields that read SigV2 one place left',
      lineWith({ referrer: '"r"x"y', sigv: 'SigV4', ciphersuite: 'SigV2' }),
      false,
    ],
    [
      // A one-character user agent followed by whole fields, then a quote and fields again: only `"-"` is
      // closed early; any other user agent is closed at the line's last quote, after which sigv is SigV2.
      'a user agent `"x"` followed by fields, a quote and other fields',
      `${lineWith({ sigv: 'SigV4', useragent: '"x"' })} "${tailOf({ sigv: 'SigV2' })}`,
      false,
    ],
    [
      // The same with `"-x`: its third byte is no quote, so it is not `"-"` either.
      'a user agent starting with `"-` that is not `"-"`, followed by fields, a quote and other fields',
      `${lineWith({ sigv: 'SigV4', useragent: '"-x' })} "${tailOf({ sigv: 'SigV2' })}`,
      false,
    ],
    [
      // `"-"` here is not NULL: what follows it is not a field; the user agent closes at the last quote.
      'a user agent `"-"` with more after it',
      lineWith({ sigv: 'SigV4', useragent: '"-"x"' }),
      true,
    ],
    [
      // A quote in the error code ends the check (false): read on instead and the next token would start at
      // the buffer's first byte, whose quoted fields pass for a referrer and a user agent before the line's tail.
      'a stray quote in the error code, on a line that starts with quoted fields',
      lineWith({
        bucketowner: '"o"',
        bucket_name: '"b"',
        errorcode: 'x"y',
        versionid: '3HL4kqtJlcpXroDTDmjVBH40Nrjfkd',
        sigv: 'SigV4',
      }),
      false,
    ],
  ])('%s', (_, line, expected) => {
    expect(recordNotSigV2(line)).toBe(expected);
    expect(quick(line)).toBe(expected);
  });
});

describe('after a search ran far past its line', () => {
  it('the quick check still answers "record" only where the splitter does', () => {
    // A line without a space, followed in the buffer by 70 KB without one: the search for its end runs far
    // past it, and the next lines are split carefully (on views of themselves).
    const far = Buffer.from(`abc${'x'.repeat(70_000)}`);
    expect(quick(far, 3)).toBe(false);
    expect(searchingCarefully()).toBe(true); // else this test would test nothing
    try {
      for (const line of ['not a record', lineWith({ httpstatus: 'abc' }), lineWith({ sigv: 'SigV2' })]) {
        expect({ line, wrong: quick(line) && !recordNotSigV2(line) }).toEqual({ line, wrong: false });
      }
    } finally {
      // Leave no careful lines to the tests that follow: each split line uses one up.
      const out = fieldOffsets();
      const one = Buffer.from('x');
      while (searchingCarefully()) splitLine(one, 0, 1, out);
    }
  });
});
