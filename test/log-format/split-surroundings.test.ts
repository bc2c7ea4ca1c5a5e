import fc from 'fast-check';
import { parseLineWithRegex } from '../../lib/log-format';
import { fieldOffsets, recordOf, splitLine } from '../../lib/log-format/split';
import { runs } from '../util/property-runs';
import { fieldLine, shapedLine } from './line-arbitraries';
import { isKnownMalformed, peerLines } from './peer-lines';

/*
 * splitLine reads `buf[start, end)` of a chunk of a file, and its native searches run on past `end`. Whatever
 * bytes lie around the line, and wherever the line was cut, it must read what the regex reads on the line alone.
 * The bytes put around it are those the grammar looks at, so that a reader that looked one byte past `end` (or
 * before `start`) would find a space, a quote, a `-`, a bracket or a digit there.
 */
const grammarBytes = fc
  .array(fc.constantFrom(' ', '"', '-', '[', ']', '0', '9', 'a', '"-"', ' -', '-"', ' "', '\n'), {
    maxLength: 6,
  })
  .map((parts) => parts.join(''));
const fixtureLines = peerLines()
  .filter((l) => !isKnownMalformed(l))
  .map((l) => l.text);
const anyLine = fc.oneof(shapedLine, fieldLine, fc.constantFrom(...fixtureLines));

describe('splitLine on a line with other bytes around it in the buffer', () => {
  it('reads a line, cut anywhere, as the regex reads the cut line alone', () => {
    fc.assert(
      fc.property(anyLine, fc.nat(), grammarBytes, grammarBytes, (line, at, before, after) => {
        const whole = Buffer.from(line);
        const cut = whole.subarray(0, at % (whole.length + 1));
        // The line's own rest follows the inserted bytes, as the rest of a chunk would.
        const buf = Buffer.concat([Buffer.from(before), cut, Buffer.from(after), whole.subarray(cut.length)]);
        const start = Buffer.byteLength(before);
        const out = fieldOffsets();
        const split = splitLine(buf, start, start + cut.length, out) ? recordOf(buf, out) : null;
        expect(split).toEqual(parseLineWithRegex(cut.toString('utf8')));
      }),
      { numRuns: runs(3000) },
    );
  });
});
