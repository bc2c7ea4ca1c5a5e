import fc from 'fast-check';
import { LineAssembler } from '../../src/scan/lines';

interface Seen {
  lines: string[];
  overlong: number[];
  indices: number[];
}

/** Feeds `bytes[from, ...)` in chunks of the given sizes, as a stream would. */
function assemble(
  bytes: Buffer,
  from: number,
  chunks: number[],
  options: ConstructorParameters<typeof LineAssembler>[2],
) {
  const seen: Seen = { lines: [], overlong: [], indices: [] };
  const assembler = new LineAssembler(
    (buf, s, e, i) => {
      seen.lines.push(buf.toString('latin1', s, e));
      seen.indices.push(i);
    },
    (i) => {
      seen.overlong.push(i);
      seen.indices.push(i);
    },
    { bufferSize: 4, ...options },
  );
  let at = from;
  for (let c = 0; at < bytes.length && !assembler.done; c++) {
    const n = Math.max(1, chunks[c % chunks.length] ?? 1);
    assembler.push(bytes.subarray(at, at + n));
    at += n;
  }
  assembler.finish();
  return seen;
}

/** The lines of a text, as the assembler should cut them. */
function expectedLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => l.replace(/\r$/, ''));
}

const content = fc
  .array(fc.constantFrom('a', 'b', '\n', '\r', ' '), { maxLength: 80 })
  .map((cs) => cs.join(''));
const chunks = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 });

describe('LineAssembler', () => {
  it('cuts a stream into lines whatever the chunk sizes, dropping the \\r of CRLF, keeping a last unterminated line', () => {
    fc.assert(
      fc.property(content, chunks, (text, sizes) => {
        const seen = assemble(Buffer.from(text, 'latin1'), 0, sizes, {});
        expect(seen.lines).toEqual(expectedLines(text));
        expect(seen.indices).toEqual(seen.lines.map((_, i) => i));
      }),
    );
  });

  it('gives every line to exactly one byte range when a file is split at arbitrary offsets', () => {
    fc.assert(
      fc.property(content, fc.array(fc.nat(), { maxLength: 4 }), chunks, (text, cuts, sizes) => {
        const bytes = Buffer.from(text, 'latin1');
        const bounds = [0, ...cuts.map((c) => c % (bytes.length + 1)), bytes.length].sort((a, b) => a - b);
        const all: string[] = [];
        for (let r = 0; r + 1 < bounds.length; r++) {
          const [start, end] = [bounds[r], bounds[r + 1]];
          const from = start > 0 ? start - 1 : 0;
          all.push(...assemble(bytes, from, sizes, { skipFirstLine: start > 0, stopAt: end - from }).lines);
        }
        expect(all).toEqual(expectedLines(text));
      }),
    );
  });

  it('reports lines longer than the limit by index instead of handing them over, and goes on after them', () => {
    fc.assert(
      fc.property(content, chunks, (text, sizes) => {
        const seen = assemble(Buffer.from(text, 'latin1'), 0, sizes, { maxLineBytes: 5 });
        const raw = text.split('\n');
        if (raw[raw.length - 1] === '') raw.pop();
        const expected = raw.map((l, i) => ({ l, i }));
        expect(seen.overlong).toEqual(expected.filter(({ l }) => l.length > 5).map(({ i }) => i));
        expect(seen.lines).toEqual(
          expected.filter(({ l }) => l.length <= 5).map(({ l }) => l.replace(/\r$/, '')),
        );
      }),
    );
  });

  it('grows its buffer for a line longer than the buffer', () => {
    const line = 'x'.repeat(10_000);
    const seen = assemble(Buffer.from(`${line}\nshort\n`), 0, [3000], {});
    expect(seen.lines).toEqual([line, 'short']);
  });
});
