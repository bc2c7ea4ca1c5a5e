import fc from 'fast-check';
import { type ColumnName, parseLineWithRegex } from '../../lib/log-format';
import { MAX_QUOTES_INSIDE } from '../../lib/log-format/regex';
import { fieldOffsets, parseLine, recordOf, splitLine } from '../../lib/log-format/split';
import { runs } from '../util/property-runs';
import { lineWith } from './hostile-lines';
import { fieldLine, mutatedPeerLine, shapedLine, text } from './line-arbitraries';
import { isKnownMalformed, peerLines } from './peer-lines';

/** The splitter on raw bytes, as the CLI runs it. */
function splitBytes(bytes: Uint8Array) {
  const buf = Buffer.from(bytes);
  const out = fieldOffsets();
  return splitLine(buf, 0, buf.length, out) ? recordOf(buf, out) : null;
}

describe('splitLine on the peer fixtures', () => {
  const lines = peerLines();

  it('yields what the regex yields on every line', () => {
    for (const line of lines) {
      expect({ where: `${line.file}:${line.lineNumber}`, record: parseLine(line.text) }).toEqual({
        where: `${line.file}:${line.lineNumber}`,
        record: parseLineWithRegex(line.text),
      });
    }
  });

  it('reads 1,109 of the 1,110 lines and refuses only the known malformed one', () => {
    const refused = lines.filter((l) => parseLine(l.text) === null);
    expect(lines).toHaveLength(1110);
    expect(refused).toHaveLength(1);
    expect(isKnownMalformed(refused[0])).toBe(true);
  });

  it('splits a line without quotes the same when the search for its last quote runs far back', () => {
    const bare = 'o b [t] i r q op k - 200 - - - - - - - -';
    const buf = Buffer.from(`"${'x'.repeat(100_000)}\n${bare}\n`);
    const out = fieldOffsets();
    const s = buf.indexOf(10) + 1;
    expect(splitLine(buf, s, buf.length - 1, out) ? recordOf(buf, out) : null).toEqual(
      parseLineWithRegex(bare),
    );
    expect(parseLineWithRegex(bare)).not.toBeNull();
  });

  it('splits lines the same after a search ran far past its line (a file without quotes, say)', () => {
    // The first line's request URI opens a quote that nothing closes, and 100 KB without quotes follow it.
    const filler = `${'x'.repeat(100_000)}\n`;
    const buf = Buffer.from(`o b [t] i r q op k "GET /x\n${filler}${lines.map((l) => l.text).join('\n')}\n`);
    const out = fieldOffsets();
    let s = 0;
    const records = [];
    for (let nl = buf.indexOf(10); nl >= 0; s = nl + 1, nl = buf.indexOf(10, s)) {
      records.push(splitLine(buf, s, nl, out) ? recordOf(buf, out) : null);
    }
    expect(records).toEqual(
      ['o b [t] i r q op k "GET /x', filler.trimEnd(), ...lines.map((l) => l.text)].map(parseLineWithRegex),
    );
  });

  it('splits a line in the middle of a buffer without reading outside it', () => {
    const text = lines[0].text;
    const buf = Buffer.from(`"" ${text} ""`);
    const out = fieldOffsets();
    expect(splitLine(buf, 3, 3 + Buffer.byteLength(text), out)).toBe(true);
    expect(recordOf(buf, out)).toEqual(parseLineWithRegex(text));
  });
});

describe('splitLine on a CloudFront origin access identity', () => {
  const line = (requester: string) =>
    `owner bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 ${requester} REQID REST.GET.OBJECT key ` +
    '"GET /key HTTP/1.1" 200 - 10 10 5 4 "-" "curl/8" - hostid SigV4';

  it('reads the identity, whose ARN holds spaces, as the requester', () => {
    const requester = 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLEID';
    expect(parseLine(line(requester))?.requester).toBe(requester);
    expect(parseLine(line(requester))).toEqual(parseLineWithRegex(line(requester)));
  });

  it('falls back to a plain requester where the identity reading does not fit the rest of the line', () => {
    // Read as an identity, "key" would be the request URI and the line would not match; the regex then takes
    // the ARN up to its first space as the requester, and so must the splitter.
    const shifted =
      'owner bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 arn:aws:iam::cloudfront:user/CloudFront Origin ' +
      'Access Identity "GET /key HTTP/1.1" 200 - 10 10 5 4 "-" "curl/8" -';
    expect(parseLine(shifted)).toEqual(parseLineWithRegex(shifted));
  });

  it('falls back to a plain requester where the identity reading runs into an empty field', () => {
    // Read as an identity (whose ID is `"GET`), the line has an empty field (two spaces) before the request URI;
    // read with a plain requester, the two spaces are inside the quoted request URI, and the line matches.
    const split =
      'owner bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 arn:aws:iam::cloudfront:user/CloudFront Origin ' +
      'Access Identity "GET /a  b HTTP/1.1" 200 - 10 10 5 4 "-" "curl/8" -';
    expect(parseLine(split)).toEqual(parseLineWithRegex(split));
    expect(parseLine(split)).toMatchObject({
      requester: 'arn:aws:iam::cloudfront:user/CloudFront',
      key: 'Identity',
      request_uri: 'GET /a  b HTTP/1.1',
    });
  });
  // The regex's identity is `arn:aws[a-z-]*:iam::cloudfront:...`: AWS's partitions (aws, aws-cn, aws-us-gov) and
  // any other run of lowercase letters and dashes, the ends of the range included.
  it.each(['aws', 'aws-cn', 'aws-us-gov', 'awsa', 'awsz', 'aws-za-'])(
    'reads the identity in partition %s as the regex does',
    (partition) => {
      const requester = `arn:${partition}:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLEID`;
      expect(parseLine(line(requester))?.requester).toBe(requester);
      expect(parseLine(line(requester))).toEqual(parseLineWithRegex(line(requester)));
    },
  );

  // Read as an identity these lines would match; read with a plain requester (up to the first space) they do not.
  it.each(['aws`', 'aws{', 'awsA', 'aws0', 'aws_', 'awsé'])(
    'refuses a requester like an identity whose partition %s holds a character other than a-z and -',
    (partition) => {
      const shaped = line(
        `arn:${partition}:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLEID`,
      );
      expect(parseLineWithRegex(shaped)).toBeNull();
      expect(parseLine(shaped)).toBeNull();
    },
  );

  it('refuses an identity with an empty ID (two spaces after "Identity") where the rest would fit after it', () => {
    const empty = line('arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ');
    expect(empty).toContain('Identity  REQID');
    expect(parseLineWithRegex(empty)).toBeNull();
    expect(parseLine(empty)).toBeNull();
  });
});

