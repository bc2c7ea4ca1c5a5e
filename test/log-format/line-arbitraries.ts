import fc from 'fast-check';
import { peerLines } from './peer-lines';

/** Generated log lines for the property tests of the splitter and of the quick check (fast-check arbitraries). */

/*
 * Generated lines. The alphabet is the characters the grammar turns on (space, quote, dash, brackets, digits)
 * plus multi-byte UTF-8 and control characters, so random lines land on every branch: quoted fields with
 * stray quotes, bare and quoted dashes, numbers of every length, short, long and extra-field lines.
 */
const CHARS = [
  ' ',
  ' ',
  '"',
  '"',
  '-',
  '[',
  ']',
  '0',
  '7',
  'a',
  'Z',
  '/',
  'é',
  '€',
  '😀',
  '\t',
  '\r',
  '\u2028',
];
const char = fc.constantFrom(...CHARS);
export const text = (maxLength: number) => fc.array(char, { maxLength }).map((cs) => cs.join(''));
const digits = fc
  .array(fc.constantFrom('0', '1', '5', '9'), { minLength: 1, maxLength: 20 })
  .map((ds) => ds.join(''));
const plainToken = fc.array(fc.constantFrom('a', 'Z', '0', '7', '/', '-', 'é', '😀', '.'), {
  minLength: 1,
  maxLength: 6,
});
const field = fc.oneof(
  { weight: 3, arbitrary: fc.constant('-') },
  { weight: 3, arbitrary: fc.constant('"-"') },
  { weight: 6, arbitrary: plainToken.map((cs) => cs.join('')) },
  { weight: 3, arbitrary: digits },
  { weight: 4, arbitrary: text(12).map((t) => `"${t}"`) },
  { weight: 2, arbitrary: text(10).map((t) => `[${t}]`) },
  { weight: 2, arbitrary: text(6) },
  // A CloudFront origin access identity: a requester with spaces, and near misses of it.
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLEID',
      'arn:aws-cn:iam::cloudfront:user/CloudFront Origin Access Identity -',
      'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity',
      'arn:awsX:iam::cloudfront:user/CloudFront Origin Access Identity E1',
    ),
  },
);
const separator = fc.oneof({ weight: 20, arbitrary: fc.constant(' ') }, { weight: 1, arbitrary: text(2) });
/** 14 to 32 fields, so lines fall short of 18, reach 27 and run past it. */
export const fieldLine = fc
  .array(fc.tuple(field, separator), { minLength: 14, maxLength: 32 })
  .map((parts) => parts.map(([f, s], i) => (i === 0 ? f : s + f)).join(''));

/** A line shaped like S3's (the usual field kinds in the usual places), each field sometimes replaced. */
export const shapedLine = fc
  .tuple(
    fc.array(fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: field }), {
      minLength: 27,
      maxLength: 27,
    }),
    fc.integer({ min: 16, max: 30 }),
  )
  .map(([replacements, count]) => {
    const usual = [
      'owner',
      'bucket',
      '[06/Feb/2019:00:00:38 +0000]',
      '192.0.2.3',
      '-',
      'ID',
      'REST.GET.OBJECT',
      'key',
      '"GET /b/k HTTP/1.1"',
      '200',
      '-',
      '113',
      '-',
      '7',
      '-',
      '"-"',
      '"S3Console/0.4"',
      '-',
      'hostid=',
      'SigV2',
      'ECDHE',
      'AuthHeader',
      'b.s3.amazonaws.com',
      'TLSv1.2',
      '-',
      'Yes',
      'us-east-1',
      'extra',
      '"more extra"',
      'x',
    ];
    return usual
      .slice(0, count)
      .map((f, i) => (i < 27 && replacements[i] !== null ? replacements[i] : f))
      .join(' ');
  });

/** A fixture line with a few characters inserted, deleted or replaced. */
const peer = peerLines().map((l) => l.text);
export const mutatedPeerLine = fc
  .tuple(
    fc.integer({ min: 0, max: peer.length - 1 }),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), char), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([index, edits]) => {
    // Edit code points, not UTF-16 units: a lone surrogate has no UTF-8 form, so it cannot be in a log file.
    const line = Array.from(peer[index]);
    for (const [at, edit, c] of edits) {
      const i = at % (line.length + 1);
      if (edit === 'insert') line.splice(i, 0, c);
      else if (edit === 'delete') line.splice(i, 1);
      else line.splice(i, 1, c);
    }
    return line.join('');
  });
