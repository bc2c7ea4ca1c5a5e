import fc from 'fast-check';
import { ACCESS_LOG_PATTERN, ACCESS_LOG_REGEX } from '../../lib/log-format';
import { hasJava, readWithJava } from './java-regex';
import { peerLines } from './peer-lines';

/**
 * Athena runs the regex in java.util.regex; everything else here runs it in JavaScript. Where a JDK is installed
 * (java 11+ runs a single source file), this runs both on the same lines and requires identical groups. Without
 * one, the test is skipped and says so.
 */
const javaIt = hasJava ? it : it.skip;

/** Characters that move a near-miss line onto another path through the regex. */
const EDITS = [' ', '  ', '"', '" ', ' "', '-', '"-"', '[', ']', '\u0085', '\u2028', 'é', '😀', 'x'];

/** Peer lines with a few random insertions and deletions, and random joins of field-like fragments. */
function generatedLines(count: number): string[] {
  const real = peerLines().map((l) => l.text);
  const mutated = fc
    .tuple(
      fc.constantFrom(...real),
      fc.array(fc.tuple(fc.nat(), fc.nat(EDITS.length), fc.boolean()), { maxLength: 4 }),
    )
    .map(([line, edits]) =>
      edits.reduce((s, [at, which, insert]) => {
        const i = at % (s.length + 1);
        return insert ? s.slice(0, i) + (EDITS[which] ?? '') + s.slice(i) : s.slice(0, i) + s.slice(i + 1);
      }, line),
    );
  const fragments = fc
    .array(
      fc.constantFrom(...EDITS, 'abc', '200', '12345', '[06/Feb/2019:00:00:38 +0000]', '"GET / HTTP/1.1"'),
      {
        minLength: 17,
        maxLength: 40,
      },
    )
    .map((parts) => parts.join(' '));
  return fc.sample(fc.oneof(mutated, fragments), { numRuns: count, seed: 4 });
}

function readWithJavaScript(line: string): string {
  const match = ACCESS_LOG_PATTERN.exec(line);
  return JSON.stringify(match === null ? null : match.slice(1).map((v) => v ?? null));
}

describe(`java.util.regex and JavaScript${hasJava ? '' : ' (skipped: no java on PATH)'}`, () => {
  javaIt('read every peer line and 3,000 generated near-miss lines into the same groups', () => {
    const lines = [...peerLines().map((l) => l.text), ...generatedLines(3000)];
    expect(lines.every((l) => !/[\r\n]/.test(l))).toBe(true);
    const java = readWithJava(ACCESS_LOG_REGEX, lines);
    expect(java).toHaveLength(lines.length);
    const differing = lines.filter((l, i) => readWithJavaScript(l) !== java[i]);
    expect(differing).toEqual([]);
    // The generated lines must exercise both outcomes, or the comparison proves little.
    expect(java.filter((j) => j === 'null').length).toBeGreaterThan(500);
    expect(java.filter((j) => j !== 'null').length).toBeGreaterThan(1500);
  });
});