describe('splitLine on the request time', () => {
  it('refuses a time that runs on past its "]" (the regex needs a space there)', () => {
    // Skipping the byte after "]" would read the rest as the remote IP onwards, a record.
    const line = lineWith({}).replace('+0000] ', '+0000]x');
    expect(line).toContain('+0000]x192.0.2.3 arn:');
    expect(parseLineWithRegex(line)).toBeNull();
    expect(parseLine(line)).toBeNull();
  });
});

describe('splitLine on the HTTP status', () => {
  // S3 answers 409 (BucketNotEmpty, OperationAborted): every digit counts, 9 too.
  it.each(['409', '499', '1', '0000000099', '-'])('reads %s as the regex does', (status) => {
    const line = lineWith({ httpstatus: status });
    const record = parseLineWithRegex(line);
    expect(record?.httpstatus).toBe(status === '-' ? null : status);
    expect(parseLine(line)).toEqual(record);
  });
});

describe('splitLine on numbers of every length', () => {
  // A 16-digit number has no group in the regex (NULL in Athena); read as a double it would also be rounded.
  it.each<ColumnName>(['bytessent', 'objectsize'])(
    '%s: a number for 1 to 15 digits, NULL from 16, as the regex',
    (field) => {
      for (let n = 1; n <= 25; n++) {
        for (const digits of ['9'.repeat(n), `1${'0'.repeat(n - 1)}`, '0'.repeat(n)]) {
          const line = lineWith({ [field]: digits });
          const expected = n <= 15 ? Number(digits) : null;
          expect({
            digits,
            regex: parseLineWithRegex(line)?.[field],
            split: parseLine(line)?.[field],
          }).toEqual({
            digits,
            regex: expected,
            split: expected,
          });
        }
      }
    },
  );
});

describe('splitLine on quotes inside the request URI and the referrer', () => {
  it.each<ColumnName>(['request_uri', 'referrer'])(
    '%s: reads up to 8 unescaped quotes, and refuses the line with more, as the regex does',
    (field) => {
      for (let quotes = 0; quotes <= MAX_QUOTES_INSIDE + 4; quotes++) {
        const content = Array.from({ length: quotes + 1 }, (_, i) => `x${i}`).join('"');
        const value = field === 'request_uri' ? `GET /${content} HTTP/1.1` : content;
        const line = lineWith({ [field]: `"${value}"` });
        const regex = parseLineWithRegex(line);
        expect({ quotes, split: parseLine(line) }).toEqual({ quotes, split: regex });
        expect({ quotes, value: regex?.[field] ?? null }).toEqual({
          quotes,
          value: quotes <= MAX_QUOTES_INSIDE ? value : null,
        });
      }
    },
  );
});

describe('splitLine on a user agent that opens a quote and never closes it', () => {
  it('refuses the line (the regex needs a closing quote)', () => {
    // The user agent's opening quote is the line's last: nothing after it may close the field.
    const line = 'o b [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - id op key "GET /" 200 - 1 1 1 1 "-" " -';
    expect(parseLineWithRegex(line)).toBeNull();
    expect(parseLine(line)).toBeNull();
  });
});

describe('splitLine against the regex on generated lines', () => {
  const agrees = (line: string) => {
    expect(parseLine(line)).toEqual(parseLineWithRegex(line));
  };

  it('agrees on lines shaped like S3 lines with fields swapped for tricky ones', () => {
    fc.assert(fc.property(shapedLine, agrees), { numRuns: runs(3000) });
  });

  it('agrees on lines of random fields and separators', () => {
    fc.assert(fc.property(fieldLine, agrees), { numRuns: runs(2000) });
  });

  it('agrees on random strings', () => {
    fc.assert(fc.property(text(60), agrees), { numRuns: runs(1000) });
  });

  it('agrees on mutated fixture lines', () => {
    fc.assert(fc.property(mutatedPeerLine, agrees), { numRuns: runs(2000) });
  });

  it('agrees on arbitrary bytes, decoding them as UTF-8 the way Node does', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 60 }),
      shapedLine.chain((line) =>
        fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 3 })).map(([at, junk]) => {
          const buf = Buffer.from(line);
          const i = at % (buf.length + 1);
          return Buffer.concat([buf.subarray(0, i), junk, buf.subarray(i)]);
        }),
      ),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        expect(splitBytes(b)).toEqual(parseLineWithRegex(Buffer.from(b).toString('utf8')));
      }),
      { numRuns: runs(2000) },
    );
  });

  it('reads most shaped lines, so the agreement is not only on refusals', () => {
    const samples = fc.sample(shapedLine, { numRuns: 500, seed: 1 });
    const parsed = samples.filter((line) => parseLine(line) !== null).length;
    expect(parsed).toBeGreaterThan(100);
  });
});
