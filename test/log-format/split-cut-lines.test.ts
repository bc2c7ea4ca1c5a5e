import * as path from 'node:path';
import { parseLineWithRegex } from '../../lib/log-format';
import { fieldOffsets, recordOf, splitLine } from '../../lib/log-format/split';
import { isKnownMalformed, peerLines } from './peer-lines';

/*
 * Lines that end early: a writer cut off mid-line, or the last line of a partial object. Each is split where the
 * rest of the real line still follows it in the buffer, as the CLI splits a chunk of a file: a splitter that looked
 * one byte past the line's end would see the field it expects there, and read a line the regex refuses.
 */

/** The first well-formed line of each peer project's fixtures: each writer's field layout, real bytes. */
const samples = [
  ...new Map(
    peerLines()
      .filter((l) => !isKnownMalformed(l))
      .reverse() // so that the Map keeps each project's first line
      .map((l) => [l.file.split(path.sep)[0], l]),
  ).values(),
];

/** The splitter on `buf[0, end)`, with the rest of `buf` (the line's real continuation) right after it. */
function splitPrefix(buf: Buffer, end: number) {
  const out = fieldOffsets();
  return splitLine(buf, 0, end, out) ? recordOf(buf, out) : null;
}

describe('splitLine on lines cut short', () => {
  it.each(samples.map((l) => [`${l.file}:${l.lineNumber}`, l.text]))(
    '%s: every cut of the line reads as the regex reads it, though the rest of the line follows in the buffer',
    (_where, text) => {
      const buf = Buffer.from(text);
      const disagreements = [];
      let records = 0;
      for (let end = 0; end <= buf.length; end++) {
        // A cut inside a multi-byte character decodes as Node decodes it (U+FFFD), as the CLI reads the file.
        const cut = buf.toString('utf8', 0, end);
        const split = splitPrefix(buf, end);
        const regex = parseLineWithRegex(cut);
        if (JSON.stringify(split) !== JSON.stringify(regex)) disagreements.push({ cut, split, regex });
        if (regex !== null) records++;
      }
      expect(disagreements).toEqual([]);
      // Cuts after the 18th field are records (shorter, older formats): the agreement is not only on refusals.
      expect(records).toBeGreaterThan(1);
    },
  );
});
