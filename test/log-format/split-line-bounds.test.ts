import { parseLineWithRegex } from '../../lib/log-format';
import { fieldOffsets, recordOf, splitLine } from '../../lib/log-format/split';

/*
 * splitLine reads `buf[start, end)` of a buffer that holds other lines around it (the CLI splits whole chunks of a
 * file). These lines start like a CloudFront origin access identity and then fall short of one; the line before
 * each is written so that, read from the buffer's start instead of the line's, it would complete a record. The
 * line on its own is not a record, and in the buffer it must not become one.
 */
function splitSecondLine(text: string) {
  const buf = Buffer.from(text);
  const start = buf.indexOf('\n') + 1;
  const out = fieldOffsets();
  return splitLine(buf, start, buf.length, out) ? recordOf(buf, out) : null;
}

describe('splitLine on a line that begins like a CloudFront identity, after another line', () => {
  it('refuses the line when the identity has an empty ID (two spaces after "Identity")', () => {
    const before = 'a 5 6 7 "GET /';
    const line =
      'o b [06/Feb/2019:00:00:38 +0000] 192.0.2.3 arn:aws:iam::cloudfront:user/CloudFront Origin Access ' +
      'Identity  " 200 - 1 1 1 1 "-" "u" -';
    expect(parseLineWithRegex(line)).toBeNull();
    expect(splitSecondLine(`${before}\n${line}`)).toBeNull();
  });

  it('refuses the line when it ends inside the requester, too short for "arn:aws"', () => {
    const before =
      'x:iam::cloudfront:user/CloudFront Origin Access Identity E1 5 6 7 "GET /" 200 - 1 1 1 1 "-" "u" -';
    const line = 'o b [06/Feb/2019:00:00:38 +0000] 192.0.2.3 arn';
    expect(parseLineWithRegex(line)).toBeNull();
    expect(splitSecondLine(`${before}\n${line}`)).toBeNull();
  });
});

/*
 * A field before the request URI that does not fit (an empty field, a requester read as a CloudFront identity
 * that is not one) ends the reading of that path. The line before each of these is written so that a splitter
 * that went on reading from a byte of the buffer before the line's start would find a record there.
 */
describe('splitLine on a line whose reading stops before the request URI, after another line', () => {
  it('refuses the line when its key is empty (two spaces)', () => {
    const before = '- "GET /';
    const line = 'o b [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - id op  " 200 - 1 1 1 1 "-" "u" -';
    expect(parseLineWithRegex(line)).toBeNull();
    expect(splitSecondLine(`${before}\n${line}`)).toBeNull();
  });

  // `requestdatetime` is `-`, or `[`, at least one character and the first `]`: a reader that refuses one must
  // end the reading, not hand back a place in the buffer to go on from.
  it.each(['[]', '[06/Feb/2019:00:00:38 +0000', '06/Feb/2019:00:00:38'])(
    'refuses the line when its time is %s',
    (time) => {
      const before = '- a b c d e "GET /';
      const line = `o b ${time} 192.0.2.3 - id op key " 200 - 1 1 1 1 "-" "u" -`;
      expect(parseLineWithRegex(line)).toBeNull();
      expect(splitSecondLine(`${before}\n${line}`)).toBeNull();
    },
  );

  // A plain requester is tried first as an identity (`arn:aws...`): these are two ways that reading stops.
  it.each(['-', 'arn:aws:iam::111122223333:user/alice'])(
    'reads the line as on its own when its requester is %s',
    (requester) => {
      const before = '- x y z "GET /';
      const line =
        `o b [06/Feb/2019:00:00:38 +0000] 192.0.2.3 ${requester} id op key ` +
        '"GET /k HTTP/1.1" 200 - 1 1 1 1 "-" "u" -';
      const alone = parseLineWithRegex(line);
      expect(alone).toMatchObject({
        requester: requester === '-' ? null : requester,
        request_uri: 'GET /k HTTP/1.1',
      });
      expect(splitSecondLine(`${before}\n${line}`)).toEqual(alone);
    },
  );
});

/*
 * The same for the fields after the request URI: the status and the tokens up to the referrer. Each `before`
 * makes a record of the buffer read from its first or third byte on (as the referrer or the error code), with
 * the line's own user agent closing it.
 */
describe('splitLine on a line whose reading stops after the request URI, after another line', () => {
  it.each([
    [
      'a status of "-" run on into other characters',
      '- e 1 2 3 4 "-" "u" -',
      '"GET /" -x- 1 1 1 1 "-" "u" -',
    ],
    ['an empty error code (two spaces)', '- e 1 2 3 4 "-" "u" -', '"GET /" 200  1 1 1 1 "-" "u" -'],
    ['an empty turnaround time (two spaces)', '- "u" -', '"GET /" 200 - 1 1 1  "-" "u" -'],
  ])('refuses the line with %s', (_what, before, rest) => {
    const line = `o b [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - id op key ${rest}`;
    expect(parseLineWithRegex(line)).toBeNull();
    expect(splitSecondLine(`${before}\n${line}`)).toBeNull();
  });
});
