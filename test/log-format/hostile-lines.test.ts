import { ACCESS_LOG_PATTERN, ACCESS_LOG_REGEX, parseLineWithRegex } from '../../lib/log-format';
import { parseLine } from '../../lib/log-format/split';
import { hostileLines, lineWith, MAX_LINE } from './hostile-lines';
import { hasJava, readWithJava } from './java-regex';

/**
 * One request can carry a User-Agent or Referer of tens of thousands of quotes. Athena's reader does not catch a
 * StackOverflowError from java.util.regex, so a regex that overflows on one line fails every query over that
 * line's day. These lines must be read (or refused) the same way by java.util.regex on its default stack, by the
 * JavaScript regex and by the splitter.
 */
const LINES = [1024, MAX_LINE].flatMap(hostileLines);

function groupsInJavaScript(line: string): (string | null)[] | null {
  const match = ACCESS_LOG_PATTERN.exec(line);
  return match === null ? null : match.slice(1).map((v) => v ?? null);
}

const javaIt = hasJava ? it : it.skip;

describe(`hostile lines up to 64 KB${hasJava ? '' : ' (java.util.regex part skipped: no java on PATH)'}`, () => {
  javaIt('java.util.regex reads every one on its default stack, into the groups JavaScript reads', () => {
    const java = readWithJava(
      ACCESS_LOG_REGEX,
      LINES.map((l) => l.text),
    );
    expect(java).toHaveLength(LINES.length);
    const overflowed = LINES.filter((_, i) => java[i] === '"StackOverflowError"').map((l) => l.name);
    expect(overflowed).toEqual([]);
    const differing = LINES.filter((l, i) => {
      return JSON.stringify(JSON.parse(java[i])) !== JSON.stringify(groupsInJavaScript(l.text));
    }).map((l) => l.name);
    expect(differing).toEqual([]);
  });

  it('the splitter reads every one as the regex does', () => {
    const differing = LINES.filter((l) => {
      return JSON.stringify(parseLine(l.text)) !== JSON.stringify(parseLineWithRegex(l.text));
    }).map((l) => l.name);
    expect(differing).toEqual([]);
  });

  it('reads a 64 KB user agent of quotes whole, and the fields S3 wrote after it', () => {
    const useragent = '"'.repeat(MAX_LINE - 600);
    const record = parseLineWithRegex(lineWith({ useragent: `"${useragent}"` }));
    expect(record?.useragent).toBe(useragent);
    expect(record).toMatchObject({ sigv: 'SigV2', tlsversion: 'TLSv1.2', sourceregion: 'us-west-2' });
  });

  it('reads a 64 KB user agent of any run of quotes, spaces, brackets and backslashes', () => {
    const hostile = LINES.filter((l) => l.text.length >= MAX_LINE && l.name.startsWith('useragent of'));
    expect(hostile.length).toBeGreaterThan(10);
    for (const line of hostile) {
      expect({ line: line.name, sigv: parseLineWithRegex(line.text)?.sigv }).toEqual({
        line: line.name,
        sigv: 'SigV2',
      });
    }
  });
});
